"""How a visit's time reads, in one place: the family page, its PDF, My day and the visit card
all say the same (a page that said 12:30-13:15 beside a PDF saying 12:30-13:00 for one visit
was two formats, the arrival window in one and the planned start and end in the other)."""

import datetime as dt
from zoneinfo import ZoneInfo


def arrival_text(
    *,
    start: dt.datetime,
    window_start: dt.datetime | None,
    window_end: dt.datetime | None,
    zone: ZoneInfo,
    between: str = "Between %(first)s and %(last)s",
    at: str = "At %(time)s",
) -> str:
    """When the carer will arrive: the window the visit may start in, else its planned start.
    `between` and `at` are the sentences in the reader's language (rules import no Django)."""
    if window_start is not None and window_end is not None and window_end > window_start:
        first, last = window_start.astimezone(zone), window_end.astimezone(zone)
        return between % {"first": f"{first:%H:%M}", "last": f"{last:%H:%M}"}
    return at % {"time": f"{start.astimezone(zone):%H:%M}"}


def planned_text(*, start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    return f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"
