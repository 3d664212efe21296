"""Limits every door shares: the service checks them, the page's form and the API schema use the
same constants and the same words, so a value is refused alike whichever way it came."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext

# Text lengths, in characters.
NOTE_BODY_MAX = 20_000
ROTA_NOTE_MAX = 200  # the note on a shift or an absence
CARE_DESCRIPTION_MAX = 2_000
FREQUENCY_MAX = 100
TASK_MAX = 200
MESSAGE_BODY_MAX = 4_000  # a team or client message
HANDOVER_BODY_MAX = 4_000

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
# A handover note waits for the next carer this long at most: after that it is history (still
# on the client's record), not news for My day or a visit card.
HANDOVER_SHOWN_FOR = dt.timedelta(days=14)


# In the active language when called: a form's error message made in its class body, at
# import, stays in the default language (English); a form that wants Welsh asks at call time.
def too_long(limit: int) -> str:
    return gettext("Keep this to %(limit)s characters or fewer.") % {"limit": f"{limit:,}"}


def not_a_choice(values: Iterable[str]) -> str:
    return gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(values)}


# Visits on the doorstep (issue 13).
# A check-in this far outside the visit's window (before its earliest start or after its latest)
# is asked to be confirmed, with a reason: a wrong visit is likelier than a real arrival.
CHECK_IN_OUTSIDE_WINDOW = dt.timedelta(minutes=60)
# A mistaken check-in can be withdrawn this long after it was received (the withdrawal is kept).
WITHDRAW_WITHIN = dt.timedelta(minutes=15)
# A visit not checked in by its latest start plus this many minutes is late (a team may change it).
LATE_GRACE_MINUTES_DEFAULT = 30
LATE_GRACE_MINUTES_MAX = 240
REASON_MAX = 500  # a reason given for a confirmed check-in, a withdrawal, a missed visit
# A check-in's device location: an accuracy worse than this (metres) says nothing about where
# the client lives, so it is refused rather than kept.
DEVICE_ACCURACY_MAX_M = 5000
# The client record offers the latest check-in locations when the client has no confirmed
# location, or when they are further than this from it (metres): a move, or a wrong entry.
LOCATION_DIFFERS_M = 200
CHECK_IN_LOCATIONS_SHOWN = 3
TASK_NOTE_MAX = 1_000  # the note on a task's outcome
COMMUNICATION_NEEDS_MAX = 1_000
PHONE_MAX = 30
KEY_SAFE_CODE_MAX = 32  # a key safe's code, with room for a note like "C1234 then push"
PHONE_HOURS_MAX = 200
EMERGENCY_CONTACTS_MAX = 10  # per client
