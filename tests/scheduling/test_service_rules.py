"""The services check what they are given, whoever calls them: choices, lengths, ranges and
plausible device times, each refused with a DomainError naming the service's own parameter (the
doors rename it to what their callers sent: tests/mobile_api/test_doors.py)."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from careteams import limits
from careteams.errors import DomainError
from clients.services import care_plan, notes
from clients.services import clients as client_services
from clients.services.clients import ClientDetails, max_length
from scheduling.models import Absence, Shift, Visit, VisitAssignment, VisitStatus
from scheduling.services import common, shifts, visits
from scheduling.services.visits import VisitDetails
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db


def refused(call: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def new_shift(cast: Cast, **changes: Any) -> Shift:
    values: dict[str, Any] = {
        "team": cast.team,
        "member": cast.carer_membership,
        "start": on(0, "07:00"),
        "end": on(0, "15:00"),
        "kind": "early",
        "break_minutes": 30,
        "actor": cast.nurse,
    }
    return shifts.shift_create(**(values | changes))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "banana"}, "kind"),
        ({"note": "x" * (limits.ROTA_NOTE_MAX + 1)}, "note"),
        ({"break_minutes": limits.BREAK_MINUTES_MAX + 1}, "break_minutes"),
        ({"break_minutes": -1}, "break_minutes"),
    ],
)
def test_a_shift_with_a_value_out_of_bounds_is_refused_by_the_service(
    cast: Cast, changes: dict[str, Any], field: str
) -> None:
    assert refused(lambda: new_shift(cast, **changes)).field == field
    assert not Shift.objects.exists()


def test_an_absence_of_an_unknown_kind_or_a_long_note_is_refused_by_the_service(
    cast: Cast,
) -> None:
    def absence(**changes: Any) -> Absence:
        values: dict[str, Any] = {
            "team": cast.team,
            "member": cast.carer_membership,
            "kind": "sickness",
            "start": on(0, "00:00"),
            "end": on(1, "00:00"),
            "actor": cast.nurse,
        }
        return shifts.absence_create(**(values | changes))

    assert refused(lambda: absence(kind="banana")).field == "kind"
    assert refused(lambda: absence(note="x" * (limits.ROTA_NOTE_MAX + 1))).field == "note"
    assert not Absence.objects.exists()


def test_the_shift_service_takes_the_team_lock_before_it_checks_for_overlaps(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked before the lock, two writers both see no overlap and both write."""
    order: list[str] = []
    lock, clash = common.lock_team, shifts._clash

    def spy_lock(team: Any) -> None:
        order.append("lock")
        lock(team)

    def spy_clash(**kwargs: Any) -> DomainError | None:
        order.append("check")
        return clash(**kwargs)

    monkeypatch.setattr(shifts, "lock_team", spy_lock)
    monkeypatch.setattr(shifts, "_clash", spy_clash)
    shift = new_shift(cast)
    shifts.shift_update(
        shift=shift,
        version=1,
        member=cast.carer_membership,
        start=on(0, "08:00"),
        end=on(0, "15:00"),
        kind="early",
        break_minutes=30,
        note="",
        actor=cast.nurse,
    )
    assert order == ["lock", "check", "lock", "check"]


# Device times ------------------------------------------------------------------------------


@pytest.fixture
def visit_on(cast: Cast) -> Visit:
    """A visit of the carer's, planned to start now."""
    start = timezone.now()
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visit


def check_in(cast: Cast, visit: Visit, at: dt.datetime) -> Visit:
    return visits.visit_check_in(
        visit=visit, version=1, member=cast.carer_membership, actor=cast.carer, at=at
    )


def test_a_check_in_five_years_before_the_visit_is_refused_and_the_visit_stays_planned(
    cast: Cast, visit_on: Visit
) -> None:
    error = refused(lambda: check_in(cast, visit_on, visit_on.planned_start.replace(year=2021)))
    assert error.field == "at"
    visit_on.refresh_from_db()
    assert visit_on.status == VisitStatus.PLANNED
    assert visit_on.checked_in_at is None


def test_a_check_in_a_day_before_the_visit_is_refused_for_being_on_another_day(
    cast: Cast, visit_on: Visit
) -> None:
    bound = visit_on.planned_start - limits.BEFORE_VISIT_ALLOWED
    assert refused(lambda: check_in(cast, visit_on, bound - dt.timedelta(minutes=1))).field == "at"
    error = refused(lambda: check_in(cast, visit_on, bound))
    assert error.field == "at"
    assert "on that day only" in error.detail
    assert check_in(cast, visit_on, visit_on.planned_start).checked_in_at == (
        visit_on.planned_start
    )


def test_a_check_out_in_the_future_is_refused(cast: Cast, visit_on: Visit) -> None:
    check_in(cast, visit_on, visit_on.planned_start)
    later = timezone.now() + limits.CLOCK_SKEW_ALLOWED + dt.timedelta(minutes=1)
    error = refused(
        lambda: visits.visit_check_out(
            visit=visit_on, version=2, member=cast.carer_membership, actor=cast.carer, at=later
        )
    )
    assert error.field == "at"


def test_a_visit_task_too_long_is_refused_by_the_service(cast: Cast) -> None:
    details = VisitDetails(
        start=on(0, "09:00"),
        end=on(0, "09:30"),
        window_start=None,
        window_end=None,
        required_skills=[],
        carers_needed=1,
        tasks=["x" * (limits.TASK_MAX + 1)],
    )
    error = refused(
        lambda: visits.visit_create(
            team=cast.team, client=cast.client, details=details, actor=cast.nurse
        )
    )
    assert error.field == "tasks"


# Notes and the care plan -------------------------------------------------------------------


def write(cast: Cast, **changes: Any) -> object:
    values: dict[str, Any] = {
        "client": cast.client,
        "author": cast.carer,
        "body": "Slept well.",
        "note_id": uuid.uuid4(),
    }
    return notes.note_write(**(values | changes))


def test_a_note_over_the_limit_is_refused_by_the_service(cast: Cast) -> None:
    error = refused(lambda: write(cast, body="x" * (limits.NOTE_BODY_MAX + 1)))
    assert (error.field, error.detail) == ("body", limits.too_long(limits.NOTE_BODY_MAX))
    assert write(cast, body="x" * limits.NOTE_BODY_MAX)


def test_a_note_dated_long_ago_is_refused_but_a_late_entry_is_kept(cast: Cast) -> None:
    now = timezone.now()
    too_old = now - limits.NOTE_AGE_ALLOWED - dt.timedelta(hours=1)
    assert refused(lambda: write(cast, written_at=too_old)).field == "written_at"
    assert write(cast, written_at=now - dt.timedelta(days=3))


def test_a_note_about_a_visit_dated_long_before_it_is_refused(cast: Cast, visit_on: Visit) -> None:
    early = visit_on.planned_start - limits.BEFORE_VISIT_ALLOWED - dt.timedelta(minutes=1)
    assert refused(lambda: write(cast, visit=visit_on, written_at=early)).field == "written_at"


def test_an_intervention_description_over_the_limit_is_refused_by_the_service(
    cast: Cast,
) -> None:
    problem = care_plan.problem_add(
        client=cast.client,
        problem_code="06",
        scope="individual",
        severity="potential",
        signs_symptoms=[],
        identified_on=timezone.localdate(),
        actor=cast.nurse,
    )
    error = refused(
        lambda: care_plan.intervention_add(
            problem=problem,
            category="teaching",
            target="01",
            care_description="x" * (limits.CARE_DESCRIPTION_MAX + 1),
            frequency="",
            actor=cast.nurse,
        )
    )
    assert error.field == "care_description"


def test_a_client_name_longer_than_its_column_is_refused_by_the_service(cast: Cast) -> None:
    long_name = "x" * (max_length("family_name") + 1)
    error = refused(
        lambda: client_services.client_create(
            team=cast.team,
            details=ClientDetails(given_name="Ann", family_name=long_name),
            actor=cast.nurse,
        )
    )
    assert (error.field, error.detail) == (
        "family_name",
        limits.too_long(max_length("family_name")),
    )
