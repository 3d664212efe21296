"""Whether a visit is on time, late or missed. Pure: plain data in, a state out.

A visit is due by its latest start (`window_end`, else its planned start) plus the team's grace
time. Not checked in by then, it is late; not checked in by the end of its day (local midnight
in the team's time zone), it is missed. Times are compared as instants (in UTC), so a day of 23
or 25 hours at a clock change ends at its real midnight and the grace is real minutes.
"""

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo


class Timing(StrEnum):
    ON_TIME = "on_time"  # not yet due, or checked in by the time it was due
    LATE = "late"  # past due and not checked in yet, or checked in after it was due
    MISSED = "missed"  # nobody checked in by the end of the visit's day


def due_at(
    *, planned_start: dt.datetime, window_end: dt.datetime | None, grace_minutes: int
) -> dt.datetime:
    latest = window_end or planned_start
    return latest.astimezone(dt.UTC) + dt.timedelta(minutes=grace_minutes)


def end_of_day(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The local midnight after `moment`, as an instant in UTC."""
    day = moment.astimezone(zone).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)


def visit_timing(
    *,
    planned_start: dt.datetime,
    window_end: dt.datetime | None,
    grace_minutes: int,
    zone: ZoneInfo,
    now: dt.datetime,
    checked_in_at: dt.datetime | None,
) -> Timing:
    """`checked_in_at` is the first live check-in (withdrawn ones do not count), or None."""
    due = due_at(planned_start=planned_start, window_end=window_end, grace_minutes=grace_minutes)
    if checked_in_at is not None:
        return Timing.ON_TIME if checked_in_at <= due else Timing.LATE
    if now <= due:
        return Timing.ON_TIME
    if now < end_of_day(planned_start, zone):
        return Timing.LATE
    return Timing.MISSED
