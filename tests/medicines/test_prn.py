"""The PRN rule: the minimum interval and the 24-hour maximum, across midnight, across two
products of one ingredient (paracetamol and co-codamol) and across the October clock change,
in real elapsed time; a dose recorded offline that breaks it is kept with a warning."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from medicines import selectors, services
from medicines.errors import PrnMaximumReached, PrnTooSoon
from medicines.models import DoseRecord
from tests.conftest import Cast, at
from tests.medicines.helpers import Clock, checked, prn_details, prn_given, visit_checked_in

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]


def test_a_second_dose_inside_the_interval_is_refused_with_when_it_is_allowed(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-03-10 22:00"))
    line = checked(cast, prn_details())
    prn_given(cast, line, at("2026-03-10 22:00"))
    clock(at("2026-03-11 01:00"))  # past midnight, three hours later
    with pytest.raises(PrnTooSoon) as refused:
        prn_given(cast, line, at("2026-03-11 01:00"))
    assert refused.value.allowed_at == at("2026-03-11 02:00")
    assert selectors.prn_next_allowed(line=line, at=at("2026-03-11 02:00")) is None
    clock(at("2026-03-11 02:00"))
    prn_given(cast, line, at("2026-03-11 02:00"))


def test_the_24_hour_maximum_counts_across_midnight(cast: Cast, clock: Clock) -> None:
    clock(at("2026-03-10 10:00"))
    line = checked(cast, prn_details())
    for moment in ("2026-03-10 10:00", "2026-03-10 14:00", "2026-03-10 18:00", "2026-03-10 22:00"):
        clock(at(moment))
        prn_given(cast, line, at(moment))  # two tablets each: eight by 22:00
    clock(at("2026-03-11 02:30"))
    with pytest.raises(PrnMaximumReached) as refused:
        prn_given(cast, line, at("2026-03-11 02:30"), amount=1)
    # The 10:00 dose leaves the 24 hours at 10:00 the next day.
    assert refused.value.allowed_at == at("2026-03-11 10:00")


def test_paracetamol_and_co_codamol_share_the_interval_and_the_maximum(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-03-10 06:00"))
    paracetamol = checked(cast, prn_details())
    cocodamol = checked(cast, prn_details("Co-codamol 30/500", ingredients="codeine, paracetamol"))
    prn_given(cast, paracetamol, at("2026-03-10 06:00"))
    clock(at("2026-03-10 08:00"))
    with pytest.raises(PrnTooSoon) as refused:
        prn_given(cast, cocodamol, at("2026-03-10 08:00"))
    assert refused.value.allowed_at == at("2026-03-10 10:00")
    for moment, line in (
        ("2026-03-10 10:00", cocodamol),
        ("2026-03-10 14:00", paracetamol),
        ("2026-03-10 18:00", cocodamol),
    ):
        clock(at(moment))
        prn_given(cast, line, at(moment))
    clock(at("2026-03-10 23:00"))
    with pytest.raises(PrnMaximumReached) as maximum:
        prn_given(cast, paracetamol, at("2026-03-10 23:00"), amount=1)
    assert maximum.value.allowed_at == at("2026-03-11 06:00")


def test_a_medicine_of_another_ingredient_is_not_counted(cast: Cast, clock: Clock) -> None:
    clock(at("2026-03-10 06:00"))
    paracetamol = checked(cast, prn_details())
    ibuprofen = checked(cast, prn_details("Ibuprofen", strength="200 mg"))
    prn_given(cast, paracetamol, at("2026-03-10 06:00"))
    prn_given(cast, ibuprofen, at("2026-03-10 06:00"))
    assert DoseRecord.objects.count() == 2


def test_the_interval_is_real_time_across_the_october_clock_change(
    cast: Cast, clock: Clock
) -> None:
    # 25 October 2026: at 02:00 summer time, London's clocks go back to 01:00.
    clock(at("2026-10-25 00:30"))
    line = checked(cast, prn_details())
    first = at("2026-10-25 00:30").astimezone(dt.UTC)  # 23:30 UTC the day before
    prn_given(cast, line, first)
    # Four real hours later the wall clock says 03:30, not 04:30.
    allowed = selectors.prn_next_allowed(line=line, at=first + dt.timedelta(hours=3))
    assert allowed == first + dt.timedelta(hours=4)
    assert allowed is not None
    assert allowed.astimezone(cast.team.zone).strftime("%H:%M") == "03:30"


def test_the_24_hours_are_real_hours_across_the_october_clock_change(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-10-24 08:00"))
    line = checked(cast, prn_details())
    for hours in (0, 4, 8, 12):
        moment = at("2026-10-24 08:00") + dt.timedelta(hours=hours)
        clock(moment)
        prn_given(cast, line, moment)
    # 08:00 on the 25th by the wall clock is 25 real hours after 08:00 on the 24th: allowed;
    # 07:00 by the wall clock is exactly 24 real hours later, when the first dose has left.
    assert selectors.prn_next_allowed(line=line, at=at("2026-10-25 06:30")) == at(
        "2026-10-25 07:00"
    )
    assert selectors.prn_next_allowed(line=line, at=at("2026-10-25 07:00")) is None


def test_a_prn_recorded_offline_against_the_rule_is_kept_with_a_warning(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-03-10 08:00"))
    line = checked(cast, prn_details())
    prn_given(cast, line, at("2026-03-10 08:00"))
    clock(at("2026-03-10 09:00"))
    visit = visit_checked_in(cast, at("2026-03-10 09:00"))
    clock(at("2026-03-10 12:00"))  # the tablet syncs later
    record = services.dose_record(
        user=cast.carer,
        line=line,
        visit=visit,
        due_at=None,
        outcome="given",
        record_id=uuid.uuid4(),
        amount=Decimal(2),
        prn_reason="Pain after the walk",
        taken_at=at("2026-03-10 09:15"),
        offline=True,
    )
    assert "PRN rule" in record.warning
    assert DoseRecord.objects.count() == 2


def test_a_prn_dose_needs_its_reason_and_an_amount_within_the_dose(
    cast: Cast, clock: Clock
) -> None:
    from careteams.errors import DomainError

    clock(at("2026-03-10 08:00"))
    line = checked(cast, prn_details())
    with pytest.raises(DomainError) as refused:
        prn_given(cast, line, at("2026-03-10 08:00"), prn_reason="")
    assert refused.value.field == "prn_reason"
    with pytest.raises(DomainError) as too_much:
        prn_given(cast, line, at("2026-03-10 08:00"), amount=3)
    assert too_much.value.field == "amount"
