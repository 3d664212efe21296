"""What a calendar address shows: the member's own shifts and visits for the coming four weeks.

Read in three queries whatever the number of events (the address, the shifts, the visits). A
visit carries its times and its place in the member's day, never its client: calendar services
keep copies of everything they fetch.
"""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from careteams import access, hashing, timeutil
from careteams.access import AnyUser
from careteams.errors import NotFound
from careteams.models import Membership, User
from scheduling.models import Shift, Visit, VisitStatus
from sharing.models import CalendarFeed

DAYS = 28


@dataclass(frozen=True)
class ShiftEvent:
    id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    kind: str
    version: int


@dataclass(frozen=True)
class VisitEvent:
    id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    cancelled: bool
    version: int
    # Its place among the member's visits that day that go ahead (None when cancelled).
    number: int | None
    of: int


@dataclass(frozen=True)
class MemberCalendar:
    feed: CalendarFeed
    zone_name: str
    first_day: dt.date
    shifts: list[ShiftEvent]
    visits: list[VisitEvent]


def calendar_memberships_of(*, user: AnyUser) -> list[Membership]:
    """The person's own active memberships: each may have one calendar address."""
    if not isinstance(user, User):
        return []
    return list(
        Membership.objects.active()
        .filter(team_id__in=access.member_scope(user), user=user)
        .select_related("team")
        .order_by("team__name")
    )


def calendar_feeds_of(*, user_id: uuid.UUID) -> QuerySet[CalendarFeed]:
    """The live addresses of a person's active memberships (their own security page)."""
    return CalendarFeed.objects.filter(
        membership__user_id=user_id, membership__ended_at__isnull=True, revoked_at__isnull=True
    )


def calendar_feed_by_token(token: str) -> CalendarFeed:
    """The live address with this token, or NotFound: revoked, ended membership, inactive
    account and a made-up token all answer alike."""
    feed = (
        CalendarFeed.objects.select_related("membership__team")
        .filter(
            token_hash=hashing.token_hash(token),
            revoked_at__isnull=True,
            membership__ended_at__isnull=True,
            membership__user__is_active=True,
        )
        .first()
    )
    if feed is None:
        raise NotFound()
    return feed


def _numbered(rows: Sequence[Mapping[str, Any]], zone: ZoneInfo) -> list[VisitEvent]:
    """Each visit with its place in the member's day: "2 of 6 today" counts the visits that go
    ahead, in order of their planned start."""
    days = [row["planned_start"].astimezone(zone).date() for row in rows]
    live = [row["status"] != VisitStatus.CANCELLED for row in rows]
    of = Counter(day for day, going in zip(days, live, strict=True) if going)
    seen: Counter[dt.date] = Counter()
    events = []
    for row, day, going in zip(rows, days, live, strict=True):
        seen[day] += going
        events.append(
            VisitEvent(
                id=row["id"],
                start=row["planned_start"],
                end=row["planned_end"],
                cancelled=not going,
                version=row["version"],
                number=seen[day] if going else None,
                of=of[day],
            )
        )
    return events


def member_calendar(*, feed: CalendarFeed, now: dt.datetime | None = None) -> MemberCalendar:
    """From the start of today in the team's zone, four weeks of the member's rota."""
    membership = feed.membership
    zone = membership.team.zone
    today = timeutil.local_today(zone, now=now or timezone.now())
    start = timeutil.day_bounds(zone, today)[0]
    end = timeutil.day_bounds(zone, today + dt.timedelta(days=DAYS))[0]
    shifts = [
        ShiftEvent(s["id"], s["start"], s["end"], s["kind"], s["version"])
        for s in Shift.objects.filter(member=membership, start__lt=end, end__gt=start)
        .order_by("start")
        .values("id", "start", "end", "kind", "version")
    ]
    rows = list(
        Visit.objects.filter(
            assignments__member=membership, planned_start__gte=start, planned_start__lt=end
        )
        .order_by("planned_start", "id")
        .values("id", "planned_start", "planned_end", "status", "version")
    )
    return MemberCalendar(
        feed=feed,
        zone_name=membership.team.timezone,
        first_day=today,
        shifts=shifts,
        visits=_numbered(rows, zone),
    )
