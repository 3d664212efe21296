"""The week board's cheap paths: its rule results kept per plan position, and the ETag that lets
a live refresh be answered 304 Not Modified.

The rules read only some kinds of record (visits and their carers, shifts, absences, members,
clients, the team: `registry.plan_inputs()`); a change of one of those moves the team's plan
position (`Team.plan_seq`, written in the change's own transaction, in commit order) and a note,
a check-in or a task outcome does not. So what the rules found for a week at one plan position
(and incarnation) stays true until it moves: the results are kept under that position, and a
read skips the 17 weeks of working time, the travel matrix and the rules. The rules read no
clock, so the hour is not in the key (it is in the ETag: the page shows "today").

After a change that moves the position commits, the writer brings the kept results of the
weeks being read up to date (scheduling/selectors/week_refresh.py), so a reader's first read
after a change finds them: a reader that arrives while that runs waits for it, briefly
(`REFRESH_WAIT_SECONDS`), rather than recomputing the week itself.

Every copy is computed from rows read after its position was read, so a copy is never older than
its key (it may be a little newer); a reader may take any copy at or after its own position.
"""

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags

from careteams.access import AnyUser
from careteams.geo import Location
from careteams.incarnation import plan_position
from careteams.models import Team
from scheduling import rules

# Bumped when the board's markup or the API week's shape changes: an old copy is then stale.
BOARD_VERSION = "week-2"
# Bumped when WeekFacts or WeekState change shape, or what the rules find for the same rows.
FACTS_VERSION = "facts-3"
# Long enough for a busy hour of reads; a position that moved leaves its old entries to expire.
FACTS_SECONDS = 15 * 60
# How long a reader that finds the results of an older position waits for the writer's refresh
# before computing the week itself: a refresh costs the writer a few tens of ms.
REFRESH_WAIT_SECONDS = 0.25
REFRESH_POLL_SECONDS = 0.005
# The weeks of a team kept current after each write: those read last (this week and the next,
# mostly); a week read after it fell out of the list is computed by its reader, as before.
HOT_WEEKS = 4

logger = logging.getLogger(__name__)


class Position(NamedTuple):
    """Where the team's feed is (`head`: the ETag's) and where its plan is (`plan`: the facts')."""

    head: int
    incarnation: str
    plan: int


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


# The order of a visit in the week (`week_load.visits_loaded`): start, client's family name, id.
VisitOrder = tuple[dt.datetime, str, uuid.UUID]


@dataclass(frozen=True)
class WeekState:
    """What a writer needs to bring a week's results up to date without loading the week again:
    the rules' plan at `position`, and what of the loaded rows the plan does not say (the visits'
    order, which visit each assignment is of, where the clients live)."""

    position: int
    plan: rules.Plan
    order: dict[uuid.UUID, VisitOrder]
    assignments: dict[uuid.UUID, uuid.UUID]
    locations: dict[uuid.UUID, Location]


def _local_hour(team: Team) -> str:
    return timezone.now().astimezone(team.zone).strftime("%Y-%m-%dT%H")


def _week_key(team_id: uuid.UUID, monday: dt.date, incarnation: str) -> str:
    return f"week-facts:{FACTS_VERSION}:{team_id}:{monday}:{incarnation}"


def facts_key(*, team_id: uuid.UUID, monday: dt.date, plan: int, incarnation: str) -> str:
    return f"{_week_key(team_id, monday, incarnation)}:{plan}"


def _latest_key(team_id: uuid.UUID, monday: dt.date, incarnation: str) -> str:
    return f"{_week_key(team_id, monday, incarnation)}:latest"


def state_key(*, team_id: uuid.UUID, monday: dt.date, incarnation: str) -> str:
    return f"{_week_key(team_id, monday, incarnation)}:state"


def hot_key(team_id: uuid.UUID) -> str:
    return f"week-hot:{FACTS_VERSION}:{team_id}"


def _facts(found: Any) -> WeekFacts | None:
    return found if isinstance(found, WeekFacts) else None


def facts_find(
    *, team_id: uuid.UUID, monday: dt.date, position: Position, wait: bool = True
) -> WeekFacts | None:
    """The week's results at `position` or after, or None: the reader computes them. One round
    trip when they are kept; while a writer is bringing them up to date (the week is kept, at an
    older position), up to `REFRESH_WAIT_SECONDS` more. The cache away is a miss."""
    key = facts_key(
        team_id=team_id, monday=monday, plan=position.plan, incarnation=position.incarnation
    )
    latest_key = _latest_key(team_id, monday, position.incarnation)
    try:
        found = cache.get_many([key, latest_key, hot_key(team_id)])
        if (facts := _facts(found.get(key))) is not None:
            return facts
        latest, hot = found.get(latest_key), found.get(hot_key(team_id)) or ()
        # Only a week on the hot list is refreshed by writers: another is not worth waiting for.
        deadline = time.monotonic() + (REFRESH_WAIT_SECONDS if wait and monday in hot else 0)
        while isinstance(latest, int):
            if latest >= position.plan:
                newer = facts_key(
                    team_id=team_id, monday=monday, plan=latest, incarnation=position.incarnation
                )
                return _facts(cache.get(newer))
            if time.monotonic() >= deadline:
                return None
            time.sleep(REFRESH_POLL_SECONDS)
            latest = cache.get(latest_key)
    except Exception:  # the cache is an aid: without it the reader computes
        logger.warning("Week results not read from the cache", exc_info=True)
    return None


def facts_keep(
    *, team_id: uuid.UUID, monday: dt.date, incarnation: str, facts: WeekFacts, state: WeekState
) -> None:
    """Keep the week's results at the state's position, and the state for the writers; put the
    week on the team's hot list. A failing cache is logged: readers then compute, as before."""
    try:
        cache.set_many(
            {
                facts_key(
                    team_id=team_id, monday=monday, plan=state.position, incarnation=incarnation
                ): facts,
                state_key(team_id=team_id, monday=monday, incarnation=incarnation): state,
                _latest_key(team_id, monday, incarnation): state.position,
            },
            FACTS_SECONDS,
        )
    except Exception:  # never fail a read or a write for the cache
        logger.warning("Week results not kept in the cache", exc_info=True)


def week_read(*, team_id: uuid.UUID, monday: dt.date) -> None:
    """Put the week first on the team's hot list (the weeks writers keep current)."""
    try:
        hot = [m for m in cache.get(hot_key(team_id)) or () if m != monday]
        cache.set(hot_key(team_id), (monday, *hot[: HOT_WEEKS - 1]), FACTS_SECONDS)
    except Exception:  # the list is an aid: a week off it is computed by its reader
        logger.warning("Week not put on the hot list", exc_info=True)


def hot_weeks(team_id: uuid.UUID) -> tuple[dt.date, ...]:
    found = cache.get(hot_key(team_id))
    return tuple(found) if isinstance(found, tuple) else ()


def facts_of(plan: rules.Plan) -> WeekFacts:
    """Run the rules over the week (the expensive part the cache saves). Problems and legs in a
    total order, so the same plan gives equal results whichever order its rows came in."""
    far = plan.week_end
    return WeekFacts(
        problems=sorted(
            rules.check(plan),
            key=lambda p: (
                rules.LEVEL_ORDER[p.level],
                p.at or far,
                p.message,
                p.code,
                p.member_ids,
                p.visit_ids,
            ),
        ),
        planned_hours=dict(rules.planned_hours(plan)),
        expected_hours={m.id: rules.expected_hours(plan, m) for m in plan.members.values()},
        legs=sorted(
            (
                ArrivingLeg(leg.after.id, leg.member_id, leg.minutes, leg.gap_minutes)
                for leg in rules.travel_legs(plan)
            ),
            key=lambda leg: (leg.visit_id, leg.member_id),
        ),
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


def position_of(team: Team) -> Position:
    """The team's feed head, incarnation and plan position: one query. Read before the data it
    tags or keys, so a change committed in between makes that data newer than its tag (the next
    refresh fetches it again), never older."""
    head, plan, incarnation = plan_position(team_id=team.id)
    return Position(head, incarnation, plan)


def week_etag(*, user: AnyUser, team: Team, variant: str, position: Position) -> str:
    """The ETag of what `user` gets at `variant` (the path and query, and anything else the
    answer depends on) for the team at `position` (`position_of`)."""
    head, incarnation = position.head, position.incarnation
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
