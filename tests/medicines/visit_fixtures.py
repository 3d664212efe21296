"""A client's medicines and a morning visit for the visit tests (tests/medicines/test_visit*).
Times are in the test week (tests/scheduling/conftest.py), with the clock frozen by each test."""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from medicines.models import DoseRecord, MedicineLine
from medicines.services import dose_record
from scheduling.models import Visit, VisitAssignment
from scheduling.services import visits
from tests.conftest import Cast
from tests.scheduling.conftest import MONDAY, on


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


def make_line(cast: Cast, **fields: Any) -> MedicineLine:
    """Checked by a second person a week before the test week; 09:00, give or take 30 min."""
    values: dict[str, Any] = {
        "client": cast.client,
        "name": "Amlodipine",
        "form": "tablet",
        "strength": "5 mg",
        "route": "oral",
        "dose_min": Decimal(1),
        "dose_max": Decimal(1),
        "dose_unit": "tablet",
        "times": ["09:00"],
        "time_tolerance_minutes": 30,
        "support": "administer",
        "starts_on": MONDAY - dt.timedelta(days=7),
        "supply": "blister",
        "source": "gp_letter",
        "transcribed_by": cast.nurse,
        "checked_by": cast.carer,
        "checked_at": on(-7, "12:00"),
        "created_at": on(-7, "11:00"),
        "changed_at": on(-7, "12:00"),
    }
    values.update(fields)
    return MedicineLine.objects.create(**values)


def make_prn(cast: Cast, **fields: Any) -> MedicineLine:
    values: dict[str, Any] = {
        "name": "Paracetamol",
        "strength": "500 mg",
        "dose_min": Decimal(1),
        "dose_max": Decimal(2),
        "times": [],
        "prn": True,
        "prn_for": "Pain in the hip",
        "prn_min_interval_minutes": 240,
        "prn_max_24h": Decimal(8),
        "prn_if_ineffective": "Call the GP",
    }
    values.update(fields)
    return make_line(cast, **values)


def morning_visit(cast: Cast, day: int = 0) -> Visit:
    """08:30 to 09:00 (window 08:15 to 09:15), the carer's."""
    made = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=on(day, "08:30"),
        planned_end=on(day, "09:00"),
        window_start=on(day, "08:15"),
        window_end=on(day, "09:15"),
        tasks=["Bins out"],
    )
    VisitAssignment.objects.create(visit=made, member=cast.carer_membership)
    return made


def check_in(cast: Cast, visit: Visit) -> Visit:
    visit.refresh_from_db()
    return visits.visit_check_in(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )


def check_out(cast: Cast, visit: Visit) -> Visit:
    visit.refresh_from_db()
    return visits.visit_check_out(
        visit=visit, version=visit.version, member=cast.carer_membership, actor=cast.carer
    )


def record(
    cast: Cast, visit: Visit, line: MedicineLine, due: dt.datetime | None, outcome: str, **kw: Any
) -> DoseRecord:
    return dose_record(
        user=cast.carer,
        line=line,
        visit=visit,
        due_at=due,
        outcome=outcome,
        record_id=uuid.uuid4(),
        **kw,
    )


@pytest.fixture
def long_sessions(settings: Any) -> None:
    """The tests move the clock by hours and days: the signed-in session outlives them."""
    settings.SESSION_IDLE_MINUTES = 10**7
    settings.SESSION_MAX_HOURS = 10**6
