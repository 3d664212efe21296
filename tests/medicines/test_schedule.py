"""When scheduled doses are due: at the line's wall-clock times in the team's zone (the same
08:00 either side of a clock change), time-critical ones first, within a visit's span give or
take each line's tolerance, from the line's start date."""

import datetime as dt

import pytest

from medicines import selectors
from scheduling.models import Visit
from tests.conftest import Cast, at
from tests.medicines.helpers import Clock, checked, details

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]


def test_an_eight_oclock_dose_stays_at_eight_across_the_october_clock_change(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-10-23 12:00"))
    checked(cast)
    due = selectors.doses_between(
        client=cast.client, start=at("2026-10-24 00:00"), end=at("2026-10-27 00:00")
    )
    utc = [d.due_at.astimezone(dt.UTC).strftime("%d %H:%M") for d in due]
    assert utc == ["24 07:00", "25 08:00", "26 08:00"]


def test_a_visit_gets_the_doses_whose_window_meets_it_time_critical_first(
    cast: Cast, clock: Clock
) -> None:
    clock(at("2026-03-09 12:00"))
    checked(cast, details(name="Co-careldopa", time_critical=True, time_tolerance_minutes=30))
    checked(cast, details(name="Amlodipine", times=["08:00"]))
    checked(cast, details(name="Simvastatin", times=["20:00"]))
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=at("2026-03-10 08:45"),
        planned_end=at("2026-03-10 09:15"),
    )
    due = selectors.doses_due(visit=visit)
    # Co-careldopa's window (07:30 to 08:30) ends before the visit: not this visit's dose.
    assert [d.line.name for d in due] == ["Amlodipine"]
    visit.planned_start, visit.planned_end = at("2026-03-10 08:00"), at("2026-03-10 08:30")
    due = selectors.doses_due(visit=visit)
    assert [(d.line.name, d.time_critical) for d in due] == [
        ("Co-careldopa", True),
        ("Amlodipine", False),
    ]


def test_no_dose_is_due_before_the_line_starts(cast: Cast, clock: Clock) -> None:
    clock(at("2026-03-09 12:00"))
    checked(cast, details(starts_on=dt.date(2026, 3, 11)))
    due = selectors.doses_between(
        client=cast.client, start=at("2026-03-10 00:00"), end=at("2026-03-12 00:00")
    )
    assert [d.due_at for d in due] == [at("2026-03-11 08:00")]
