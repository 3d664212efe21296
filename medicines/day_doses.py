"""The doses due at each of a day's visits, for the API's my day: the rule of
`medicines.selectors.doses_due` (a scheduled dose whose time, give or take its tolerance, falls
in the visit's span), read for every visit at once: three queries (the clients' lines, their
schedules, their records) however many visits and doses, where one `doses_due` a visit would
be three each."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from medicines.models import MedicineLine
from medicines.selectors.doses import (
    DueDose,
    current_records,
    line_due_at,
    parse_time,
    times_ever,
    tolerance_at,
    visit_span,
    widest_tolerance,
    with_schedules,
)
from scheduling.models import Visit


def _moments(
    line: MedicineLine, start: dt.datetime, end: dt.datetime, zone: ZoneInfo
) -> Iterable[dt.datetime]:
    """The line's due times whose window meets [start, end]."""
    tolerance = widest_tolerance(line)
    day = (start - tolerance).astimezone(zone).date() - dt.timedelta(days=1)
    last = (end + tolerance).astimezone(zone).date() + dt.timedelta(days=1)
    times = sorted({parse_time(t) for t in times_ever(line)})
    while day <= last:
        for time in times:
            moment = dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)
            if not line_due_at(line, moment, zone):
                continue
            own = tolerance_at(line, moment)
            if moment + own >= start and moment - own <= end:
                yield moment
        day += dt.timedelta(days=1)


def doses_of_visits(*, visits: Sequence[Visit], zone: ZoneInfo) -> dict[uuid.UUID, list[DueDose]]:
    """Each visit's due doses with their current record, time-critical first at each time."""
    if not visits:
        return {}
    lines: dict[uuid.UUID, list[MedicineLine]] = defaultdict(list)
    # As scheduled_lines, for every client of the day at once.
    for line in with_schedules(
        MedicineLine.objects.filter(client_id__in={v.client_id for v in visits}, prn=False)
    ):
        lines[line.client_id].append(line)
    wanted = [
        (visit, line, moment)
        for visit in visits
        for line in lines.get(visit.client_id, [])
        for moment in _moments(line, *visit_span(visit), zone)
    ]
    if not wanted:
        return {v.id: [] for v in visits}
    moments = [m for _, _, m in wanted]
    records = {
        (r.line_id, r.due_at): r
        for r in current_records()
        .filter(line__in={line.pk for _, line, _ in wanted}, due_at__in=set(moments))
        .select_related("recorded_by")
    }
    out: dict[uuid.UUID, list[DueDose]] = {v.id: [] for v in visits}
    for visit, line, moment in wanted:
        out[visit.id].append(
            DueDose(line, moment, records.get((line.pk, moment)), line.time_critical)
        )
    for doses in out.values():
        doses.sort(key=lambda d: (d.due_at, not d.time_critical, d.line.name))
    return out
