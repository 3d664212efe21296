"""A client's medicines for the MAR tests, in a month long past (November 2025), so that every
dose's window has passed whatever day the tests run: a twice-daily tablet checked by a second
person, a PRN painkiller, a line awaiting its check, and records written straight to the table
(the services' own tests are meds-core's)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clients.models import Allergy, AllergySeverity, Client
from medicines.models import DoseRecord, MedicineLine, PrnFollowUp
from medicines.vocabulary import Form, Outcome, Route, Source, Supply, Support
from tests.conftest import Cast, at

FIRST = dt.date(2025, 11, 1)
LAST = dt.date(2025, 11, 30)
AFTER = at("2025-12-15 12:00")  # every window of the month has passed


def line(cast: Cast, client: Client | None = None, **fields: Any) -> MedicineLine:
    values: dict[str, Any] = {
        "client": client or cast.client,
        "name": "Amlodipine",
        "form": Form.TABLET,
        "strength": "5 mg",
        "route": Route.ORAL,
        "dose_min": Decimal(1),
        "dose_max": Decimal(1),
        "dose_unit": "tablet",
        "times": ["08:00", "18:00"],
        "time_tolerance_minutes": 60,
        "support": Support.ADMINISTER,
        "starts_on": FIRST,
        "supply": Supply.BLISTER,
        "source": Source.GP_LETTER,
        "transcribed_by": cast.nurse,
        "checked_by": cast.carer,
        "checked_at": at("2025-10-31 12:00"),
        **fields,
    }
    return MedicineLine.objects.create(**values)


def dose(line: MedicineLine, when: str, outcome: str = Outcome.GIVEN, **fields: Any) -> DoseRecord:
    moment = at(when)
    values: dict[str, Any] = {
        "line": line,
        "client": line.client,
        "due_at": None if line.prn else moment,
        "outcome": outcome,
        "taken_at": moment + dt.timedelta(minutes=4),
        "recorded_by": fields.pop("by"),
        "recorded_at": moment + dt.timedelta(minutes=5),
        **fields,
    }
    return DoseRecord.objects.create(**values)


@dataclass
class World:
    regular: MedicineLine
    prn: MedicineLine
    unchecked: MedicineLine
    given: DoseRecord
    refused: DoseRecord
    corrected: DoseRecord
    prn_dose: DoseRecord


def world(cast: Cast, *, correction: bool = True) -> World:
    """On 3 November: 08:00 given, 18:00 refused; on 4 November 08:00 first recorded refused,
    then corrected to given; a PRN paracetamol on 3 November at 14:00 that worked; every other
    dose of the month unrecorded (a gap). An allergy to penicillin."""
    Allergy.objects.create(
        client=cast.client,
        substance="Penicillin",
        reaction="Rash",
        severity=AllergySeverity.SEVERE,
        recorded_by=cast.nurse,
    )
    regular = line(cast)
    prn = line(
        cast,
        name="Paracetamol",
        strength="500 mg",
        dose_max=Decimal(2),
        times=[],
        prn=True,
        prn_for="Pain",
        prn_min_interval_minutes=240,
        prn_max_24h=Decimal(8),
        prn_if_ineffective="Call the GP",
    )
    unchecked = line(
        cast, name="Sertraline", strength="50 mg", times=["08:00"], checked_by=None, checked_at=None
    )
    given = dose(regular, "2025-11-03 08:00", by=cast.carer)
    refused = dose(
        regular, "2025-11-03 18:00", Outcome.REFUSED, by=cast.carer, note="Said it tastes bitter"
    )
    first = dose(regular, "2025-11-04 08:00", Outcome.REFUSED, by=cast.carer)
    # Browser tests, which commit, leave it out: emptying the tables after them fails on a
    # correction (medicines.db_guards.purge_for_tests, reported to meds-core).
    corrected = (
        first
        if not correction
        else dose(
            regular,
            "2025-11-04 08:00",
            by=cast.nurse,
            supersedes=first,
            correction_reason="Took it after breakfast",
            recorded_at=at("2025-11-04 10:00"),
        )
    )
    prn_dose = dose(
        prn, "2025-11-03 14:00", amount=Decimal(2), prn_reason="Headache", by=cast.carer
    )
    PrnFollowUp.objects.create(
        dose=prn_dose,
        effective=True,
        note="Better by 15:00",
        recorded_by=cast.carer,
        recorded_at=at("2025-11-03 15:05"),
    )
    return World(regular, prn, unchecked, given, refused, corrected, prn_dose)
