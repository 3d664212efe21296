"""The doses due at each of a day's visits, for the API's my day: the rule of
`medicines.selectors.doses_due` (a scheduled dose whose window meets the visit's span), read
for every visit at once: three queries (the clients' lines, their schedules, their records),
and a fourth for the clients' visits when a line is given with a visit, however many visits
and doses, where one `doses_due` a visit would be three each."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from medicines.models import MedicineLine
from medicines.selectors.doses import (
    DAY,
    DueDose,
    current_records,
    sort_key,
    with_schedules,
)
from medicines.timing import around, line_doses, visit_span, widest_tolerance
from scheduling.models import Visit


def doses_of_visits(*, visits: Sequence[Visit], zone: ZoneInfo) -> dict[uuid.UUID, list[DueDose]]:
    """Each visit's due doses with their current record, time-critical first at each time."""
    if not visits:
        return {}
    lines: dict[uuid.UUID, list[MedicineLine]] = defaultdict(list)
    # As scheduled_lines, for every client of the day at once.
    found = list(
        with_schedules(
            MedicineLine.objects.filter(client_id__in={v.client_id for v in visits}, prn=False)
        )
    )
    for line in found:
        lines[line.client_id].append(line)
    out: dict[uuid.UUID, list[DueDose]] = {v.id: [] for v in visits}
    if not found:
        return out
    spans = {v.id: visit_span(v) for v in visits}
    widest = max(widest_tolerance(line) for line in found) + DAY
    start = min(s for s, _ in spans.values()) - widest
    end = max(e for _, e in spans.values()) + widest
    records = {
        (r.line_id, r.due_at): r
        for r in current_records()
        .filter(line__in=found, due_at__gte=start - DAY, due_at__lt=end + DAY)
        .select_related("recorded_by")
    }
    near = around(found, start, end, zone, records)
    doses = {line.pk: line_doses(line, start, end, near) for line in found}
    for visit in visits:
        first, last = spans[visit.id]
        out[visit.id] = sorted(
            (
                DueDose.of(line, dose, records.get((line.pk, dose.due_at)))
                for line in lines.get(visit.client_id, [])
                for dose in doses[line.pk]
                if dose.window_end >= first and dose.window_start <= last
            ),
            key=sort_key,
        )
    return out
