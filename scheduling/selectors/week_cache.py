"""The week board's cheap paths: its rule results kept per feed position, and the ETag that lets
a live refresh be answered 304 Not Modified.

Every change to a team's rota is a feed event, which moves the team's head seq
(`Team.last_change_seq`, written in the change's own transaction). So what the rules found for a
week at one head (and incarnation) stays true until the head moves: the results are kept in the
cache under that position and a repeated read without changes skips the 17 weeks of working
time, the travel matrix and the rules. Things that change with no feed event are in the key too:
the day in the team's time zone (what is "today", and the hour for anything `now`-dependent).
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags

from careteams.access import AnyUser
from careteams.incarnation import feed_position
from careteams.models import Team
from scheduling import rules

# Bumped when the board's markup or the API week's shape changes: an old copy is then stale.
BOARD_VERSION = "week-2"
# Long enough for a busy hour of reads; a head that moved leaves its old entries to expire.
FACTS_SECONDS = 15 * 60


@dataclass(frozen=True)
class ArrivingLeg:
    """A carer's journey to a visit from their previous one (the rules' travel leg, as data)."""

    visit_id: uuid.UUID
    member_id: uuid.UUID
    minutes: int
    gap_minutes: float


@dataclass(frozen=True)
class WeekFacts:
    """What the rules say of one week: plain data, small, cheap to keep and to read back."""

    problems: list[rules.Problem]
    planned_hours: dict[uuid.UUID, float]
    expected_hours: dict[uuid.UUID, float]
    legs: list[ArrivingLeg]
    # Hours of visits per member and day in the team's zone (the week's overview: the board loads
    # one day's visits only while these are kept).
    visit_hours: dict[tuple[uuid.UUID, dt.date], float]


def _local_hour(team: Team) -> str:
    return timezone.now().astimezone(team.zone).strftime("%Y-%m-%dT%H")


def facts_key(*, team: Team, monday: dt.date, head: int, incarnation: str) -> str:
    return f"week-facts:{BOARD_VERSION}:{team.id}:{monday}:{incarnation}:{head}:{_local_hour(team)}"


def facts_get(key: str) -> WeekFacts | None:
    found = cache.get(key)
    return found if isinstance(found, WeekFacts) else None


def facts_put(key: str, facts: WeekFacts) -> None:
    cache.set(key, facts, FACTS_SECONDS)


def facts_of(plan: rules.Plan) -> WeekFacts:
    """Run the rules over the week (the expensive part the cache saves)."""
    return WeekFacts(
        problems=rules.check(plan),
        planned_hours=dict(rules.planned_hours(plan)),
        expected_hours={m.id: rules.expected_hours(plan, m) for m in plan.members.values()},
        legs=[
            ArrivingLeg(leg.after.id, leg.member_id, leg.minutes, leg.gap_minutes)
            for leg in rules.travel_legs(plan)
        ],
        visit_hours=_visit_hours(plan),
    )


def _visit_hours(plan: rules.Plan) -> dict[tuple[uuid.UUID, dt.date], float]:
    out: dict[tuple[uuid.UUID, dt.date], float] = {}
    for visit in plan.visits:
        day = visit.start.astimezone(plan.zone).date()
        for member_id in visit.carer_ids:
            key = (member_id, day)
            out[key] = out.get(key, 0.0) + rules.hours(visit.start, visit.end)
    return out


def position_of(team: Team) -> tuple[int, str]:
    """The team's feed head and incarnation: one query. Read before the data it tags or keys,
    so a change committed in between makes that data newer than its tag (the next refresh
    fetches it again), never older."""
    return feed_position(team_id=team.id)


def week_etag(*, user: AnyUser, team: Team, variant: str, position: tuple[int, str]) -> str:
    """The ETag of what `user` gets at `variant` (the path and query, and anything else the
    answer depends on) for the team at `position` (`position_of`)."""
    head, incarnation = position
    user_id = getattr(user, "pk", None)
    parts = (BOARD_VERSION, str(team.id), str(user_id), variant, str(head), incarnation)
    raw = "|".join((*parts, _local_hour(team)))
    # Keyed with the server's secret: a client cannot make up the tag of a copy it never had.
    return '"' + salted_hmac("week-etag", raw, algorithm="sha256").hexdigest()[:32] + '"'


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's copy (its If-None-Match) is the one tagged `etag`. Weak comparison:
    a compressing proxy may have weakened the tag."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(if_none_match))
