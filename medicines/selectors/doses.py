"""The scheduled doses of a client: when each line is due (medicines/timing.py), and what was
recorded of it.

A line is due only when it is active (or was, before it stopped), checked by a second person
(by the end of the dose's window), within its start and stop dates, and not "when required",
each by the schedule in force at the dose's moment. Clock times are wall-clock times in the
team's zone: across a clock change an 08:00 dose stays at 08:00 local, and a time the change
skips falls where Python's zoneinfo puts it."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from clients.models import Client
from medicines.models import DoseRecord, LineSchedule, MedicineLine
from medicines.timing import (
    Around,
    DoseTime,
    around,
    has_parts,
    is_due,
    line_doses,
    part_dose,
    part_of,
    schedule_at,
    visit_span,
    widest_tolerance,
)
from medicines.vocabulary import VisitPart
from scheduling.models import Visit

# How far around a span the records are read: a visit-part dose's recorded time is of its day.
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DueDose:
    line: MedicineLine
    due_at: dt.datetime
    record: DoseRecord | None
    time_critical: bool
    window_start: dt.datetime
    window_end: dt.datetime  # after this (and the team's grace) a dose with no outcome is missed
    visit_part: str = ""  # given with the client's visit of this part of the day

    @property
    def visit_part_name(self) -> str:
        return str(VisitPart(self.visit_part).label) if self.visit_part else ""

    @classmethod
    def of(cls, line: MedicineLine, dose: DoseTime, record: DoseRecord | None) -> "DueDose":
        return cls(
            line,
            dose.due_at,
            record,
            dose.time_critical,
            dose.window_start,
            dose.window_end,
            dose.visit_part,
        )


def sort_key(dose: DueDose) -> tuple[dt.datetime, bool, str]:
    """By time, time-critical first at each time, then by name."""
    return dose.due_at, not dose.time_critical, dose.line.name


def with_schedules(lines: QuerySet[MedicineLine]) -> QuerySet[MedicineLine]:
    """The lines with their schedules (and their checks), in one more query for them all."""
    return lines.prefetch_related(
        Prefetch("schedules", queryset=LineSchedule.objects.order_by("in_force_from"))
    )


def _around_one(line: MedicineLine, due_at: dt.datetime, zone: ZoneInfo) -> Around:
    """What one line's doses near `due_at` are read against (a visit-part line reads its records
    and the client's visits of those days: two queries)."""
    recorded: list[tuple[uuid.UUID, dt.datetime | None]] = []
    if has_parts([line]):
        recorded = list(
            current_records()
            .filter(line=line, due_at__gte=due_at - DAY, due_at__lt=due_at + DAY)
            .values_list("line_id", "due_at")
        )
    return around([line], due_at, due_at, zone, recorded)


def dose_at(line: MedicineLine, due_at: dt.datetime, zone: ZoneInfo) -> DoseTime | None:
    """The line's due dose at exactly this moment, if it has one (for a record being made)."""
    doses = line_doses(line, due_at - DAY, due_at + DAY, _around_one(line, due_at, zone))
    return next((dose for dose in doses if dose.due_at == due_at), None)


def part_dose_moved(line: MedicineLine, seen_at: dt.datetime, zone: ZoneInfo) -> DoseTime | None:
    """A visit-part dose that a tablet saw at `seen_at` and that has moved with its visit since:
    that day's dose of the same part, as it stands now (a record made offline before the move
    happened, and is kept). None for a clock time, or a moment with no such part."""
    part = schedule_at(line, seen_at).visit_part
    if not part or part_of(seen_at.astimezone(zone).time()) != part:
        return None
    dose = part_dose(line, part, seen_at.astimezone(zone).date(), _around_one(line, seen_at, zone))
    return dose if is_due(line, dose, zone) else None


def current_records() -> QuerySet[DoseRecord]:
    """The records no correction has superseded."""
    return DoseRecord.objects.filter(superseded_by__isnull=True)


def scheduled_lines(client_id: uuid.UUID) -> QuerySet[MedicineLine]:
    """Not only the checked ones: a line awaiting its check after a change was due before it."""
    return with_schedules(MedicineLine.objects.filter(client_id=client_id, prn=False))


def _due(
    lines: Iterable[MedicineLine], start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> list[DueDose]:
    lines = list(lines)
    records = {
        (r.line_id, r.due_at): r
        for r in current_records()
        .filter(line__in=lines, due_at__gte=start - DAY, due_at__lt=end + DAY)
        .select_related("recorded_by")
    }
    near = around(lines, start, end, zone, records)
    doses = [
        DueDose.of(line, dose, records.get((line.pk, dose.due_at)))
        for line in lines
        for dose in line_doses(line, start, end, near)
    ]
    return sorted(doses, key=sort_key)


def doses_between(*, client: Client, start: dt.datetime, end: dt.datetime) -> list[DueDose]:
    """The client's scheduled doses due from `start` (included) to `end` (excluded), each with
    its current record or None (a gap, or a missed dose once its window and grace are past)."""
    return _due(scheduled_lines(client.pk), start, end, client.team.zone)


def doses_due(*, visit: Visit) -> list[DueDose]:
    """Each scheduled dose of the visit's client whose window meets the visit's span (a clock
    dose's time give or take its tolerance; a visit-part dose's visit): time-critical ones
    first at each time."""
    start, end = visit_span(visit)
    lines = list(scheduled_lines(visit.client_id))
    if not lines:
        return []
    widest = max(widest_tolerance(line) for line in lines) + DAY
    doses = _due(lines, start - widest, end + widest, visit.team.zone)
    return [d for d in doses if d.window_end >= start and d.window_start <= end]
