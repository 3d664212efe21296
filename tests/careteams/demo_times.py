"""Moments the demo world is built at, for the tests that build it."""

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# A Wednesday noon: half the week's visits done, half to come.
MIDWEEK = dt.datetime(2025, 6, 11, 12, 0, tzinfo=LONDON)
# The week the clocks go forward (Sunday 30 March 2025), at its very end.
CLOCK_CHANGE_SUNDAY = dt.datetime(2025, 3, 30, 21, 0, tzinfo=LONDON)
