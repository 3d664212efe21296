"""The family's plain version of the MAR: the client's medicines and a week of what happened to
each dose, in words, read-only, as the family reads the care plan (clients/plain_language.py).

For the family and the client themself (their live family access, or their own account:
clients.selectors.family); anyone else a 404. Nothing of the team's internal record: no codes,
no carers' notes, corrections' reasons or warnings, no dm+d codes, controlled-drug schedules,
transcription or stock, and no line awaiting its second check. A line given covertly is left out
altogether: the client may read this page, and the best-interests decision is the team's to
explain, not a page's.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from careteams.access import AnyUser
from careteams.models import Door
from clients.selectors import family as family_selectors
from clients.selectors.records import read_logged
from medicines import mar, mar_codes
from medicines.models import MedicineLine
from medicines.words import dose_range, line_details


@dataclass(frozen=True)
class PlainMedicine:
    name: str
    details: list[str]
    when: str


@dataclass(frozen=True)
class PlainDose:
    time: str
    medicine: str
    words: str
    missing: bool  # no record once its time had passed: said in words, not only colour
    corrected: bool


@dataclass(frozen=True)
class PlainDay:
    day: dt.date
    doses: list[PlainDose]


@dataclass(frozen=True)
class FamilyMedicines:
    client_id: uuid.UUID
    name: str
    team_name: str
    timezone: str
    first: dt.date
    last: dt.date
    previous: dt.date
    next: dt.date
    medicines: list[PlainMedicine]
    days: list[PlainDay]


def _shown(line: MedicineLine) -> bool:
    return not line.covert and line.checked_by_id is not None


def _when(line: MedicineLine) -> str:
    if line.prn:
        return (
            _("When needed: %(what)s") % {"what": line.prn_for}
            if line.prn_for
            else _("When needed")
        )
    if line.visit_part:
        return line.get_visit_part_display()
    return ", ".join(line.times or []) or _("At the visits")


def _medicine(line: MedicineLine) -> PlainMedicine:
    details = line_details(line, staff=False)
    return PlainMedicine(name=details[0], details=details[1:], when=_when(line))


def _time(row: mar.Row, cell: mar.Cell, zone: ZoneInfo) -> str:
    """ "08:00"; a dose given with a visit says which, after its time (the days sort by time)."""
    if not row.visit_part or cell.due_at is None:
        return row.time
    return _("%(time)s (%(visit)s)") % {
        "time": f"{cell.due_at.astimezone(zone):%H:%M}",
        "visit": row.time,
    }


def _doses(chart: mar.Mar, day_index: int, now: dt.datetime) -> list[PlainDose]:
    out = []
    for line_chart in chart.lines:
        if not _shown(line_chart.line):
            continue
        for row in line_chart.rows:
            cell = row.cells[day_index]
            if cell.entry is not None:
                record = cell.entry.record
                words = mar_codes.words_for(record.outcome, record.reason)
            elif cell.state == mar.GAP:
                words = str(mar_codes.NO_RECORD_WORDS)
            else:
                continue
            out.append(
                PlainDose(
                    time=_time(row, cell, chart.zone),
                    medicine=str(line_chart.line),
                    words=words,
                    missing=cell.entry is None,
                    corrected=bool(cell.entry and cell.entry.corrected),
                )
            )
    day = chart.days[day_index]
    for dose in chart.prn_doses:
        taken = dose.entry.at.astimezone(chart.zone)
        if taken.date() != day or not _shown(dose.line):
            continue
        out.append(
            PlainDose(
                time=f"{taken:%H:%M}",
                medicine=str(dose.line),
                words=_("%(outcome)s (when needed: %(dose)s)")
                % {
                    "outcome": mar_codes.words_for(dose.entry.record.outcome),
                    "dose": dose_range(dose.line),
                },
                missing=False,
                corrected=dose.entry.corrected,
            )
        )
    return sorted(out, key=lambda d: (d.time, d.medicine))


def family_medicines(
    *, user: AnyUser, client_id: uuid.UUID, day: dt.date | None = None, door: str = Door.PAGE
) -> FamilyMedicines:
    """The week of `day` (this week by default) in the plain version."""
    client = family_selectors.family_client_get(user=user, client_id=client_id)
    read_logged(user=user, client=client, what="medicines (family)", door=door)
    now = timezone.now()
    first, last = mar.week_bounds(day or now.astimezone(client.team.zone).date())
    chart = mar.mar_build(client=client, first=first, last=last, now=now)
    lines = [c.line for c in chart.lines] + chart.prn_lines
    return FamilyMedicines(
        client_id=client.id,
        name=client.preferred_name or client.given_name,
        team_name=client.team.name,
        timezone=client.team.timezone,
        first=first,
        last=last,
        previous=first - dt.timedelta(days=7),
        next=first + dt.timedelta(days=7),
        medicines=[
            _medicine(line)
            for line in lines
            if _shown(line) and (line.stops_on is None or line.stops_on >= first)
        ],
        days=[PlainDay(d, _doses(chart, i, now)) for i, d in enumerate(chart.days)],
    )
