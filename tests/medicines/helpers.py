"""What the medicines tests share: lines added and checked through the services, a visit the
carer has checked in to, and a frozen clock."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from medicines import services
from medicines.models import DoseRecord, MedicineLine
from medicines.services.details import LineDetails
from scheduling.models import Visit, VisitAssignment
from scheduling.services import visits
from tests.conftest import Cast

Clock = Callable[[dt.datetime], None]


def details(**over: Any) -> LineDetails:
    """Ramipril 5 mg, one capsule at 08:00, an hour either side."""
    values: dict[str, Any] = {
        "name": "Ramipril",
        "form": "capsule",
        "strength": "5 mg",
        "route": "oral",
        "dose_min": Decimal(1),
        "dose_max": Decimal(1),
        "dose_unit": "capsule",
        "times": ["08:00"],
        "time_tolerance_minutes": 60,
        "support": "administer",
        "starts_on": dt.date(2026, 1, 1),
        "supply": "blister",
        "source": "gp_letter",
    }
    return LineDetails(**{**values, **over})


def prn_details(name: str = "Paracetamol", ingredients: str = "", **over: Any) -> LineDetails:
    """One or two 500 mg tablets when required for pain: 4 hours apart, 8 in 24 hours."""
    return details(
        name=name,
        ingredients=ingredients,
        form="tablet",
        strength=over.pop("strength", "500 mg"),
        dose_min=Decimal(1),
        dose_max=Decimal(2),
        dose_unit="tablet",
        times=[],
        prn=True,
        prn_for="Pain",
        prn_min_interval_minutes=240,
        prn_max_24h=Decimal(8),
        prn_if_ineffective="Ring the GP.",
        **over,
    )


def checked(cast: Cast, line_details: LineDetails | None = None) -> MedicineLine:
    """Transcribed by the nurse, checked by the carer."""
    line = services.line_add(user=cast.nurse, client=cast.client, details=line_details or details())
    return services.line_check(user=cast.carer, line=line, version=line.version)


def medicine_line(cast: Cast) -> MedicineLine:
    """A line of the client's, written straight to the table (for the walks over every page)."""
    values = vars(details(track_stock=True))
    return MedicineLine.objects.create(client=cast.client, transcribed_by=cast.nurse, **values)


def visit_checked_in(cast: Cast, start: dt.datetime, minutes: int = 30) -> Visit:
    """The carer's visit to the client from `start`, checked in at `start`."""
    visit = Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=minutes),
    )
    VisitAssignment.objects.create(visit=visit, member=cast.carer_membership)
    return visits.visit_check_in(
        visit=visit,
        version=visit.version,
        member=cast.carer_membership,
        actor=cast.carer,
        at=start,
    )


def prn_given(
    cast: Cast, line: MedicineLine, taken_at: dt.datetime, amount: int = 2, **kw: Any
) -> DoseRecord:
    """A PRN dose the nurse records afterwards (no visit: a late entry)."""
    return services.dose_record(
        user=cast.nurse,
        line=line,
        visit=None,
        due_at=None,
        outcome="given",
        record_id=uuid.uuid4(),
        amount=Decimal(amount),
        taken_at=taken_at,
        **{"prn_reason": "Pain in her knee", **kw},
    )


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Stops the clock at a moment (and again at another); restored after the test."""
    travels: list[time_machine.travel] = []

    def set_to(moment: dt.datetime) -> None:
        travel = time_machine.travel(moment, tick=False)
        travel.start()
        travels.append(travel)

    yield set_to
    for travel in reversed(travels):
        travel.stop()
