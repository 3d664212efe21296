"""The PRN rule: the minimum interval and the 24-hour maximum, counted across every line of the
client that shares an active ingredient (paracetamol tablets and co-codamol), the line's
scheduled doses and stopped lines' recent doses included: the body does not know which box a
dose came from. Intervals are real elapsed time, so a clock change moves nothing.

The maximum is in the line's dose unit: the doses of lines of the same ingredient and the same
unit add up; a line in another unit (a liquid beside tablets) counts for the interval only,
since without dm+d strengths the app cannot convert between them (docs/medicines.md)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from medicines.models import DoseRecord, MedicineLine
from medicines.selectors.doses import current_records
from medicines.vocabulary import TAKEN

DAY = dt.timedelta(hours=24)


@dataclass(frozen=True)
class PrnVerdict:
    allowed_at: dt.datetime | None  # None: allowed now
    too_soon: bool  # the interval decides (else the maximum)


def sharing_lines(line: MedicineLine) -> list[MedicineLine]:
    """The client's lines with an active ingredient in common with `line`, itself included."""
    mine = set(line.ingredient_list)
    return [
        other
        for other in MedicineLine.objects.filter(client_id=line.client_id)
        if other.pk == line.pk or mine & set(other.ingredient_list)
    ]


def amount_of(record: DoseRecord, line: MedicineLine) -> Decimal:
    """How much a taken dose was: what was recorded, else the line's least dose."""
    return Decimal(record.amount) if record.amount is not None else Decimal(line.dose_min)


def prn_verdict(
    *,
    line: MedicineLine,
    at: dt.datetime,
    amount: Decimal | None = None,
    ignore: DoseRecord | None = None,
) -> PrnVerdict:
    # Real hours: arithmetic on a London time would be wall-clock time across a change.
    at = at.astimezone(dt.UTC)
    lines = {other.pk: other for other in sharing_lines(line)}
    taken = [
        r
        for r in current_records()
        .filter(line_id__in=lines, outcome__in=TAKEN, taken_at__gt=at - DAY, taken_at__lte=at)
        .order_by("taken_at")
        if ignore is None or r.pk != ignore.pk
    ]
    waits: list[tuple[dt.datetime, bool]] = []
    if taken and line.prn_min_interval_minutes:
        last = taken[-1].taken_at + dt.timedelta(minutes=line.prn_min_interval_minutes)
        if last > at:
            waits.append((last, True))
    if line.prn_max_24h is not None:
        wanted = Decimal(amount if amount is not None else line.dose_min)
        counted = [r for r in taken if lines[r.line_id].dose_unit == line.dose_unit]
        total = sum((amount_of(r, lines[r.line_id]) for r in counted), Decimal(0))
        limit = Decimal(line.prn_max_24h)
        # The oldest doses leave the 24 hours first: wait until enough of them have.
        for record in counted:
            if total + wanted <= limit:
                break
            total -= amount_of(record, lines[record.line_id])
            waits.append((record.taken_at + DAY, False))
        else:
            if total + wanted > limit:
                waits.append((at + DAY, False))
    if not waits:
        return PrnVerdict(allowed_at=None, too_soon=False)
    allowed_at, too_soon = max(waits)
    return PrnVerdict(allowed_at=allowed_at, too_soon=too_soon)


def prn_next_allowed(
    *, line: MedicineLine, at: dt.datetime, amount: Decimal | None = None
) -> dt.datetime | None:
    """When a dose of `amount` (the line's least dose if not given) of this PRN line is next
    allowed, or None if it is allowed at `at`."""
    return prn_verdict(line=line, at=at, amount=amount).allowed_at
