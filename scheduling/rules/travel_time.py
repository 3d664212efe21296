"""Travel between a carer's visits, and the working time it adds (pure: minutes come in the plan).

Travel between consecutive visits of the same day is working time (the carer is at work while
driving from one client to the next), so it counts towards the daily and weekly hours and the
17-week average, like a shift. A member's working time is the union of their shifts, their
visits and the journeys between visits: a journey inside a shift is not counted twice.
"""

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from scheduling.rules.plan import (
    Level,
    Plan,
    Problem,
    Shift,
    Visit,
    _name,
    _visit_label,
    derived,
    hours,
)
from scheduling.rules.words import gettext_noop, said


@dataclass(frozen=True)
class Leg:
    """The journey of one carer from one visit to the next on the same day."""

    member_id: uuid.UUID
    before: Visit
    after: Visit
    minutes: int

    @property
    def start(self) -> dt.datetime:
        """When the journey starts: as late as it can, so that it ends as the next visit starts
        (and never before the visit before has ended)."""
        leave = self.after.start - dt.timedelta(minutes=self.minutes)
        return max(leave, self.before.end)

    @property
    def gap_minutes(self) -> float:
        return hours(self.before.end, self.after.start) * 60


def consecutive(visits: Iterable[Visit], zone: ZoneInfo) -> list[tuple[uuid.UUID, Visit, Visit]]:
    """(carer, visit, next visit) for each carer's visits one after the other on one day."""
    by_carer: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for visit in sorted(visits, key=lambda v: v.start):
        for carer in visit.carer_ids:
            by_carer[carer].append(visit)
    pairs = []
    for carer, mine in by_carer.items():
        for before, after in itertools.pairwise(mine):
            if before.start.astimezone(zone).date() == after.start.astimezone(zone).date():
                pairs.append((carer, before, after))
    return pairs


def client_pairs(visits: Iterable[Visit], zone: ZoneInfo) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """The pairs of clients whose travel time the rules will need (for the selector to ask)."""
    return {
        (before.client_id, after.client_id)
        for _, before, after in consecutive(visits, zone)
        if before.client_id != after.client_id
    }


def legs_of(
    visits: Iterable[Visit],
    zone: ZoneInfo,
    travel: Mapping[tuple[uuid.UUID, uuid.UUID], int],
) -> list[Leg]:
    """The journeys between consecutive visits; none between two visits to the same client, and
    none where the time is not known (a client without a location)."""
    legs = []
    for carer, before, after in consecutive(visits, zone):
        if before.client_id == after.client_id:
            continue
        minutes = travel.get((before.client_id, after.client_id))
        if minutes:
            legs.append(Leg(carer, before, after, minutes))
    return legs


def travel_legs(plan: Plan) -> list[Leg]:
    legs = derived(plan, "travel legs", lambda: legs_of(plan.visits, plan.zone, plan.travel))
    return list(legs)


def _union_hours(intervals: Sequence[tuple[dt.datetime, dt.datetime]]) -> float:
    total, reached = 0.0, None
    for lo, hi in sorted(intervals):
        if reached is None or lo > reached:
            total += hours(lo, hi)
            reached = hi
        elif hi > reached:
            total += hours(reached, hi)
            reached = hi
    return total


def working_hours(
    *,
    shifts: Iterable[Shift],
    visits: Iterable[Visit],
    legs: Iterable[Leg],
    start: dt.datetime,
    end: dt.datetime,
) -> dict[uuid.UUID, float]:
    """Hours worked per member in what starts from `start` to `end`: the union of shifts,
    visits and journeys, less the shifts' breaks."""
    intervals: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    breaks: dict[uuid.UUID, float] = defaultdict(float)
    for shift in shifts:
        if start <= shift.start < end:
            intervals[shift.member_id].append((shift.start, shift.end))
            breaks[shift.member_id] += shift.break_minutes / 60
    for visit in visits:
        if start <= visit.start < end:
            for carer in visit.carer_ids:
                intervals[carer].append((visit.start, visit.end))
    for leg in legs:
        if start <= leg.after.start < end and leg.start < leg.after.start:
            intervals[leg.member_id].append((leg.start, leg.after.start))
    return {
        member_id: max(0.0, _union_hours(spans) - breaks[member_id])
        for member_id, spans in intervals.items()
    }


def travel_minutes_by_member(plan: Plan) -> dict[uuid.UUID, int]:
    """Minutes of travel between visits per member in the planned week."""
    totals: dict[uuid.UUID, int] = defaultdict(int)
    for leg in travel_legs(plan):
        if plan.week_start <= leg.after.start < plan.week_end:
            totals[leg.member_id] += leg.minutes
    return dict(totals)


def tight_travel(plan: Plan) -> list[Problem]:
    """Less time between two visits than the journey takes: the carer will be late."""
    return [
        Problem(
            Level.PLANNING,
            "travel_tight",
            said(
                gettext_noop(
                    "%(who)s has %(gap)s minutes between %(before)s and %(after)s, "
                    "but the journey takes about %(minutes)s."
                ),
                who=_name(plan, leg.member_id),
                gap=max(0, round(leg.gap_minutes)),
                before=_visit_label(plan, leg.before),
                after=_visit_label(plan, leg.after),
                minutes=leg.minutes,
            ),
            (leg.member_id,),
            (leg.after.id,),
            leg.after.start,
        )
        for leg in travel_legs(plan)
        if plan.week_start <= leg.after.start < plan.week_end and 0 <= leg.gap_minutes < leg.minutes
    ]
