"""A PlanInput in minutes from an origin, with calendar days and each member's candidates."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from scheduling.planner.model import (
    Location,
    PlanInput,
    PlanMember,
    PlanVisit,
)
from scheduling.rules.roles import ROLE_RANK


@dataclass(frozen=True)
class Item:
    """A piece of a member's work in minutes: a visit (planned or kept) or a busy period."""

    key: str
    start: int
    end: int
    location: Location | None
    visit_index: int | None


@dataclass
class Prepared:
    data: PlanInput
    origin: datetime
    days: int
    weeks: int
    starts: list[int]
    ends: list[int]
    # Member index -> work that stays (busy periods and visits already assigned to them).
    fixed: list[list[Item]]
    # Visit index -> member indices allowed by role, skills, shift, absence and the fixed work.
    eligible: list[list[int]]
    # Visit index -> how many more carers it needs (0 when kept as it is).
    open_slots: list[int]
    member_index: dict[str, int] = field(default_factory=dict)
    # Visit index -> the index of the visit at its planned time, for the planner's copies of a
    # visit at other starts within its window (itself for a visit at its planned time). At most
    # one of a visit's times is placed.
    group: list[int] = field(default_factory=list)
    times: dict[int, list[int]] = field(default_factory=dict)

    def placed(self, chosen: Mapping[int, object], v: int) -> bool:
        """Whether the visit (any of its times) has its carers in `chosen`."""
        return any(t in chosen for t in self.times[self.group[v]])

    def moved_minutes(self, v: int) -> int:
        """How far this time of a visit is from the start the team planned."""
        return abs(self.starts[v] - self.starts[self.group[v]])

    def minutes(self, moment: datetime) -> int:
        return math.floor((moment - self.origin).total_seconds() / 60)

    def day_of(self, minute: int) -> int:
        local = (self.origin + timedelta(minutes=minute)).astimezone(self.origin.tzinfo)
        return (local.date() - self.origin.date()).days

    def clock(self, minute: int) -> str:
        local = (self.origin + timedelta(minutes=minute)).astimezone(self.origin.tzinfo)
        return local.strftime("%H:%M")

    def date_of(self, minute: int) -> date:
        return (self.origin + timedelta(minutes=minute)).astimezone(self.origin.tzinfo).date()

    def day_start(self, day: int) -> int:
        midnight = datetime.combine(
            self.origin.date() + timedelta(days=day), time(), self.origin.tzinfo
        )
        return self.minutes(midnight)

    def travel(self, a: Location | None, b: Location | None) -> int:
        return max(0, int(self.data.travel_minutes(a, b)))

    def item_of_visit(self, v: int) -> Item:
        visit = self.data.visits[v]
        return Item(visit.id, self.starts[v], self.ends[v], visit.location, v)


# The planner tries a visit that may move at other starts in its window, this many minutes apart,
# at most MOST_TIMES of them nearest the planned start first (a wide window would otherwise grow
# the week's model with every quarter hour of it).
TIME_STEP = 15
MOST_TIMES = 8


def movable(visit: PlanVisit) -> bool:
    """A visit may move when its client allows it (a window wider than a moment) and nobody is
    on it yet (a carer already on a double-up keeps its time)."""
    return (
        visit.window_start is not None
        and visit.window_end is not None
        and visit.window_end > visit.window_start
        and not visit.assigned
        and visit.moved_from is None
    )


def with_other_times(visits: tuple[PlanVisit, ...]) -> tuple[PlanVisit, ...]:
    """The visits, each followed by its copies at the other starts its window allows: on the
    TIME_STEP grid through the planned start, nearest first. A copy keeps the visit's id and
    length, and remembers the planned start (`moved_from`). Datetimes are in the team's zone
    (selectors/planning.py), so `.date()` is the team's day."""
    out: list[PlanVisit] = []
    step = timedelta(minutes=TIME_STEP)
    for visit in visits:
        out.append(visit)
        first, last = visit.window_start, visit.window_end
        if not movable(visit) or first is None or last is None:
            continue
        # In UTC: arithmetic on a zone's wall clock would be an hour out across a clock change.
        zone, planned = visit.start.tzinfo, visit.start.astimezone(UTC)
        length = visit.end.astimezone(UTC) - planned
        before = math.floor((planned - first.astimezone(UTC)) / step)
        after = math.floor((last.astimezone(UTC) - planned) / step)
        offsets = sorted((k for k in range(-before, after + 1) if k), key=lambda k: (abs(k), k))
        starts = [(planned + k * step).astimezone(zone) for k in offsets]
        # Within its own day: a visit moved across midnight would change the day it is on.
        same_day = [s for s in starts if s.date() == visit.start.date()]
        for start in same_day[:MOST_TIMES]:
            end = (start.astimezone(UTC) + length).astimezone(zone)
            out.append(replace(visit, start=start, end=end, moved_from=visit.start))
    return tuple(out)


def role_allows(member: PlanMember, visit: PlanVisit) -> bool:
    if visit.required_role is None:
        return True
    return ROLE_RANK.get(member.role, 0) >= ROLE_RANK.get(visit.required_role, 99)


def _origin(data: PlanInput) -> datetime:
    moments = [v.start for v in data.visits] or [datetime.now().astimezone()]
    first = min(moments)
    tz = data.visits[0].start.tzinfo if data.visits else first.tzinfo
    local = first.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _spans(prep: Prepared, spans: tuple[tuple[datetime, datetime], ...]) -> list[tuple[int, int]]:
    return [(prep.minutes(a), prep.minutes(b)) for a, b in spans]


def on_shift(prep: Prepared, member: PlanMember, v: int) -> bool:
    s, e = prep.starts[v], prep.ends[v]
    return any(a <= s and e <= b for a, b in _spans(prep, member.shifts))


def absent(prep: Prepared, member: PlanMember, v: int) -> bool:
    s, e = prep.starts[v], prep.ends[v]
    return any(a < e and s < b for a, b in _spans(prep, member.absences))


def clashes(prep: Prepared, item: Item, others: list[Item]) -> bool:
    """True when item cannot sit next to any of others, counting travel both ways."""
    for other in others:
        if other.key == item.key:
            continue
        if item.end + prep.travel(item.location, other.location) <= other.start:
            continue
        if other.end + prep.travel(other.location, item.location) <= item.start:
            continue
        return True
    return False


def prepare(data: PlanInput) -> Prepared:
    """The week in minutes, with the other times of each visit that may move."""
    data = replace(data, visits=with_other_times(data.visits))
    origin = _origin(data)
    prep = Prepared(data, origin, 1, 1, [], [], [], [], [])
    prep.member_index = {m.id: i for i, m in enumerate(data.members)}
    prep.starts = [prep.minutes(v.start) for v in data.visits]
    prep.ends = [prep.minutes(v.end) for v in data.visits]
    last = max(prep.ends, default=0)
    prep.days = max(1, prep.day_of(max(last - 1, 0)) + 1)
    prep.weeks = max(1, math.ceil(prep.days / 7))
    prep.fixed = []
    for member in data.members:
        items = [
            Item(f"busy{k}", s, e, None, None) for k, (s, e) in enumerate(_spans(prep, member.busy))
        ]
        items += [
            prep.item_of_visit(v)
            for v, visit in enumerate(data.visits)
            if member.id in visit.assigned
        ]
        prep.fixed.append(sorted(items, key=lambda i: (i.start, i.end)))
    prep.open_slots = [
        max(0, visit.carers_needed - len([m for m in visit.assigned if m in prep.member_index]))
        for visit in data.visits
    ]
    prep.eligible = [
        [i for i, m in enumerate(data.members) if prep.open_slots[v] and allowed(prep, i, v)]
        for v in range(len(data.visits))
    ]
    planned: int = 0
    for v, visit in enumerate(data.visits):
        if visit.moved_from is None:
            planned = v
        prep.group.append(planned)
        prep.times.setdefault(planned, []).append(v)
    return prep


def allowed(prep: Prepared, i: int, v: int) -> bool:
    member, visit = prep.data.members[i], prep.data.visits[v]
    return (
        member.id not in visit.assigned
        and role_allows(member, visit)
        and visit.required_skills <= member.skills
        and on_shift(prep, member, v)
        and not absent(prep, member, v)
        and not clashes(prep, prep.item_of_visit(v), prep.fixed[i])
        and prep.ends[v] - prep.starts[v] <= prep.data.rules.break_after_hours * 60
    )


def restrict(prep: Prepared, chosen: dict[int, list[int]], free: set[int]) -> Prepared:
    """The same week where only the free visits are open: the others chosen so far become kept."""
    fixed = [list(items) for items in prep.fixed]
    for v, members in chosen.items():
        if v not in free:
            for i in members:
                fixed[i].append(prep.item_of_visit(v))
    sub = Prepared(
        prep.data,
        prep.origin,
        prep.days,
        prep.weeks,
        prep.starts,
        prep.ends,
        [sorted(items, key=lambda i: (i.start, i.end)) for items in fixed],
        [],
        [n if v in free else 0 for v, n in enumerate(prep.open_slots)],
        prep.member_index,
        prep.group,
        prep.times,
    )
    sub.eligible = [
        [i for i in prep.eligible[v] if not clashes(prep, prep.item_of_visit(v), fixed[i])]
        if v in free
        else []
        for v in range(len(prep.open_slots))
    ]
    return sub
