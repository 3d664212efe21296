"""'Suggest carers': a run of the planner over the team's week, its proposals with reasons, and
the team's decisions through the assignment services (nothing is assigned before that)."""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams.errors import DomainError
from careteams.models import Change
from scheduling.models import PlanRun, PlanRunStatus, Shift, Visit, VisitAssignment
from scheduling.services import planning
from scheduling.services import visits as visit_services
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiny week needs no 10 seconds of search."""
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)


@pytest.fixture
def week(
    cast: Cast, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> list[Visit]:
    """Monday: both members on shift 07:00 to 15:00; three visits, one needing insulin (only the
    nurse has it), one at 20:00 when nobody is on shift."""
    make_shift(cast.nurse_membership, 0)
    make_shift(cast.carer_membership, 0)
    return [
        make_visit(day=0, start="09:00", end="09:30", required_skills=["insulin"]),
        make_visit(client=cast.other_client_same_team, day=0, start="10:00", end="10:30"),
        make_visit(day=0, start="20:00", end="20:30"),
    ]


def suggest(cast: Cast, monday: dt.date) -> PlanRun:
    return planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )


def label(visit: Visit) -> str:
    return visit.client.full_name


def test_suggesting_carers_proposes_with_reasons_and_assigns_nothing(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    run = suggest(cast, monday)
    assert run.status == PlanRunStatus.DONE
    assert run.progress == 1.0
    proposed = {p["visit_id"]: p for p in run.proposals}
    insulin, plain, evening = (str(v.id) for v in week)
    assert proposed[insulin]["member_ids"] == [str(cast.nurse_membership.id)]
    assert plain in proposed
    assert all(p["reasons"] and p["state"] == "open" for p in run.proposals)
    blocked = {u["visit_id"]: u for u in run.unassignable}
    assert evening in blocked
    assert blocked[evening]["reason"]
    assert not VisitAssignment.objects.exists()


def test_accepting_all_assigns_through_the_services_and_every_assignment_is_in_the_feed(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    run = suggest(cast, monday)
    before = Change.objects.filter(entity="visit_assignment").count()
    results = planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.nurse, label=label)
    assert [r.ok for r in results] == [True] * len(run.proposals)
    assigned = VisitAssignment.objects.filter(visit__in=week[:2])
    assert assigned.count() == 2
    feed = Change.objects.filter(entity="visit_assignment").order_by("seq")
    assert feed.count() == before + 2
    assert {c.entity_id for c in feed} == {a.id for a in assigned}
    assert all(a.assigned_by == cast.nurse for a in assigned)
    run.refresh_from_db()
    assert {p["state"] for p in run.proposals} == {"accepted"}


def test_accepting_some_leaves_the_others_open(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    run = suggest(cast, monday)
    planning.plan_proposals_accept(run=run, visit_ids=[week[1].id], actor=cast.nurse, label=label)
    assert list(VisitAssignment.objects.values_list("visit_id", flat=True)) == [week[1].id]
    run.refresh_from_db()
    states = {p["visit_id"]: p["state"] for p in run.proposals}
    assert states == {str(week[0].id): "open", str(week[1].id): "accepted"}


def test_a_proposal_whose_visit_changed_since_is_refused_with_a_clear_message(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    run = suggest(cast, monday)
    visit_services.visit_assign(
        visit=week[1], version=week[1].version, member=cast.nurse_membership, actor=cast.carer
    )
    results = planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.nurse, label=label)
    refused = [r for r in results if not r.ok]
    assert [r.visit_id for r in refused] == [week[1].id]
    assert "changed after the suggestion" in refused[0].detail
    assert list(week[1].assignments.values_list("member_id", flat=True)) == [
        cast.nurse_membership.id
    ]
    run.refresh_from_db()
    notes = {p["visit_id"]: (p["state"], p["note"]) for p in run.proposals}
    assert notes[str(week[1].id)][0] == "refused"
    assert notes[str(week[0].id)] == ("accepted", "")


def test_dismissing_changes_no_visit(cast: Cast, monday: dt.date, week: list[Visit]) -> None:
    run = suggest(cast, monday)
    planning.plan_proposals_dismiss(run=run, actor=cast.nurse)
    run.refresh_from_db()
    assert {p["state"] for p in run.proposals} == {"dismissed"}
    assert not VisitAssignment.objects.exists()
    with pytest.raises(DomainError):
        planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.nurse, label=label)


def test_only_one_run_at_a_time_per_team(cast: Cast, monday: dt.date) -> None:
    # Started in the background: in this test its thread never starts (nothing commits).
    planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    with pytest.raises(DomainError, match="already being suggested"):
        planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.carer)
    other = planning.plan_run_start(
        team=cast.other_team, monday=monday, day=None, actor=cast.other_nurse
    )
    assert other.status == PlanRunStatus.RUNNING


def test_a_run_whose_worker_died_makes_way_for_a_new_one(cast: Cast, monday: dt.date) -> None:
    lost = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    PlanRun.objects.filter(pk=lost.pk).update(
        updated_at=timezone.now() - planning.LOST_AFTER - dt.timedelta(seconds=1)
    )
    fresh = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    lost.refresh_from_db()
    assert lost.status == PlanRunStatus.FAILED
    assert "server stopped" in lost.message
    assert fresh.status == PlanRunStatus.RUNNING


def test_a_stop_asked_through_the_row_reaches_the_solving_thread(
    cast: Cast, monday: dt.date
) -> None:
    run = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    progress = planning._Progress(run.pk)
    assert not progress.stop_requested()
    planning.plan_run_stop(run=run, actor=cast.carer)
    assert progress.stop_requested()
    with pytest.raises(DomainError, match="already finished"):
        planning.plan_run_stop(run=run, actor=cast.carer)


def test_the_planners_stop_question_never_touches_the_database(
    cast: Cast, monday: dt.date, django_assert_num_queries: Any
) -> None:
    """The planner asks from a new thread per solve: a query there would take a pooled
    connection for good (one watcher thread reads the row instead, and closes its own)."""
    run = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    progress = planning._Progress(run.pk)
    with django_assert_num_queries(0):
        assert not progress.should_stop()
    progress.stopping.set()
    with django_assert_num_queries(0):
        assert progress.should_stop()


def test_a_day_run_plans_that_day_only(
    cast: Cast,
    monday: dt.date,
    make_shift: Callable[..., Shift],
    make_visit: Callable[..., Visit],
) -> None:
    make_shift(cast.carer_membership, 0)
    make_shift(cast.carer_membership, 1)
    monday_visit = make_visit(day=0, start="10:00", end="10:30")
    tuesday_visit = make_visit(day=1, start="10:00", end="10:30")
    run = planning.plan_run_start(
        team=cast.team, monday=monday, day=monday, actor=cast.nurse, background=False
    )
    proposed = {p["visit_id"] for p in run.proposals}
    assert str(monday_visit.id) in proposed
    assert str(tuesday_visit.id) not in proposed


def test_a_member_of_another_team_cannot_start_stop_or_accept(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    from careteams.errors import NotFound

    with pytest.raises(NotFound):
        planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.other_nurse)
    run = suggest(cast, monday)
    with pytest.raises(NotFound):
        planning.plan_proposals_accept(run=run, visit_ids=None, actor=cast.other_nurse, label=label)
    with pytest.raises(NotFound):
        planning.plan_proposals_dismiss(run=run, actor=cast.other_nurse)
    assert not VisitAssignment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_run_solves_in_a_background_thread_and_reports_progress_in_the_feed(
    cast: Cast, monday: dt.date, week: list[Visit]
) -> None:
    run = planning.plan_run_start(team=cast.team, monday=monday, day=None, actor=cast.nurse)
    deadline = time.monotonic() + 60
    while run.status == PlanRunStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    assert run.status == PlanRunStatus.DONE
    assert run.proposals
    # Started, at least one progress report, finished: each a feed entry boards refresh from.
    assert Change.objects.filter(entity="plan_run", entity_id=run.pk).count() >= 3
    assert not VisitAssignment.objects.exists()
