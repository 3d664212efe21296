"""'Suggest carers' moves a visit within the window its client allows when that places it, and
accepting it moves the visit and assigns its carer in one write; the journey from a member's
start point to their first visit counts (issue 27)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient

from careteams.errors import DomainError
from careteams.models import Change
from scheduling.models import PlanRun, Shift, Visit, VisitAssignment
from scheduling.services import planning
from scheduling.services import visits as visit_services
from scheduling.start_models import StartPoint
from tests.conftest import Cast
from tests.scheduling.conftest import on
from tests.scheduling.test_week_board import week_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)


def suggest(cast: Cast, monday: dt.date) -> PlanRun:
    return planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )


@pytest.fixture
def late(cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]) -> Visit:
    """Monday: only the carer on shift, at another client from 09:00 to 09:45; a wash at 09:00
    that may start until 10:30."""
    make_shift(cast.carer_membership, 0)
    kept = make_visit(client=cast.other_client_same_team, day=0, start="09:00", end="09:45")
    VisitAssignment.objects.create(team=cast.team, visit=kept, member=cast.carer_membership)
    return make_visit(
        day=0, start="09:00", end="09:30", window_start=on(0, "09:00"), window_end=on(0, "10:30")
    )


def test_a_visit_nobody_can_make_at_its_time_is_suggested_later_in_its_window(
    cast: Cast, monday: dt.date, late: Visit
) -> None:
    run = suggest(cast, monday)
    (proposal,) = run.proposals
    assert proposal["visit_id"] == str(late.id)
    assert proposal["member_ids"] == [str(cast.carer_membership.id)]
    assert proposal["start"] == on(0, "09:45").isoformat()
    assert proposal["end"] == on(0, "10:15").isoformat()
    assert proposal["reasons"][0].startswith("moves from 09:00 to 09:45, within the time")
    assert run.unassignable == []
    late.refresh_from_db()
    assert late.planned_start == on(0, "09:00")


def test_accepting_a_moved_suggestion_moves_the_visit_and_assigns_in_one_write(
    cast: Cast, monday: dt.date, late: Visit
) -> None:
    run = suggest(cast, monday)
    before = Change.objects.count()
    (result,) = planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.nurse, label=str)
    assert result.ok
    late.refresh_from_db()
    assert (late.planned_start, late.planned_end) == (on(0, "09:45"), on(0, "10:15"))
    assert late.version == 2  # one write: no tablet saw it moved without its carer
    assert late.edited_by_hand  # the week generator keeps the new time
    assert list(late.assignments.values_list("member_id", flat=True)) == [cast.carer_membership.id]
    entities = list(Change.objects.order_by("seq")[before:].values_list("entity", flat=True))
    assert sorted(entities) == ["plan_run", "visit", "visit_assignment"]


def test_a_moved_suggestion_for_a_visit_changed_since_is_refused_and_moves_nothing(
    cast: Cast, monday: dt.date, late: Visit
) -> None:
    run = suggest(cast, monday)
    late.refresh_from_db()
    visit_services.visit_update(
        visit=late,
        version=late.version,
        details=visit_services.VisitDetails(
            start=on(0, "09:00"),
            end=on(0, "09:30"),
            window_start=on(0, "09:00"),
            window_end=on(0, "09:15"),
            required_skills=[],
            carers_needed=1,
            tasks=[],
        ),
        actor=cast.nurse,
    )
    (result,) = planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.nurse, label=str)
    assert not result.ok
    assert "changed after the suggestion" in result.detail
    late.refresh_from_db()
    assert late.planned_start == on(0, "09:00")
    assert not late.assignments.exists()


def test_a_move_outside_the_window_is_refused_and_writes_nothing(cast: Cast, late: Visit) -> None:
    with pytest.raises(DomainError, match="outside the times the client may be visited"):
        visit_services.visit_assign_at(
            visit=late,
            version=late.version,
            start=on(0, "11:00"),
            members=[cast.carer_membership],
            actor=cast.nurse,
        )
    late.refresh_from_db()
    assert (late.version, late.planned_start) == (1, on(0, "09:00"))
    assert not late.assignments.exists()


def test_the_member_who_starts_nearer_is_suggested_for_the_first_visit_of_the_day(
    cast: Cast, monday: dt.date, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    cast.client.latitude, cast.client.longitude = 51.48, -3.18
    cast.client.save()
    for member, place in ((cast.carer_membership, (51.9, -3.9)), (cast.nurse_membership, None)):
        make_shift(member, 0)
        if place:
            StartPoint.objects.create(user=member.user, latitude=place[0], longitude=place[1])
    StartPoint.objects.create(user=cast.nurse, latitude=51.481, longitude=-3.181)
    wash = make_visit(day=0, start="09:00", end="09:30")
    run = suggest(cast, monday)
    (proposal,) = run.proposals
    assert proposal["visit_id"] == str(wash.id)
    assert proposal["member_ids"] == [str(cast.nurse_membership.id)]
    assert any("first visit of the day, 1 min from home" in r for r in proposal["reasons"])


def test_the_board_shows_the_new_time_of_a_moved_suggestion_before_it_is_accepted(
    client: HttpClient, cast: Cast, monday: dt.date, late: Visit
) -> None:
    suggest(cast, monday)
    client.force_login(cast.nurse)
    page = client.get(week_url(cast.team, monday, "?view=list")).content.decode()
    assert "Suggested: Aoife Ní Bhriain, moved to 09:45–10:15" in page
    assert "moves from 09:00 to 09:45, within the time" in page
