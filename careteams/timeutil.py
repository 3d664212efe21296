"""Days and weeks in a team's time zone.

A team plans in local time; the database holds UTC. A local day is 23 or 25 hours long at a
clock change, and durations are always computed on aware datetimes (real elapsed hours).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def local_today(zone: ZoneInfo, *, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zone).date()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def day_bounds(zone: ZoneInfo, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight, as aware datetimes."""
    return (
        dt.datetime.combine(day, dt.time.min, tzinfo=zone),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def week_bounds(zone: ZoneInfo, monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, as aware datetimes."""
    return (
        dt.datetime.combine(monday, dt.time.min, tzinfo=zone),
        dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone),
    )


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Real elapsed hours between two aware datetimes (a night across a clock change included)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("hours_between needs timezone-aware datetimes")
    return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 3600
