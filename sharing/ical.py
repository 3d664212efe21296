"""A member's calendar as iCalendar (RFC 5545), built with the `icalendar` library.

Times are written in the team's zone with its VTIMEZONE, so a calendar shows a shift across a
clock change with its real length. Each shift and visit keeps one UID for good, and its SEQUENCE
is the record's `version`, which every change raises: calendar services replace the event they
hold instead of adding a second one. A cancelled visit stays, with STATUS:CANCELLED, so that a
calendar that already copied it marks it cancelled; a visit the member was taken off simply
leaves the feed (services drop an event that no longer comes).

Nothing names a client: a visit is "Visit 08:15 to 09:00 (2 of 6 today)", with an en dash.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone
from django.utils.translation import gettext as _

from scheduling.models import ShiftKind
from sharing.selectors.calendar import DAYS, MemberCalendar, ShiftEvent, VisitEvent

PRODID = "-//careteams//Calendar feed//EN"
UID_DOMAIN = "careteams"


def _times(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    return f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"


def _event(uid: str, start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("transp", "OPAQUE")
    return event


def _shift(shift: ShiftEvent, zone: ZoneInfo) -> icalendar.Event:
    event = _event(f"shift-{shift.id}", shift.start, shift.end, zone)
    kind = str(ShiftKind(shift.kind).label) if shift.kind in ShiftKind.values else shift.kind
    times = _times(shift.start, shift.end, zone)
    event.add("summary", _("Shift: %(kind)s %(times)s") % {"kind": kind, "times": times})
    event.add("sequence", shift.version)
    event.add("status", "CONFIRMED")
    return event


def _visit(visit: VisitEvent, zone: ZoneInfo) -> icalendar.Event:
    event = _event(f"visit-{visit.id}", visit.start, visit.end, zone)
    times = _times(visit.start, visit.end, zone)
    if visit.cancelled:
        summary = _("Visit %(times)s (cancelled)") % {"times": times}
    else:
        summary = _("Visit %(times)s (%(number)s of %(of)s today)") % {
            "times": times,
            "number": visit.number,
            "of": visit.of,
        }
    event.add("summary", summary)
    event.add("sequence", visit.version)
    event.add("status", "CANCELLED" if visit.cancelled else "CONFIRMED")
    return event


def calendar_ical(calendar: MemberCalendar) -> bytes:
    zone = ZoneInfo(calendar.zone_name)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("careteams: my shifts and visits"))
    cal.add("x-wr-timezone", calendar.zone_name)
    # The team's zone from its own rules, over the days the feed covers (a night shift may
    # have started the day before): written even when there is nothing yet to show.
    cal.add_component(
        icalendar.Timezone.from_tzid(
            calendar.zone_name,
            first_date=calendar.first_day - dt.timedelta(days=2),
            last_date=calendar.first_day + dt.timedelta(days=DAYS + 2),
        )
    )
    for shift in calendar.shifts:
        cal.add_component(_shift(shift, zone))
    for visit in calendar.visits:
        cal.add_component(_visit(visit, zone))
    ical: bytes = cal.to_ical()
    return ical
