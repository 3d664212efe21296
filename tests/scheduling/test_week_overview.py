"""The week board opens on the rota grid (the list is the alternative, chosen once and then
remembered), and shows the whole week as members by days: each day's hours on shift and of
visits, that day's problems, the week's hours against the contract, a link to each day's grid."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Team
from scheduling.models import Shift, Visit, VisitAssignment
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def board_url(team: Team, monday: dt.date, rest: str = "") -> str:
    return (
        reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()}) + rest
    )


def cell(page: str, member_name: str, day: int) -> str:
    """The overview's cell of a member's day (0: Monday)."""
    row = page[page.index(f">{member_name}<span") :]
    row = row[: row.index("</tr>")]
    found: list[str] = re.findall(r'<td class="rota-cell[^"]*">(.*?)</td>', row)
    return found[day]


def test_the_board_opens_on_the_grid_and_remembers_the_list_once_chosen(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    assert 'id="grid"' in client.get(board_url(cast.team, monday)).content.decode()
    listed = client.get(board_url(cast.team, monday, "?view=list")).content.decode()
    assert 'id="grid"' not in listed
    assert 'id="day-visits"' in listed
    # A link from elsewhere (no view in it) opens the list now, until the grid is chosen again.
    again = client.get(board_url(cast.team, monday)).content.decode()
    assert 'id="grid"' not in again
    client.get(board_url(cast.team, monday, "?view=grid"))
    assert 'id="grid"' in client.get(board_url(cast.team, monday)).content.decode()


def test_the_days_links_always_say_the_view_so_a_fragments_etag_names_it(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    client.force_login(cast.nurse)
    page = client.get(board_url(cast.team, monday)).content.decode()
    assert "part=day&amp;day=2030-11-26&amp;view=grid" in page


def test_each_members_day_shows_hours_on_shift_and_of_visits_and_its_problems(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    make_shift(cast.carer_membership, 0)  # 07:00-15:00 with a 30-minute break: 7.5 h
    first = make_visit(cast.client, 0, "09:00", "10:00")
    second = make_visit(cast.other_client_same_team, 0, "09:30", "10:00")  # double-booked
    tuesday = make_visit(cast.client, 1, "18:00", "18:30")  # no shift then
    for visit in (first, second, tuesday):
        VisitAssignment.objects.create(team=cast.team, visit=visit, member=cast.carer_membership)
    client.force_login(cast.nurse)
    page = client.get(board_url(cast.team, monday)).content.decode()
    name = cast.carer.get_full_name()
    monday_cell = cell(page, name, 0)
    assert "7.5 h on shift" in monday_cell
    assert "1.5 h visits" in monday_cell
    assert "error" in monday_cell  # double-booked
    tuesday_cell = cell(page, name, 1)
    assert "on shift" not in tuesday_cell
    assert "0.5 h visits" in tuesday_cell
    assert "1 error" in tuesday_cell  # no shift then
    assert "h visits" not in cell(page, name, 2)
    # A tap on a day opens that day's grid.
    assert 'href="?day=2030-11-27&amp;view=grid#grid"' in page


def test_the_weeks_hours_are_set_against_the_contract_and_over_it_is_said(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
) -> None:
    cast.carer_membership.contracted_hours = 10
    cast.carer_membership.save()
    make_shift(cast.carer_membership, 0)
    make_shift(cast.carer_membership, 1)
    client.force_login(cast.nurse)
    page = client.get(board_url(cast.team, monday)).content.decode()
    row = page[page.index(f">{cast.carer.get_full_name()}<span") :]
    hours = row[row.index('class="nhsuk-table__cell rota-hours"') : row.index("</tr>")]
    assert ">15<" in hours
    assert "contract 10 h" in hours
    assert "Over contract" in hours


def test_the_visit_pages_way_back_opens_the_board_on_the_visits_day(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    visit = make_visit(day=2)
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    page = client.get(url).content.decode()
    assert f'href="{board_url(cast.team, monday)}?day=2030-11-27#visit-{visit.id}"' in page
