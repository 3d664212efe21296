"""Recording what happened to a dose: no record before check-in, the same id twice is one
record, a second record of one dose is refused naming who made the first, a correction
supersedes and both stay readable; a line not checked, or stopped, is not due."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from careteams.errors import Conflict, DomainError
from careteams.models import Change
from medicines import selectors, services
from medicines.errors import DoseAlreadyRecorded, LineNotChecked, NotCheckedIn, WitnessRequired
from medicines.models import DoseRecord
from scheduling.models import Visit, VisitAssignment
from tests.conftest import Cast, at
from tests.medicines.helpers import Clock, checked, details, prn_details, visit_checked_in

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]

MORNING = at("2026-03-10 07:50")
EIGHT = at("2026-03-10 08:00")


# The registry's walk over every kind (tests/kinds.py) makes one with this: a PRN dose the
# nurse records after the fact.
def new(cast: Cast) -> DoseRecord:
    line = checked(cast, prn_details())
    return DoseRecord(
        line=line,
        client=cast.client,
        outcome="given",
        amount=Decimal(1),
        prn_reason="Headache",
        taken_at=timezone.now() - dt.timedelta(minutes=5),
    )


def give(
    cast: Cast, visit: Visit | None, record_id: uuid.UUID | None = None, **kw: object
) -> DoseRecord:
    line = kw.pop("line", None) or checked(cast)
    return services.dose_record(
        user=kw.pop("user", cast.carer),  # type: ignore[arg-type]
        line=line,  # type: ignore[arg-type]
        visit=visit,
        due_at=kw.pop("due_at", EIGHT),  # type: ignore[arg-type]
        outcome=kw.pop("outcome", "given"),  # type: ignore[arg-type]
        record_id=record_id or uuid.uuid4(),
        **kw,  # type: ignore[arg-type]
    )


def test_the_morning_dose_is_due_at_the_morning_visit_and_recorded_given(
    cast: Cast, clock: Clock
) -> None:
    clock(MORNING)
    line = checked(cast)
    visit = visit_checked_in(cast, MORNING)
    [dose] = selectors.doses_due(visit=visit)
    assert (dose.line, dose.due_at, dose.record) == (line, EIGHT, None)
    record = give(cast, visit, line=line)
    assert record.recorded_by == cast.carer
    assert not record.late_entry
    assert selectors.doses_due(visit=visit)[0].record == record
    assert Change.objects.filter(entity="dose_record", entity_id=record.pk).count() == 1


def test_nothing_is_recorded_before_the_carer_has_checked_in(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=MORNING,
        planned_end=MORNING + dt.timedelta(minutes=30),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    with pytest.raises(NotCheckedIn):
        give(cast, visit)
    assert not DoseRecord.objects.exists()


def test_the_same_record_id_twice_is_one_record(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    line = checked(cast)
    visit = visit_checked_in(cast, MORNING)
    record_id = uuid.uuid4()
    first = give(cast, visit, record_id, line=line)
    again = give(cast, visit, record_id, line=line, outcome="refused")
    assert again == first
    assert again.outcome == "given"
    assert DoseRecord.objects.count() == 1
    assert Change.objects.filter(entity="dose_record").count() == 1


def test_a_second_given_for_one_dose_is_refused_naming_who_recorded_the_first(
    cast: Cast, clock: Clock
) -> None:
    clock(MORNING)
    line = checked(cast)
    visit = visit_checked_in(cast, MORNING)
    give(cast, visit, line=line)
    with pytest.raises(DoseAlreadyRecorded) as refused:
        give(cast, visit, line=line)
    assert "Aoife Ní Bhriain" in refused.value.detail
    assert isinstance(refused.value, Conflict)
    assert DoseRecord.objects.count() == 1


def test_a_correction_supersedes_and_both_stay_readable(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    line = checked(cast)
    visit = visit_checked_in(cast, MORNING)
    first = give(cast, visit, line=line)
    with pytest.raises(DomainError) as refused:
        services.dose_correct(
            user=cast.carer, record=first, outcome="refused", correction_reason=""
        )
    assert refused.value.field == "correction_reason"
    corrected = services.dose_correct(
        user=cast.carer,
        record=first,
        outcome="refused",
        correction_reason="Tapped the wrong button: she refused it",
    )
    assert corrected.supersedes == first
    assert DoseRecord.objects.count() == 2
    assert selectors.doses_due(visit=visit)[0].record == corrected
    with pytest.raises(Conflict):
        services.dose_correct(
            user=cast.carer, record=first, outcome="given", correction_reason="again"
        )


def test_not_given_asks_for_a_reason_from_the_list(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    line = checked(cast)
    visit = visit_checked_in(cast, MORNING)
    with pytest.raises(DomainError) as refused:
        give(cast, visit, line=line, outcome="not_given", reason="bored")
    assert refused.value.field == "reason"
    record = give(cast, visit, line=line, outcome="not_given", reason="asleep", note="Fast asleep")
    assert (record.reason, record.note) == ("asleep", "Fast asleep")


def test_a_line_awaiting_its_check_is_not_due_and_cannot_be_given(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    line = services.line_add(user=cast.nurse, client=cast.client, details=details())
    visit = visit_checked_in(cast, MORNING)
    assert selectors.doses_due(visit=visit) == []
    with pytest.raises(LineNotChecked):
        give(cast, visit, line=line)


def test_a_stopped_line_is_no_longer_due(cast: Cast, clock: Clock) -> None:
    clock(at("2026-03-09 12:00"))
    line = checked(cast, details(times=["08:00", "20:00"]))
    clock(at("2026-03-10 12:00"))
    services.line_stop(user=cast.nurse, line=line, version=line.version, reason="GP stopped it")
    due = selectors.doses_between(
        client=cast.client, start=at("2026-03-10 00:00"), end=at("2026-03-11 00:00")
    )
    assert [d.due_at for d in due] == [EIGHT]
    clock(at("2026-03-10 19:50"))
    visit = visit_checked_in(cast, at("2026-03-10 19:50"))
    assert selectors.doses_due(visit=visit) == []
    with pytest.raises(DomainError) as refused:
        give(cast, visit, line=line, due_at=at("2026-03-10 20:00"))
    assert refused.value.field == "due_at"


def test_a_line_past_its_stop_date_is_not_due(cast: Cast, clock: Clock) -> None:
    clock(at("2026-03-08 12:00"))
    checked(cast, details(stops_on=dt.date(2026, 3, 9)))
    due = selectors.doses_between(
        client=cast.client, start=at("2026-03-08 00:00"), end=at("2026-03-11 00:00")
    )
    assert [d.due_at for d in due] == [at("2026-03-09 08:00")]


def test_a_controlled_drug_needs_a_witness_when_the_team_asks(cast: Cast, clock: Clock) -> None:
    clock(MORNING)
    line = checked(cast, details(name="Morphine sulfate MR", cd_schedule="2"))
    visit = visit_checked_in(cast, MORNING)
    with pytest.raises(WitnessRequired):
        give(cast, visit, line=line)
    with pytest.raises(DomainError) as refused:
        give(cast, visit, line=line, witness=cast.carer)
    assert refused.value.field == "witness"
    record = give(cast, visit, line=line, witness=cast.nurse)
    assert record.witnessed_by == cast.nurse


def test_a_team_that_asks_no_witness_records_controlled_drugs_without_one(
    cast: Cast, clock: Clock
) -> None:
    clock(MORNING)
    services.policy_change(
        user=cast.nurse,
        team=cast.team,
        version=1,
        cd_witness_required=False,
        missed_dose_grace_minutes=60,
    )
    line = checked(cast, details(name="Morphine sulfate MR", cd_schedule="2"))
    visit = visit_checked_in(cast, MORNING)
    assert give(cast, visit, line=line).witnessed_by is None
