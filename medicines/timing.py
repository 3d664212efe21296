"""When a line's doses are due, by the schedule in force at each dose's moment (LineSchedule,
docs/medicines.md): at clock times with a tolerance, or with the client's visit of a part of
the day. Every page, the API, the check-out guard and the missed-dose rule read doses from
here, so they agree.

A visit-part dose is due at the planned start of the client's first visit (not cancelled) that
starts in that part of the day, its window that visit's span. With no such visit that day it is
still due, at the part's default time give or take the line's tolerance, so it turns missed
rather than silently disappearing. A visit moved later moves its dose (read at the moment of
asking), but a dose already recorded stays at the `due_at` it was recorded for.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from medicines.models import LineSchedule, MedicineLine
from medicines.vocabulary import LineStatus, VisitPart
from scheduling.models import Visit, VisitStatus


@dataclass(frozen=True)
class Part:
    starts: dt.time  # a visit planned to start from here...
    ends: dt.time | None  # ...to before here (None: midnight) is the part's visit
    default: dt.time  # when its dose is due on a day with no such visit


# The parts of the day, in the team's time zone: the one place they are defined.
PARTS: Mapping[str, Part] = {
    VisitPart.MORNING: Part(dt.time(5), dt.time(11), dt.time(8)),
    VisitPart.LUNCHTIME: Part(dt.time(11), dt.time(14), dt.time(12, 30)),
    VisitPart.TEATIME: Part(dt.time(14), dt.time(18), dt.time(17)),
    VisitPart.BEDTIME: Part(dt.time(18), None, dt.time(21)),
}

Schedule = LineSchedule | MedicineLine


@dataclass(frozen=True)
class DoseTime:
    """One scheduled dose of a line: when it is due and its window, by the schedule in force."""

    due_at: dt.datetime
    window_start: dt.datetime
    window_end: dt.datetime
    time_critical: bool
    visit_part: str = ""  # empty: at a clock time


@dataclass
class Around:
    """What visit-part doses are read against: the clients' visits (not cancelled, earliest
    first) and the due times already recorded of each line. Empty when no line has a part."""

    zone: ZoneInfo
    visits: dict[uuid.UUID, list[Visit]] = field(default_factory=dict)
    recorded: dict[uuid.UUID, set[dt.datetime]] = field(default_factory=dict)


def parse_time(text: str) -> dt.time:
    """'08:00' -> 08:00; ValueError for anything else."""
    hours, minutes = text.split(":")
    if len(hours) != 2 or len(minutes) != 2:
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))


def schedule_at(line: MedicineLine, moment: dt.datetime) -> Schedule:
    """The line's schedule in force at `moment` (the first one before it was written: the line
    as first transcribed); a line with none written (made straight in the table) is its own.
    Read from `line.schedules`, so prefetch them (`with_schedules`) when reading many."""
    found: Schedule = line
    for schedule in line.schedules.all():
        if schedule.in_force_from > moment and found is not line:
            break
        found = schedule
    return found


def _schedules(line: MedicineLine) -> list[Schedule]:
    return [line, *line.schedules.all()]


def times_ever(line: MedicineLine) -> set[str]:
    """Every clock time the line has had ("HH:MM"): the candidates for a past day's doses."""
    return {t for s in _schedules(line) if not s.visit_part for t in s.times or []}


def parts_ever(line: MedicineLine) -> list[str]:
    """Every visit part the line has been given with, in the order of the day."""
    found = {s.visit_part for s in _schedules(line) if s.visit_part}
    return [part for part in PARTS if part in found]


def has_parts(lines: Iterable[MedicineLine]) -> bool:
    return any(parts_ever(line) for line in lines)


def widest_tolerance(line: MedicineLine) -> dt.timedelta:
    return dt.timedelta(minutes=max(s.time_tolerance_minutes for s in _schedules(line)))


def dates_ever(line: MedicineLine) -> tuple[dt.date, dt.date | None]:
    """The earliest start and the latest stop (None: open) the line has had."""
    schedules = _schedules(line)
    stops = [s.stops_on for s in schedules]
    last = None if any(stop is None for stop in stops) else max(s for s in stops if s)
    return min(s.starts_on for s in schedules), last


def is_due(line: MedicineLine, dose: DoseTime, zone: ZoneInfo) -> bool:
    """Whether the dose is due by the schedule in force at its moment: the line checked by a
    second person by the end of its window, not stopped before it, within its dates, not PRN."""
    schedule = schedule_at(line, dose.due_at)
    if line.prn or schedule.visit_part != dose.visit_part or schedule.checked_at is None:
        return False
    if schedule.checked_at > dose.window_end:
        return False
    if line.status == LineStatus.STOPPED and (
        line.stopped_at is None or dose.due_at >= line.stopped_at
    ):
        return False
    local = dose.due_at.astimezone(zone)
    if local.date() < schedule.starts_on or (
        schedule.stops_on and local.date() > schedule.stops_on
    ):
        return False
    return bool(schedule.visit_part) or local.strftime("%H:%M") in (schedule.times or [])


def clock_dose(line: MedicineLine, day: dt.date, hhmm: str, zone: ZoneInfo) -> DoseTime:
    """The dose at `hhmm` on `day` (due or not), its window the tolerance then in force."""
    moment = dt.datetime.combine(day, parse_time(hhmm), tzinfo=zone).astimezone(dt.UTC)
    schedule = schedule_at(line, moment)
    tolerance = dt.timedelta(minutes=schedule.time_tolerance_minutes)
    return DoseTime(moment, moment - tolerance, moment + tolerance, schedule.time_critical)


def visit_span(visit: Visit) -> tuple[dt.datetime, dt.datetime]:
    """From the earliest the visit may start to the latest it may end."""
    start = min(visit.window_start or visit.planned_start, visit.planned_start)
    length = visit.planned_end - visit.planned_start
    latest_start = max(visit.window_end or visit.planned_start, visit.planned_start)
    return start, max(visit.planned_end, latest_start + length)


def _holds(part: Part, local: dt.time) -> bool:
    return part.starts <= local and (part.ends is None or local < part.ends)


def part_of(local: dt.time) -> str:
    """The part of the day a visit starting at `local` belongs to; empty at night."""
    return next((name for name, part in PARTS.items() if _holds(part, local)), "")


def part_visit(visits: Sequence[Visit], part: str, day: dt.date, zone: ZoneInfo) -> Visit | None:
    """The client's first visit (not cancelled) that starts in that part of that day."""
    for visit in visits:
        local = visit.planned_start.astimezone(zone)
        if local.date() == day and _holds(PARTS[part], local.time()):
            return visit
    return None


def part_dose(line: MedicineLine, part: str, day: dt.date, around: Around) -> DoseTime:
    """The dose of `part` on `day` (due or not): at the time recorded for it, else at the part's
    visit, else at the part's default time."""
    zone = around.zone
    visit = part_visit(around.visits.get(line.client_id, []), part, day, zone)
    recorded = sorted(
        m
        for m in around.recorded.get(line.pk, ())
        if m.astimezone(zone).date() == day and schedule_at(line, m).visit_part == part
    )
    if recorded:
        moment = recorded[0]
    elif visit is not None:
        moment = visit.planned_start
    else:
        moment = dt.datetime.combine(day, PARTS[part].default, tzinfo=zone).astimezone(dt.UTC)
    schedule = schedule_at(line, moment)
    if visit is not None:
        start, end = visit_span(visit)
    else:
        tolerance = dt.timedelta(minutes=schedule.time_tolerance_minutes)
        start, end = moment - tolerance, moment + tolerance
    return DoseTime(moment, min(start, moment), max(end, moment), schedule.time_critical, part)


def _days(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> Iterable[dt.date]:
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    while day <= end.astimezone(zone).date() + dt.timedelta(days=1):
        yield day
        day += dt.timedelta(days=1)


def line_doses(
    line: MedicineLine, start: dt.datetime, end: dt.datetime, around: Around
) -> list[DoseTime]:
    """The line's due doses whose moment is in [start, end), earliest first."""
    times, parts = sorted(times_ever(line)), parts_ever(line)
    found = []
    for day in _days(start, end, around.zone):
        candidates = [clock_dose(line, day, hhmm, around.zone) for hhmm in times]
        candidates += [part_dose(line, part, day, around) for part in parts]
        found += [
            dose
            for dose in candidates
            if start <= dose.due_at < end and is_due(line, dose, around.zone)
        ]
    return sorted(found, key=lambda dose: dose.due_at)


def visits_by_client(
    lines: Sequence[MedicineLine], start: dt.datetime, end: dt.datetime
) -> dict[uuid.UUID, list[Visit]]:
    """The visits (not cancelled) of the lines' clients from a day before `start` to a day after
    `end`: one query, and none when no line is given with a visit."""
    if not has_parts(lines):
        return {}
    out: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for visit in (
        Visit.objects.filter(
            client_id__in={line.client_id for line in lines},
            planned_start__gte=start - dt.timedelta(days=2),
            planned_start__lt=end + dt.timedelta(days=2),
        )
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("planned_start", "id")
    ):
        out[visit.client_id].append(visit)
    return out


def around(
    lines: Sequence[MedicineLine],
    start: dt.datetime,
    end: dt.datetime,
    zone: ZoneInfo,
    recorded: Iterable[tuple[uuid.UUID, dt.datetime | None]] = (),
) -> Around:
    """What the lines' doses in [start, end) are read against; `recorded` the (line, due_at) of
    the current records around that span."""
    due: dict[uuid.UUID, set[dt.datetime]] = defaultdict(set)
    for line_id, due_at in recorded:
        if due_at is not None:
            due[line_id].add(due_at)
    return Around(zone, visits_by_client(lines, start, end), dict(due))
