"""A medicine line's details as a person enters them, checked before any write: each refusal
names the model's field, which is the form's too."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from careteams import limits
from careteams.errors import DomainError
from medicines.models import (
    INTERVAL_MAX_MINUTES,
    TOLERANCE_MAX_MINUTES,
    MedicineLine,
    ingredient_list,
)
from medicines.timing import parse_time
from medicines.vocabulary import (
    CdSchedule,
    DmdKind,
    Food,
    Form,
    Route,
    Source,
    Supply,
    Support,
    VisitPart,
)

DMD_CODE = re.compile(r"\d{6,18}")
DOSE_MAX = Decimal(100_000)


@dataclasses.dataclass
class LineDetails:
    name: str
    form: str
    route: str
    dose_min: Decimal
    dose_max: Decimal
    dose_unit: str
    support: str
    starts_on: dt.date
    supply: str
    source: str
    strength: str = ""
    dmd_code: str = ""
    dmd_kind: str = ""
    ingredients: str = ""
    times: list[str] = dataclasses.field(default_factory=list)
    visit_part: str = ""
    time_tolerance_minutes: int = 60
    food: str = ""
    stops_on: dt.date | None = None
    review_on: dt.date | None = None
    body_site: str = ""
    opened_on: dt.date | None = None
    instructions: str = ""
    time_critical: bool = False
    cd_schedule: str = ""
    covert: bool = False
    covert_decision: str = ""
    prn: bool = False
    prn_for: str = ""
    prn_min_interval_minutes: int | None = None
    prn_max_24h: Decimal | None = None
    prn_if_ineffective: str = ""
    track_stock: bool = False


FIELDS = tuple(f.name for f in dataclasses.fields(LineDetails))
CHOICES: dict[str, list[str]] = {
    "form": Form.values,
    "route": Route.values,
    "support": Support.values,
    "supply": Supply.values,
    "source": Source.values,
    "dmd_kind": DmdKind.values,
    "food": Food.values,
    "cd_schedule": CdSchedule.values,
    "visit_part": ["", *VisitPart.values],
}


def details_of(line: MedicineLine) -> LineDetails:
    values: dict[str, Any] = {name: getattr(line, name) for name in FIELDS}
    values["times"] = list(values["times"] or [])
    return LineDetails(**values)


def _text(details: LineDetails) -> None:
    for name in FIELDS:
        value = getattr(details, name)
        if isinstance(value, str):
            value = value.strip()
            setattr(details, name, value)
            limit = getattr(MedicineLine._meta.get_field(name), "max_length", None)
            if limit and len(value) > limit:
                raise DomainError(limits.too_long(limit), field=name)
    for name, allowed in CHOICES.items():
        if getattr(details, name) not in allowed:
            raise DomainError(limits.not_a_choice(allowed), field=name)
    if not details.name:
        raise DomainError(_("Enter the medicine's name."), field="name")
    if not details.dose_unit:
        raise DomainError(_("Enter the dose's unit, e.g. tablet or ml."), field="dose_unit")
    if details.dmd_code and not DMD_CODE.fullmatch(details.dmd_code):
        raise DomainError(_("A dm+d code is 6 to 18 digits."), field="dmd_code")
    if bool(details.dmd_code) != bool(details.dmd_kind):
        raise DomainError(_("Give a dm+d code with its kind (VMP or AMP)."), field="dmd_kind")
    details.ingredients = ", ".join(ingredient_list(details.ingredients or details.name))


def _dose(details: LineDetails) -> None:
    if not Decimal(0) < details.dose_min < DOSE_MAX:
        raise DomainError(_("Enter a dose above nought."), field="dose_min")
    if not details.dose_min <= details.dose_max < DOSE_MAX:
        raise DomainError(_("The most must be at least the least dose."), field="dose_max")
    if not 0 <= details.time_tolerance_minutes <= TOLERANCE_MAX_MINUTES:
        raise DomainError(
            _("Allow from 0 to %(most)d minutes either side.") % {"most": TOLERANCE_MAX_MINUTES},
            field="time_tolerance_minutes",
        )


def _times(details: LineDetails) -> None:
    try:
        parsed = sorted({parse_time(str(t).strip()) for t in details.times})
    except ValueError:
        raise DomainError(_("Give times as HH:MM, e.g. 08:00, 18:00."), field="times") from None
    details.times = [t.strftime("%H:%M") for t in parsed]
    if details.prn:
        details.visit_part = ""
        return
    if details.times and details.visit_part:
        raise DomainError(
            _("Give either times of day or the visit it is given with, not both."),
            field="visit_part",
        )
    if not details.times and not details.visit_part:
        raise DomainError(
            _("Give at least one time of day, or the visit it is given with, or mark it PRN."),
            field="times",
        )


def _prn(details: LineDetails) -> None:
    if not details.prn:
        details.prn_for, details.prn_if_ineffective = "", ""
        details.prn_min_interval_minutes, details.prn_max_24h = None, None
        return
    details.times = []
    if not details.prn_for:
        raise DomainError(_("Say what it is for."), field="prn_for")
    interval = details.prn_min_interval_minutes
    if interval is None or not 0 < interval <= INTERVAL_MAX_MINUTES:
        raise DomainError(
            _("Give the least time between doses, in minutes."), field="prn_min_interval_minutes"
        )
    if details.prn_max_24h is None or details.prn_max_24h < details.dose_max:
        raise DomainError(
            _("Give the most in 24 hours: at least one full dose."), field="prn_max_24h"
        )
    if details.prn_max_24h >= DOSE_MAX:
        raise DomainError(_("That is more than any dose."), field="prn_max_24h")


def _dates_and_covert(details: LineDetails) -> None:
    if details.stops_on and details.stops_on < details.starts_on:
        raise DomainError(_("It cannot stop before it starts."), field="stops_on")
    if details.review_on and details.review_on < details.starts_on:
        raise DomainError(_("The review comes after the start."), field="review_on")
    if details.covert and not details.covert_decision:
        raise DomainError(
            _("Covert medicines need the recorded best-interests decision."),
            field="covert_decision",
        )
    if not details.covert:
        details.covert_decision = ""


def clean(details: LineDetails) -> LineDetails:
    """The details trimmed and normalised (ingredients, times), or a DomainError naming the
    field at fault."""
    _text(details)
    _dose(details)
    _prn(details)
    _times(details)
    _dates_and_covert(details)
    return details
