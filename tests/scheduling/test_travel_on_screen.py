"""Travel minutes between a carer's consecutive visits: on the board's visit rows and on My day,
from rows already loaded (no query per row)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from scheduling import travel
from scheduling.models import Visit
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
HOME = (51.4816, -3.1791)  # Cardiff
NEXT_DOOR_BUT_ONE = (51.4900, -3.1650)


def place(client: Client, where: tuple[float, float]) -> None:
    client.latitude, client.longitude = where
    client.save()


def carers_morning(cast: Cast, make_visit: Callable[..., Visit]) -> tuple[Visit, Visit]:
    """The carer at Dafydd's at 09:00, then at Mary's at 10:00."""
    place(cast.client, HOME)
    place(cast.other_client_same_team, NEXT_DOOR_BUT_ONE)
    first = make_visit(day=0, start="09:00", end="09:30")
    second = make_visit(client=cast.other_client_same_team, day=0, start="10:00", end="10:30")
    for visit in Visit.objects.filter(team=cast.team):
        visit.assignments.create(member=cast.carer_membership)
    return first, second


def board_day(cast: Cast, monday: dt.date) -> str:
    url = reverse("scheduling:week", kwargs={"team_id": cast.team.id, "week": monday.isoformat()})
    return f"{url}?part=day&day={monday.isoformat()}&view=list"


def test_the_boards_row_says_the_travel_from_the_carers_previous_visit(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    first, second = carers_morning(cast, make_visit)
    minutes = travel.estimate_minutes(HOME, NEXT_DOOR_BUT_ONE)
    client.force_login(cast.nurse)
    page = client.get(board_day(cast, monday)).content.decode()
    rows = {v.id: page.split(f'id="visit-{v.id}"')[1].split("</tr>")[0] for v in (first, second)}
    assert "from previous visit" not in rows[first.id]
    assert f"travel {minutes} min from previous visit" in rows[second.id]
    # The row alone (after an assignment, or refreshed live) says the same.
    row_url = reverse(
        "scheduling:visit-row",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": second.id},
    )
    assert f"travel {minutes} min from previous visit" in client.get(row_url).content.decode()


def test_travel_on_the_board_adds_no_query_per_visit(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    carers_morning(cast, make_visit)
    client.force_login(cast.nurse)
    with CaptureQueriesContext(connection) as few:
        client.get(board_day(cast, monday))
    for n in range(5):
        extra = Client.objects.create(
            team=cast.team,
            given_name=f"Extra{n}",
            family_name="Evans",
            latitude=HOME[0] - 0.01 * (n + 1),
            longitude=HOME[1],
        )
        visit = make_visit(client=extra, day=0, start=f"{12 + n}:00", end=f"{12 + n}:30")
        visit.assignments.create(member=cast.carer_membership)
    assert Visit.objects.count() == 7
    # Rows written here directly make no feed event: the week's rule results cached at the
    # team's unchanged feed position would be those of the first read (the services' writes
    # move the position, tests/scheduling/test_week_board_not_modified.py). A cold read, then.
    cache.clear()
    with django_assert_max_num_queries(len(few)):  # type: ignore[attr-defined]
        page = client.get(board_day(cast, monday)).content.decode()
    assert page.count("min from previous visit") == 6


def test_my_day_shows_the_travel_between_my_visits(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    make_visit: Callable[..., Visit],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    first, second = carers_morning(cast, make_visit)
    minutes = travel.estimate_minutes(HOME, NEXT_DOOR_BUT_ONE)
    client.force_login(cast.carer)
    url = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    with CaptureQueriesContext(connection) as few:
        page = client.get(f"{url}?day={monday.isoformat()}").content.decode()
    second_card = page.split(f'id="visit-{second.id}"')[1]
    first_card = page.split(f'id="visit-{first.id}"')[1].split(f'id="visit-{second.id}"')[0]
    assert f"Travel {minutes} min from your previous visit (Dafydd Llŷr)" in second_card
    assert "from your previous visit" not in first_card
    for n in range(4):
        extra = Client.objects.create(
            team=cast.team,
            given_name=f"Extra{n}",
            family_name="Evans",
            latitude=51.5,
            longitude=-3.2 - 0.01 * n,
        )
        make_visit(
            client=extra, day=0, start=f"{12 + n}:00", end=f"{12 + n}:30"
        ).assignments.create(member=cast.carer_membership)
    with django_assert_max_num_queries(len(few)):  # type: ignore[attr-defined]
        page = client.get(f"{url}?day={monday.isoformat()}").content.decode()
    assert page.count("from your previous visit") == 5


def test_another_teams_member_sees_no_travel_of_this_team(
    client: HttpClient, cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    carers_morning(cast, make_visit)
    client.force_login(cast.other_nurse)
    assert client.get(board_day(cast, monday)).status_code == 404
    url = reverse("scheduling:my-day", kwargs={"team_id": cast.team.id})
    assert client.get(f"{url}?day={monday.isoformat()}").status_code == 404
