"""Every write service checks that its actor may write to that team, whoever called it: a member
of another team, calling the service directly, gets the NotFound a page gives, and nothing is
written. (A future caller that forgets to scope its records cannot write across teams.)"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import services as account_services
from careteams import services as team_services
from careteams.errors import NotFound
from careteams.models import Change, User
from clients.models import CareProblem, FamilyAccess
from clients.services import care_plan, family, notes
from clients.services import clients as client_services
from clients.services.clients import ClientDetails
from scheduling.models import (
    Absence,
    PlanRun,
    PlanRunStatus,
    RotaNotice,
    Shift,
    SwapOffer,
    Visit,
    VisitAssignment,
    VisitPattern,
)
from scheduling.services import patterns, planning, shifts, swaps, visits, weeks
from scheduling.services.patterns import PatternDetails
from scheduling.services.visits import VisitDetails
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2030, 11, 25)
START = dt.datetime(2030, 11, 25, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@dataclass
class Records:
    """One of each record of the first team, and an intruder from the other team."""

    cast: Cast
    shift: Shift
    absence: Absence
    visit: Visit
    pattern: VisitPattern
    offer: SwapOffer
    notice: RotaNotice
    problem: CareProblem
    access: FamilyAccess


@pytest.fixture
def records(cast: Cast) -> Records:
    nurse = cast.nurse_membership
    shift = Shift.objects.create(team=cast.team, member=nurse, start=START, end=START + 8 * HOUR)
    visit = Visit.objects.create(
        team=cast.team, client=cast.client, planned_start=START, planned_end=START + HOUR / 2
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return Records(
        cast=cast,
        shift=shift,
        absence=Absence.objects.create(
            team=cast.team, member=nurse, kind="training", start=START, end=START + HOUR
        ),
        visit=visit,
        pattern=VisitPattern.objects.create(
            team=cast.team,
            client=cast.client,
            weekdays=[1],
            window_start=dt.time(8),
            window_end=dt.time(9),
            duration_minutes=30,
            valid_from=MONDAY,
        ),
        offer=SwapOffer.objects.create(team=cast.team, offered_by=nurse, shift=shift),
        notice=RotaNotice.objects.create(
            team=cast.team, week_start=MONDAY, member=nurse, text="Your shift changed."
        ),
        problem=CareProblem.objects.create(
            client=cast.client,
            problem_code="24",
            severity="actual",
            signs_symptoms=["01"],
            identified_on=timezone.localdate() - dt.timedelta(days=30),
        ),
        access=FamilyAccess.objects.get(client=cast.client),
    )


VISIT = VisitDetails(
    start=START,
    end=START + HOUR,
    window_start=None,
    window_end=None,
    required_skills=[],
    carers_needed=1,
    tasks=[],
)
PATTERN = PatternDetails(
    weekdays=[2],
    window_start=dt.time(8),
    window_end=dt.time(9),
    duration_minutes=30,
    required_skills=[],
    carers_needed=1,
    tasks=[],
    valid_from=MONDAY,
    valid_until=None,
)

Write = Callable[[Records], object]


def _run(r: Records) -> PlanRun:
    """A finished run of the team's planner with one open proposal (as its thread stores it)."""
    return PlanRun.objects.create(
        team=r.cast.team,
        week_start=MONDAY,
        status=PlanRunStatus.DONE,
        started_by=r.cast.nurse,
        updated_at=timezone.now(),
        proposals=[
            {
                "visit_id": str(r.visit.id),
                "visit_version": r.visit.version,
                "member_ids": [str(r.cast.carer_membership.id)],
                "reasons": ["on shift"],
                "state": "open",
                "note": "",
            }
        ],
    )


def _intruder(r: Records) -> User:
    """The actor of every write below: a nurse of another team."""
    return r.cast.other_nurse


WRITES: dict[str, Write] = {
    "shift_create": lambda r: shifts.shift_create(
        team=r.cast.team,
        member=r.cast.carer_membership,
        start=START + 24 * HOUR,
        end=START + 30 * HOUR,
        kind="early",
        actor=_intruder(r),
    ),
    "shift_update": lambda r: shifts.shift_update(
        shift=r.shift,
        version=1,
        member=r.cast.nurse_membership,
        start=START,
        end=START + 7 * HOUR,
        kind="early",
        break_minutes=0,
        note="",
        actor=_intruder(r),
    ),
    "shift_delete": lambda r: shifts.shift_delete(shift=r.shift, version=1, actor=_intruder(r)),
    "shifts_copy_week": lambda r: shifts.shifts_copy_week(
        team=r.cast.team, monday=MONDAY + dt.timedelta(days=7), actor=_intruder(r)
    ),
    "absence_create": lambda r: shifts.absence_create(
        team=r.cast.team,
        member=r.cast.carer_membership,
        kind="sickness",
        start=START,
        end=START + HOUR,
        actor=_intruder(r),
    ),
    "absence_update": lambda r: shifts.absence_update(
        absence=r.absence,
        version=1,
        member=r.cast.nurse_membership,
        kind="sickness",
        start=START,
        end=START + HOUR,
        note="",
        actor=_intruder(r),
    ),
    "absence_delete": lambda r: shifts.absence_delete(
        absence=r.absence, version=1, actor=_intruder(r)
    ),
    "visit_create": lambda r: visits.visit_create(
        team=r.cast.team, client=r.cast.client, details=VISIT, actor=_intruder(r)
    ),
    "visit_update": lambda r: visits.visit_update(
        visit=r.visit, version=1, details=VISIT, actor=_intruder(r)
    ),
    "visit_cancel": lambda r: visits.visit_cancel(visit=r.visit, version=1, actor=_intruder(r)),
    "visit_assign": lambda r: visits.visit_assign(
        visit=r.visit, version=1, member=r.cast.nurse_membership, actor=_intruder(r)
    ),
    "visit_unassign": lambda r: visits.visit_unassign(
        visit=r.visit, version=1, member=r.cast.carer_membership, actor=_intruder(r)
    ),
    "visit_check_in": lambda r: visits.visit_check_in(
        visit=r.visit, version=1, member=r.cast.carer_membership, actor=_intruder(r)
    ),
    "visit_check_out": lambda r: visits.visit_check_out(
        visit=r.visit, version=1, member=r.cast.carer_membership, actor=_intruder(r)
    ),
    "visit_pattern_create": lambda r: patterns.visit_pattern_create(
        team=r.cast.team, client=r.cast.client, details=PATTERN, actor=_intruder(r)
    ),
    "visit_pattern_update": lambda r: patterns.visit_pattern_update(
        pattern=r.pattern, version=1, details=PATTERN, actor=_intruder(r)
    ),
    "week_generate": lambda r: patterns.week_generate(
        team=r.cast.team, monday=MONDAY, actor=_intruder(r)
    ),
    "swap_offer_create": lambda r: swaps.swap_offer_create(
        team=r.cast.team, offered_by=r.cast.carer_membership, visit=r.visit, actor=_intruder(r)
    ),
    "swap_offer_withdraw": lambda r: swaps.swap_offer_withdraw(
        offer=r.offer, version=1, member=r.cast.nurse_membership, actor=_intruder(r)
    ),
    "swap_offer_take": lambda r: swaps.swap_offer_take(
        offer=r.offer, version=1, taker=r.cast.carer_membership, actor=_intruder(r)
    ),
    "rota_week_publish": lambda r: weeks.rota_week_publish(
        team=r.cast.team, monday=MONDAY, version=0, actor=_intruder(r)
    ),
    "rota_notice_mark_seen": lambda r: weeks.rota_notice_mark_seen(
        notice=r.notice, member=r.cast.nurse_membership, actor=_intruder(r)
    ),
    "client_create": lambda r: client_services.client_create(
        team=r.cast.team,
        details=ClientDetails(given_name="Ann", family_name="Lee"),
        actor=_intruder(r),
    ),
    "client_update": lambda r: client_services.client_update(
        client=r.cast.client,
        version=1,
        details=ClientDetails(given_name="Ann", family_name="Lee"),
        actor=_intruder(r),
    ),
    "client_set_nurses": lambda r: client_services.client_set_nurses(
        client=r.cast.client, version=1, primary=None, second=None, actor=_intruder(r)
    ),
    "problem_add": lambda r: care_plan.problem_add(
        client=r.cast.client,
        problem_code="06",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=timezone.localdate(),
        actor=_intruder(r),
    ),
    "problem_resolve": lambda r: care_plan.problem_resolve(
        problem=r.problem, version=1, resolved_on=timezone.localdate(), actor=_intruder(r)
    ),
    "intervention_add": lambda r: care_plan.intervention_add(
        problem=r.problem,
        category="teaching",
        target="01",
        care_description="Explain.",
        frequency="",
        actor=_intruder(r),
    ),
    "rating_add": lambda r: care_plan.rating_add(
        problem=r.problem,
        knowledge=3,
        behaviour=3,
        status=3,
        rated_on=timezone.localdate(),
        actor=_intruder(r),
    ),
    "family_invite": lambda r: family.family_invite(
        client=r.cast.client,
        email="someone@example.test",
        relationship="child",
        consent_basis="client_consent",
        actor=_intruder(r),
    ),
    "client_location_confirm": lambda r: client_services.client_location_confirm(
        client=r.cast.client,
        version=r.cast.client.version,
        latitude=52.4862,
        longitude=-1.8904,
        consent=True,
        actor=_intruder(r),
    ),
    "family_revoke": lambda r: family.family_revoke(access=r.access, version=1, actor=_intruder(r)),
    "note_write": lambda r: notes.note_write(
        client=r.cast.client,
        author=r.cast.other_nurse,
        body="Across teams.",
        note_id=uuid.uuid4(),
    ),
    "membership_end": lambda r: team_services.membership_end(
        membership=r.cast.carer_membership, version=1, actor=_intruder(r)
    ),
    "team_invite": lambda r: account_services.team_invite(
        team=r.cast.team,
        email="new@example.test",
        role="care_worker",
        contracted_hours=Decimal(20),
        actor=_intruder(r),
    ),
    "visits_assign_many": lambda r: visits.visits_assign_many(
        team=r.cast.team,
        picked=[(r.visit.id, r.visit.version)],
        member=r.cast.carer_membership,
        actor=_intruder(r),
    ),
    "plan_run_start": lambda r: planning.plan_run_start(
        team=r.cast.team, monday=MONDAY, day=None, actor=_intruder(r)
    ),
    "plan_run_stop": lambda r: planning.plan_run_stop(run=_run(r), actor=_intruder(r)),
    "plan_proposals_accept": lambda r: planning.plan_proposals_accept(
        run=_run(r), visit_ids=None, label=str, actor=_intruder(r)
    ),
    "plan_proposals_dismiss": lambda r: planning.plan_proposals_dismiss(
        run=_run(r), actor=_intruder(r)
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_a_member_of_another_team_calling_a_write_service_directly_gets_not_found(
    records: Records, name: str
) -> None:
    changes = Change.objects.count()
    with pytest.raises(NotFound):
        WRITES[name](records)
    assert Change.objects.count() == changes


@pytest.mark.parametrize("name", ["shift_create", "note_write", "visit_check_in"])
def test_a_member_of_the_team_may_still_write(records: Records, name: str) -> None:
    """The check is about the team, not the call: the team's own members pass it."""
    cast = records.cast
    if name == "shift_create":
        shifts.shift_create(
            team=cast.team,
            member=cast.carer_membership,
            start=START + 24 * HOUR,
            end=START + 30 * HOUR,
            kind="early",
            actor=cast.nurse,
        )
    elif name == "note_write":
        notes.note_write(client=cast.client, author=cast.carer, body="Fine.", note_id=uuid.uuid4())
    else:
        Visit.objects.filter(pk=records.visit.pk).update(planned_start=timezone.now())
        visits.visit_check_in(
            visit=records.visit, version=1, member=cast.carer_membership, actor=cast.carer
        )
