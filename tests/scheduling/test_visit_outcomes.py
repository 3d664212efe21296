"""Task outcomes (append-only, superseded not changed, in the feed and on the client record),
missed visits with their reason, and the missed count in the team's figures."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from careteams.errors import DomainError, NotFound
from careteams.models import Change
from clients.models import CareProblem, Intervention
from clients.services import care_plan
from scheduling import selectors
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.selectors import visit_card as cards
from scheduling.services import visit_records
from scheduling.visit_models import AppendOnly, MissedVisit, VisitTaskOutcome
from tests.conftest import Cast
from tests.scheduling.conftest import MONDAY, on


@pytest.fixture
def visit(cast: Cast, problem: CareProblem) -> Visit:
    """Monday 09:00, with the visit's own task "Bins out" and the care plan's dressing."""
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(0, "09:00"),
        planned_end=on(0, "09:30"),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


@pytest.fixture
def problem(cast: Cast) -> CareProblem:
    problem = CareProblem.objects.create(
        client=cast.client, problem_code="24", identified_on=MONDAY - dt.timedelta(days=9)
    )
    Intervention.objects.create(
        problem=problem,
        category="treatments",
        target="17",
        care_description="Dress the heel ulcer",
    )
    return problem


def dressing_key(cast: Cast) -> str:
    return f"intervention:{Intervention.objects.get(problem__client=cast.client).id}"


def test_the_visits_tasks_are_the_due_interventions_then_its_own(cast: Cast, visit: Visit) -> None:
    tasks = cards.visit_tasks(visit)
    assert [t.label for t in tasks] == ["Dress the heel ulcer", "Bins out"]
    assert tasks[0].key == dressing_key(cast)


def test_an_evening_only_intervention_is_not_a_task_of_a_morning_visit(
    cast: Cast, visit: Visit
) -> None:
    intervention = Intervention.objects.get(problem__client=cast.client)
    care_plan.intervention_schedule_set(
        intervention=intervention,
        version=1,
        parts=["evening"],
        weekdays=[],
        actor=cast.nurse,
    )
    assert [t.label for t in cards.visit_tasks(visit)] == ["Bins out"]
    assert Change.objects.filter(entity="intervention", entity_id=intervention.id).exists()


def test_outcomes_are_in_the_feed_and_a_change_supersedes_without_erasing(
    cast: Cast, visit: Visit
) -> None:
    first = visit_records.visit_task_outcome_record(
        visit=visit, task_key=dressing_key(cast), outcome="done", actor=cast.carer
    )
    second = visit_records.visit_task_outcome_record(
        visit=visit,
        task_key=dressing_key(cast),
        outcome="not_done",
        reason="could_not",
        note="No dressings left in the house",
        actor=cast.carer,
    )
    assert second.supersedes == first
    assert VisitTaskOutcome.objects.filter(visit=visit).count() == 2
    feed = Change.objects.filter(entity="visit_task_outcome").order_by("seq")
    assert [c.data["outcome"] for c in feed] == ["done", "not_done"]
    assert feed.last().data["note"] == "No dressings left in the house"  # type: ignore[union-attr]
    first.note = "changed"
    with pytest.raises(AppendOnly):
        first.save()
    card = cards.visit_card(user=cast.carer, team_id=cast.team.id, visit_id=visit.id)
    assert card.tasks[0].outcome == second
    assert len(card.tasks[0].history) == 2
    assert card.tasks_open == 1  # "Bins out"


def test_a_retried_outcome_with_the_same_id_adds_nothing(cast: Cast, visit: Visit) -> None:
    ident = uuid.uuid4()
    for _ in range(2):
        visit_records.visit_task_outcome_record(
            visit=visit,
            task_key="visit:Bins out",
            outcome="done",
            actor=cast.carer,
            outcome_id=ident,
        )
    assert VisitTaskOutcome.objects.count() == 1


@pytest.mark.parametrize(
    ("outcome", "reason", "note", "field"),
    [
        ("done", "refused", "", "reason"),
        ("not_done", "", "", "reason"),
        ("not_done", "could_not", "", "note"),
        ("maybe", "", "", "outcome"),
    ],
)
def test_an_outcome_without_its_reason_or_note_is_refused(
    cast: Cast, visit: Visit, outcome: str, reason: str, note: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        visit_records.visit_task_outcome_record(
            visit=visit,
            task_key="visit:Bins out",
            outcome=outcome,
            reason=reason,
            note=note,
            actor=cast.carer,
        )
    assert refused.value.field == field
    assert not VisitTaskOutcome.objects.exists()


def test_a_task_not_of_this_visit_is_refused(cast: Cast, visit: Visit) -> None:
    with pytest.raises(DomainError) as refused:
        visit_records.visit_task_outcome_record(
            visit=visit, task_key="visit:Hoover", outcome="done", actor=cast.carer
        )
    assert refused.value.field == "task_key"


def test_the_client_record_shows_what_was_done_on_which_visit_by_whom(
    cast: Cast, visit: Visit
) -> None:
    visit_records.visit_task_outcome_record(
        visit=visit,
        task_key="visit:Bins out",
        outcome="not_done",
        reason="refused",
        actor=cast.carer,
    )
    rows = cards.client_task_outcomes(user=cast.nurse, client_id=cast.client.id)
    assert [(r.visit_id, r.task_label, r.outcome, r.reason, r.by) for r in rows] == [
        (visit.id, "Bins out", "not_done", "refused", "Aoife Ní Bhriain")
    ]
    with pytest.raises(NotFound):
        cards.client_task_outcomes(user=cast.other_nurse, client_id=cast.client.id)
    with pytest.raises(NotFound):
        cards.client_task_outcomes(user=cast.family, client_id=cast.client.id)


def test_outcome_and_missed_services_refuse_another_teams_member(cast: Cast, visit: Visit) -> None:
    with pytest.raises(NotFound):
        visit_records.visit_task_outcome_record(
            visit=visit, task_key="visit:Bins out", outcome="done", actor=cast.other_nurse
        )
    with pytest.raises(NotFound):
        visit_records.visit_missed_record(
            visit=visit, version=1, reason="not_home", actor=cast.other_nurse
        )


def test_a_missed_visit_gets_its_reason_and_counts_in_the_team_figures(
    cast: Cast, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:10"))
    with pytest.raises(DomainError, match="not late yet"):
        visit_records.visit_missed_record(
            visit=visit, version=1, reason="not_home", actor=cast.nurse
        )
    monkeypatch.setattr(timezone, "now", lambda: on(1, "08:00"))
    figures = selectors.team_figures(user=cast.coach, team_id=cast.team.id, monday=MONDAY)
    assert figures.missed == 1  # nobody checked in by the end of Monday
    with pytest.raises(DomainError) as refused:
        visit_records.visit_missed_record(visit=visit, version=1, reason="other", actor=cast.nurse)
    assert refused.value.field == "note"
    missed = visit_records.visit_missed_record(
        visit=visit, version=1, reason="in_hospital", note="Admitted Sunday", actor=cast.nurse
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.MISSED
    assert Change.objects.filter(entity="missed_visit", entity_id=missed.id).exists()
    assert MissedVisit.objects.get().note == "Admitted Sunday"
    assert selectors.team_figures(user=cast.nurse, team_id=cast.team.id, monday=MONDAY).missed == 1


def test_the_teams_day_shows_late_visits_not_yet_attended_and_the_familys_day_says_so(
    cast: Cast, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduling.selectors.family_day import family_day

    monkeypatch.setattr(timezone, "now", lambda: on(0, "09:45"))
    day = cards.team_day_cards(user=cast.nurse, team_id=cast.team.id, day=MONDAY)
    assert [c.visit.id for c in day.late] == [visit.id]
    assert day.missed == []
    seen = family_day(user=cast.family, client_id=cast.client.id, day=MONDAY)
    assert [(v.state, v.carers) for v in seen.visits] == [("late", ["Aoife"])]
    assert "Key safe" not in str(seen)
    with pytest.raises(NotFound):
        cards.team_day_cards(user=cast.family, team_id=cast.team.id, day=MONDAY)
    with pytest.raises(NotFound):
        family_day(user=cast.other_nurse, client_id=cast.client.id, day=MONDAY)


def test_coaches_follow_that_a_visit_was_missed_but_not_why_and_never_task_outcomes(
    cast: Cast, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careteams import registry

    monkeypatch.setattr(timezone, "now", lambda: on(1, "08:00"))
    missed = visit_records.visit_missed_record(
        visit=visit, version=1, reason="in_hospital", note="Admitted", actor=cast.nurse
    )
    change = Change.objects.get(entity="missed_visit", entity_id=missed.id)
    seen = registry.get("missed_visit").coach_view(change.data)
    assert seen["visit_id"] == str(visit.id)
    assert "reason" not in seen
    assert "note" not in seen
    assert "visit_task_outcome" not in registry.coach_names()
    assert "emergency_contact" not in registry.coach_names()
    assert not {"visit_task_outcome", "emergency_contact", "visit_attendance", "missed_visit"} & (
        registry.family_names()
    )
