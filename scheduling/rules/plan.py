"""The rules' plain data (members, shifts, absences, visits, problems) and shared helpers.

Durations are real elapsed hours, computed in UTC: a night across a clock change lasts what the
carer actually worked, not the difference on the wall clock.
"""

import datetime as dt
import enum
import uuid
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from scheduling.rules.words import Said, When, gettext_noop, said
from scheduling.rules.words import when as said_when

DAILY_REST_HOURS = 11
WEEKLY_REST_HOURS = 24
WEEKLY_LIMIT_HOURS = 48
# The 48 hours are an average over a reference period of 17 weeks (Working Time Regulations 1998,
# regulation 4(3)); here a rolling one, ending with the week being planned.
REFERENCE_WEEKS = 17
BREAK_AFTER_HOURS = 6
BREAK_MINUTES = 20
# "Well under or over" contracted hours: a few hours either way is ordinary planning slack.
CONTRACT_SLACK_SHARE = 0.15
CONTRACT_SLACK_MIN_HOURS = 3.0
WORKING_WEEKDAYS = 5
# A client's preferred language (clients.models.ClientLanguage) and the member skill that speaks
# it (careteams.skills.Skill), with the language's name for the words: Cymraeg only, for now.
LANGUAGE_SKILLS = {"cy": "welsh"}
LANGUAGE_NAMES = {"cy": said(gettext_noop("Welsh"))}


class Level(enum.StrEnum):
    ERROR = "error"
    WORKING_TIME = "working_time"
    PLANNING = "planning"

    @property
    def label(self) -> Said:
        return {
            Level.ERROR: said(gettext_noop("Error")),
            Level.WORKING_TIME: said(gettext_noop("Working time")),
            Level.PLANNING: said(gettext_noop("Planning")),
        }[self]


@dataclass(frozen=True)
class Member:
    id: uuid.UUID
    name: str
    skills: frozenset[str] = frozenset()
    contracted_hours: float = 0.0
    role: str = ""  # careteams' Role value: registered_nurse, care_worker...


@dataclass(frozen=True)
class Shift:
    id: uuid.UUID
    member_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    break_minutes: int = 0


@dataclass(frozen=True)
class Absence:
    id: uuid.UUID
    member_id: uuid.UUID
    kind: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Visit:
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    start: dt.datetime
    end: dt.datetime
    required_skills: frozenset[str] = frozenset()
    carers_needed: int = 1
    carer_ids: tuple[uuid.UUID, ...] = ()
    required_role: str = ""  # the least role who may make it ("" anyone)
    language: str = ""  # the client's preferred language ("" not recorded)
    language_needed: bool = False


@dataclass(frozen=True)
class WorkedBefore:
    """A member's working time in the reference period before the planned week: the hours, and
    how many weeks they cover (fewer than 16 for someone whose history here is shorter)."""

    hours: float
    weeks: int


@dataclass(frozen=True)
class Plan:
    """One team's week. Shifts and absences may reach into the weeks either side: the rest
    rules need the night before Monday."""

    zone: ZoneInfo
    week_start: dt.datetime
    week_end: dt.datetime
    members: Mapping[uuid.UUID, Member]
    shifts: Sequence[Shift] = ()
    absences: Sequence[Absence] = ()
    visits: Sequence[Visit] = ()  # the week's visits, cancelled ones left out
    continuity_limit: int = 4
    absence_labels: Mapping[str, str] = field(default_factory=dict)
    skill_labels: Mapping[str, str] = field(default_factory=dict)
    # Minutes of travel from one client's home to another's, for the pairs of clients one carer
    # visits one after the other (the selector asks travel.py for them; the rules stay pure).
    travel: Mapping[tuple[uuid.UUID, uuid.UUID], int] = field(default_factory=dict)
    worked_before: Mapping[uuid.UUID, WorkedBefore] = field(default_factory=dict)


_MISSING = object()
# What rules work out from a whole plan, by (id of the plan, what): `derived`.
_derived: dict[tuple[int, str], object] = {}


def derived[T](plan: Plan, what: str, make: Callable[[], T]) -> T:
    """What the rules work out from a whole plan (its travel legs, its hours), once per plan:
    `check` asked for the same ones up to seven times (issue 29: a third of its time). A plan
    is frozen and its parts are never changed in place, so what was worked out stays true while
    the plan lives, and goes with it."""
    key = (id(plan), what)
    found = _derived.get(key, _MISSING)
    if found is _MISSING:
        found = _derived[key] = make()
        weakref.finalize(plan, _derived.pop, key, None)
    return found  # type: ignore[return-value]


@dataclass(frozen=True)
class Problem:
    level: Level
    code: str
    message: str
    member_ids: tuple[uuid.UUID, ...] = ()
    visit_ids: tuple[uuid.UUID, ...] = ()
    at: dt.datetime | None = None


# Time helpers -------------------------------------------------------------------------------


def hours(start: dt.datetime, end: dt.datetime) -> float:
    """Real elapsed hours between two aware datetimes (in UTC, so clock changes count)."""
    return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 3600


def worked_hours(shift: Shift) -> float:
    return max(0.0, hours(shift.start, shift.end) - shift.break_minutes / 60)


def overlaps(
    a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime
) -> bool:
    return a_start < b_end and b_start < a_end


def when(moment: dt.datetime, zone: ZoneInfo) -> When:
    return said_when(moment.astimezone(zone), "%a %-d %b %H:%M", "D j M H:i")


def span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> Said:
    return said("%(start)s–%(end)s", start=when(start, zone), end=f"{end.astimezone(zone):%H:%M}")


def _fmt_hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _name(plan: Plan, member_id: uuid.UUID) -> str:
    member = plan.members.get(member_id)
    return member.name if member else said(gettext_noop("A former member"))


def _visit_label(plan: Plan, visit: Visit) -> Said:
    return said(
        "%(client)s (%(span)s)",
        client=visit.client_name,
        span=span(visit.start, visit.end, plan.zone),
    )


def _by_member[T: (Shift, Absence)](items: Iterable[T]) -> dict[uuid.UUID, list[T]]:
    grouped: dict[uuid.UUID, list[T]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.start):
        grouped[item.member_id].append(item)
    return grouped


def _visits_by_carer(visits: Iterable[Visit]) -> dict[uuid.UUID, list[Visit]]:
    grouped: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for visit in sorted(visits, key=lambda v: v.start):
        for carer in visit.carer_ids:
            grouped[carer].append(visit)
    return grouped


def _in_week(plan: Plan, moment: dt.datetime) -> bool:
    return plan.week_start <= moment < plan.week_end


def _covered(
    intervals: Sequence[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> bool:
    """Whether back-to-back intervals (sorted by start) cover [start, end] without a gap."""
    reached = start
    for lo, hi in intervals:
        if lo > reached:
            break
        reached = max(reached, hi)
        if reached >= end:
            return True
    return False
