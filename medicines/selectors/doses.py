"""The scheduled doses of a client: when each line is due, and what was recorded of it.

A line is due only when it is active (or was, before it stopped), checked by a second person
(by the end of the dose's window), within its start and stop dates, and not "when required".
Times are the line's wall-clock times in the team's zone: across a clock change an 08:00 dose
stays at 08:00 local, and a time the change skips falls where Python's zoneinfo puts it."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from clients.models import Client
from medicines.models import DoseRecord, LineSchedule, MedicineLine
from medicines.vocabulary import LineStatus
from scheduling.models import Visit


@dataclass(frozen=True)
class DueDose:
    line: MedicineLine
    due_at: dt.datetime
    record: DoseRecord | None
    time_critical: bool

    @property
    def tolerance(self) -> dt.timedelta:
        return tolerance_at(self.line, self.due_at)

    @property
    def window_start(self) -> dt.datetime:
        return self.due_at - self.tolerance

    @property
    def window_end(self) -> dt.datetime:
        """After this (and the team's grace) a dose with no outcome is missed."""
        return self.due_at + self.tolerance


def parse_time(text: str) -> dt.time:
    """'08:00' -> 08:00; ValueError for anything else."""
    hours, minutes = text.split(":")
    if len(hours) != 2 or len(minutes) != 2:
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))


def schedule_at(line: MedicineLine, moment: dt.datetime) -> LineSchedule | MedicineLine:
    """The line's schedule in force at `moment` (the first one before it was written: the line
    as first transcribed); a line with none written (made straight in the table) is its own.
    Read from `line.schedules`, so prefetch them (`with_schedules`) when reading many."""
    found: LineSchedule | MedicineLine = line
    for schedule in line.schedules.all():
        if schedule.in_force_from > moment and found is not line:
            break
        found = schedule
    return found


def tolerance_at(line: MedicineLine, moment: dt.datetime) -> dt.timedelta:
    return dt.timedelta(minutes=schedule_at(line, moment).time_tolerance_minutes)


def times_ever(line: MedicineLine) -> set[str]:
    """Every time of day the line has had ("HH:MM"): the candidates for a past day's doses."""
    return set(line.times or []).union(*(s.times or [] for s in line.schedules.all()))


def widest_tolerance(line: MedicineLine) -> dt.timedelta:
    minutes = [
        line.time_tolerance_minutes,
        *(s.time_tolerance_minutes for s in line.schedules.all()),
    ]
    return dt.timedelta(minutes=max(minutes))


def with_schedules(lines: QuerySet[MedicineLine]) -> QuerySet[MedicineLine]:
    """The lines with their schedules, in one more query for them all."""
    return lines.prefetch_related(
        Prefetch("schedules", queryset=LineSchedule.objects.order_by("in_force_from"))
    )


def line_due_at(line: MedicineLine, due_at: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the line has a dose due at exactly this moment, by the schedule then in force
    (its times, tolerance and second check)."""
    schedule = schedule_at(line, due_at)
    if line.prn or schedule.checked_at is None:
        return False
    tolerance = dt.timedelta(minutes=schedule.time_tolerance_minutes)
    if schedule.checked_at > due_at + tolerance:
        return False
    if line.status == LineStatus.STOPPED and (line.stopped_at is None or due_at >= line.stopped_at):
        return False
    local = due_at.astimezone(zone)
    if local.date() < line.starts_on or (line.stops_on and local.date() > line.stops_on):
        return False
    return local.strftime("%H:%M") in (schedule.times or [])


def _line_moments(
    line: MedicineLine, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> Iterable[dt.datetime]:
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date() + dt.timedelta(days=1)
    times = sorted({parse_time(t) for t in times_ever(line)})
    while day <= last:
        for time in times:
            moment = dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)
            if start <= moment < end and line_due_at(line, moment, zone):
                yield moment
        day += dt.timedelta(days=1)


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
    moments = [(line, m) for line in lines for m in _line_moments(line, start, end, zone)]
    records = {
        (r.line_id, r.due_at): r
        for r in current_records()
        .filter(line__in=lines, due_at__gte=start, due_at__lt=end)
        .select_related("recorded_by")
    }
    doses = [
        DueDose(
            line=line,
            due_at=moment,
            record=records.get((line.pk, moment)),
            time_critical=line.time_critical,
        )
        for line, moment in moments
    ]
    return sorted(doses, key=lambda d: (d.due_at, not d.time_critical, d.line.name))


def doses_between(*, client: Client, start: dt.datetime, end: dt.datetime) -> list[DueDose]:
    """The client's scheduled doses due from `start` (included) to `end` (excluded), each with
    its current record or None (a gap, or a missed dose once its window and grace are past)."""
    return _due(scheduled_lines(client.pk), start, end, client.team.zone)


def visit_span(visit: Visit) -> tuple[dt.datetime, dt.datetime]:
    """From the earliest the visit may start to the latest it may end."""
    start = min(visit.window_start or visit.planned_start, visit.planned_start)
    length = visit.planned_end - visit.planned_start
    latest_start = max(visit.window_end or visit.planned_start, visit.planned_start)
    return start, max(visit.planned_end, latest_start + length)


def doses_due(*, visit: Visit) -> list[DueDose]:
    """Each scheduled dose of the visit's client whose time, give or take its tolerance, falls
    within the visit's span: time-critical ones first at each time."""
    start, end = visit_span(visit)
    lines = list(scheduled_lines(visit.client_id))
    if not lines:
        return []
    widest = max(widest_tolerance(line) for line in lines)
    doses = _due(lines, start - widest, end + widest, visit.team.zone)
    return [d for d in doses if d.window_end >= start and d.window_start <= end]
