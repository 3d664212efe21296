"""Limits every door shares: the service checks them, the page's form and the API schema use the
same constants and the same words, so a value is refused alike whichever way it came."""

import datetime as dt
from collections.abc import Iterable

# Text lengths, in characters.
NOTE_BODY_MAX = 20_000
ROTA_NOTE_MAX = 200  # the note on a shift or an absence
CARE_DESCRIPTION_MAX = 2_000
FREQUENCY_MAX = 100
TASK_MAX = 200

# Numbers.
BREAK_MINUTES_MAX = 180  # a shift's planned rest break
PATTERN_INTERVAL_WEEKS_MAX = 52  # a visit pattern repeats every 1 (weekly) to 52 weeks

# Device clocks drift: a time a little in the future is accepted, more is refused.
CLOCK_SKEW_ALLOWED = dt.timedelta(minutes=5)
# A check in or out, or a note about a visit, recorded this long before the visit's planned
# start is a wrong clock or a wrong visit, not an early arrival.
BEFORE_VISIT_ALLOWED = dt.timedelta(hours=24)
# A note recorded on a device that was offline may arrive late, but not this late: older
# times are a wrong clock (a late entry is still shown as one after 24 hours).
NOTE_AGE_ALLOWED = dt.timedelta(days=30)


def too_long(limit: int) -> str:
    return f"Keep this to {limit:,} characters or fewer."


def not_a_choice(values: Iterable[str]) -> str:
    return f"Choose one of: {', '.join(values)}."
