"""The rota grid of the week board: members by time, each visit where it falls, travel drawn
before it, open places in their own row; a move to another row through the board's own
assignment services; who may open it, how many queries and how many bytes it takes."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Change, Team
from scheduling.models import Shift, Visit, VisitAssignment
from scheduling.selectors import grid as grid_selectors
from tests.conftest import Cast
from tests.scheduling.conftest import big_team, on

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
CSS = Path(__file__).resolve().parents[2] / "scheduling/static/scheduling/rota-grid.css"


def grid_url(team: Team, monday: dt.date, rest: str = "") -> str:
    url = reverse("scheduling:week", kwargs={"team_id": team.id, "week": monday.isoformat()})
    return url + "?view=grid" + rest


def move_url(team: Team, monday: dt.date) -> str:
    return reverse("scheduling:grid-move", kwargs={"team_id": team.id, "week": monday.isoformat()})


def block(page: str, visit: Visit, member: object = None) -> str:
    """The opening tag of a visit's block in a member's row (or the open row)."""
    key = f"g-{visit.id}-{getattr(member, 'id', None) or 'open'}"
    found = re.search(rf'<button type="button" id="{key}"[^>]*>', page)
    assert found, f"no block {key}"
    return found.group(0)


def row_of(page: str, visit: Visit, member: object = None) -> str:
    """The row a visit's block sits in."""
    key = f"g-{visit.id}-{getattr(member, 'id', None) or 'open'}"
    before = page[: page.index(f'id="{key}"')]
    return before[before.rindex('id="grid-row-') :].split('"')[1]


@pytest.fixture
def day_of_visits(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> tuple[Visit, Visit, Visit]:
    """Monday: the carer on shift 07:00-15:00 with two visits; one open visit at 12:00."""
    make_shift(cast.carer_membership, 0)
    first = make_visit(cast.client, 0, "09:00", "09:30")
    second = make_visit(cast.other_client_same_team, 0, "10:00", "10:45")
    open_one = make_visit(cast.client, 0, "12:00", "12:10")
    for visit in (first, second):
        VisitAssignment.objects.create(team=cast.team, visit=visit, member=cast.carer_membership)
    return first, second, open_one


def test_the_grid_draws_each_visit_at_its_time_and_length_in_its_carers_row(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    first, second, open_one = day_of_visits
    client.force_login(cast.nurse)
    page = client.get(grid_url(cast.team, monday, "&day=2030-11-25")).content.decode()
    # 09:00 is two hours after 07:00: slot 25 of five minutes; 30 minutes span 6 slots.
    assert "gc-25 gs-6" in block(page, first, cast.carer_membership)
    assert "gc-37 gs-9" in block(page, second, cast.carer_membership)
    # Ten minutes is drawn as three slots: still a 44 px target.
    assert "gc-61 gs-3" in block(page, open_one)
    assert row_of(page, first, cast.carer_membership) == f"grid-row-{cast.carer_membership.id}"
    assert row_of(page, open_one) == "grid-row-open"
    assert 'aria-current="page">Grid: carers by time' in page


def test_travel_before_a_visit_is_drawn_as_a_gap_of_its_length(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    _first, second, _open = day_of_visits
    for found, place in (
        (cast.client, (51.48, -3.18)),
        (cast.other_client_same_team, (51.6, -3.3)),
    ):
        found.latitude, found.longitude = place
        found.save()
    client.force_login(cast.nurse)
    page = client.get(grid_url(cast.team, monday, "&day=2030-11-25")).content.decode()
    tag_end = page.index(block(page, second, cast.carer_membership))
    travel = re.search(r"grid-travel gt-(\d+)", page[tag_end : tag_end + 400])
    assert travel is not None
    minutes = re.search(r"(\d+) min travel before", page[tag_end : tag_end + 800])
    assert minutes is not None
    assert int(travel.group(1)) == -(-int(minutes.group(1)) // 5)


def test_a_visit_outside_the_grids_hours_is_drawn_at_its_edge(
    cast: Cast, monday: dt.date, make_visit: Callable[..., Visit]
) -> None:
    from scheduling import selectors

    make_visit(cast.client, 0, "06:00", "06:30")
    make_visit(cast.client, 0, "21:50", "23:00")
    board = selectors.week_board(user=cast.nurse, team_id=cast.team.id, monday=monday, day=monday)
    blocks = grid_selectors.day_grid(board).open_row.blocks
    assert [(b.column, b.span, b.outside) for b in blocks] == [(1, 3, True), (178, 3, True)]


def test_moving_an_open_place_to_a_member_assigns_them_and_answers_the_grid_focused_on_it(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    *_, open_one = day_of_visits
    client.force_login(cast.nurse)
    answer = client.post(
        move_url(cast.team, monday),
        {
            "visit": open_one.id,
            "version": open_one.version,
            "from": "",
            "to": cast.carer_membership.id,
        },
        headers=HTMX,
    )
    assert answer.status_code == 200
    assert answer["HX-Trigger"] == "rota-changed"
    page = answer.content.decode()
    assert page.lstrip().startswith('<section id="grid"')
    assert "data-focus" in block(page, open_one, cast.carer_membership)
    assert "moved to Aoife Ní Bhriain" in page
    assert list(open_one.assignments.values_list("member_id", flat=True)) == [
        cast.carer_membership.id
    ]


def test_moving_a_carers_place_to_another_member_is_one_change_of_the_visit(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    first, *_ = day_of_visits
    client.force_login(cast.nurse)
    before = Change.objects.count()
    answer = client.post(
        move_url(cast.team, monday),
        {
            "visit": first.id,
            "version": first.version,
            "from": cast.carer_membership.id,
            "to": cast.nurse_membership.id,
            # The nurse has no shift then: a hard rule, so the move needs its reason.
            "reason": "Aoife is off sick",
        },
        headers=HTMX,
    )
    assert answer.status_code == 200
    first.refresh_from_db()
    assert list(first.assignments.values_list("member_id", flat=True)) == [cast.nurse_membership.id]
    assert first.version == 2  # one write of the visit, not two
    kinds = list(Change.objects.order_by("seq")[before:].values_list("entity", "op"))
    assert kinds == [
        ("visit_assignment", "delete"),
        ("visit_assignment", "upsert"),
        ("visit", "upsert"),
    ]
    # The nurse has no shift that day: the move still goes through, and she gets a row.
    assert row_of(answer.content.decode(), first, cast.nurse_membership).endswith(
        str(cast.nurse_membership.id)
    )


def test_moving_a_place_to_the_open_row_takes_the_carer_off(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    first, *_ = day_of_visits
    client.force_login(cast.nurse)
    answer = client.post(
        move_url(cast.team, monday),
        {
            "visit": first.id,
            "version": first.version,
            "from": cast.carer_membership.id,
            "to": "open",
        },
        headers=HTMX,
    )
    assert answer.status_code == 200
    assert not first.assignments.exists()
    assert "data-focus" in block(answer.content.decode(), first)


def test_a_move_of_a_visit_changed_meanwhile_is_refused_with_the_grid_as_it_stands(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    *_, open_one = day_of_visits
    client.force_login(cast.nurse)
    answer = client.post(
        move_url(cast.team, monday),
        {
            "visit": open_one.id,
            "version": open_one.version + 5,
            "from": "",
            "to": cast.carer_membership.id,
        },
        headers=HTMX,
    )
    assert answer.status_code == 409
    assert 'class="rota-row-error"' in answer.content.decode()
    assert not open_one.assignments.exists()


def test_a_move_to_another_teams_member_is_refused_by_name_of_the_field(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    *_, open_one = day_of_visits
    client.force_login(cast.nurse)
    answer = client.post(
        move_url(cast.team, monday),
        {"visit": open_one.id, "version": open_one.version, "to": cast.other_nurse_membership.id},
        headers=HTMX,
    )
    assert answer.status_code == 400
    assert "Choose a current member of this team." in answer.content.decode()


def test_without_javascript_a_move_comes_back_to_the_grid_of_that_day(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    *_, open_one = day_of_visits
    client.force_login(cast.nurse)
    answer = client.post(
        move_url(cast.team, monday),
        {"visit": open_one.id, "version": open_one.version, "to": cast.carer_membership.id},
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith("?day=2030-11-25&view=grid#grid")


def test_another_teams_member_gets_404_for_the_grids_move_and_hints(
    client: HttpClient, cast: Cast, monday: dt.date, day_of_visits: tuple[Visit, ...]
) -> None:
    *_, open_one = day_of_visits
    client.force_login(cast.other_nurse)
    hints = reverse(
        "scheduling:grid-hints",
        kwargs={"team_id": cast.team.id, "week": monday.isoformat(), "visit_id": open_one.id},
    )
    assert client.get(hints).status_code == 404
    answer = client.post(
        move_url(cast.team, monday),
        {"visit": open_one.id, "version": 1, "to": cast.carer_membership.id},
        headers=HTMX,
    )
    assert answer.status_code == 404
    assert not open_one.assignments.exists()


def test_the_stylesheet_has_a_class_for_every_position_the_grid_can_draw() -> None:
    css = CSS.read_text()
    slots, shortest = grid_selectors.SLOTS, grid_selectors.MIN_SPAN
    assert all(f".gc-{n}{{" in css for n in range(1, slots + 1))
    assert all(f".gs-{n}{{" in css for n in range(shortest, slots + 1))
    assert all(f".gt-{n}{{" in css for n in range(1, slots))


def test_the_grids_first_response_for_a_twelve_member_four_hundred_visit_week_is_under_100_kb(
    client: HttpClient, cast: Cast, monday: dt.date
) -> None:
    big_team(cast.team, members=12, visits=400)
    client.force_login(cast.nurse)
    sizes = {}
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        page = client.get(grid_url(cast.team, monday, f"&day={day.isoformat()}"))
        assert page.status_code == 200
        sizes[day] = (len(page.content), page.content.count(b'class="grid-visit '))
    assert max(blocks for _, blocks in sizes.values()) >= 60, sizes
    assert all(size < 100_000 for size, _ in sizes.values()), sizes


def test_the_grid_and_a_move_on_a_big_team_use_a_fixed_number_of_queries(
    client: HttpClient,
    cast: Cast,
    monday: dt.date,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    big_team(cast.team, members=12, visits=400)
    client.force_login(cast.nurse)
    with django_assert_max_num_queries(21):  # type: ignore[attr-defined]
        assert (
            client.get(grid_url(cast.team, monday, "&part=grid&day=2030-11-27")).status_code == 200
        )
    visit = Visit.objects.filter(team=cast.team, planned_start__gte=on(2, "00:00")).first()
    assert visit is not None
    taker = cast.team.memberships.exclude(pk__in=visit.assignments.values("member_id")).first()
    assert taker is not None
    held = visit.assignments.first()
    with django_assert_max_num_queries(60):  # type: ignore[attr-defined]
        answer = client.post(
            move_url(cast.team, monday),
            {
                "visit": visit.id,
                "version": visit.version,
                "from": held.member_id if held else "",
                "to": taker.id,
                "reason": "Cover agreed at handover",
            },
            headers=HTMX,
        )
    assert answer.status_code == 200, answer.content[:500]
