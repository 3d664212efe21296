"""What the rules need beyond the week's own rows: travel between clients, and the working time
of the weeks before (the 48 hours are averaged over a 17-week reference period).

The reference period is rolling: the 17 weeks ending with the week being planned, so every week
is checked against the 16 before it. A member whose history here is shorter (new to the team, or
the team new to careteams) is averaged over the weeks since their first recorded work, never over
empty weeks that would hide a long one. Leave and sickness are not added back as hours: the
weeks they fall in count with the hours actually worked (a simplification of regulation 4(6),
which would stretch the period instead; it errs towards warning).

Each read is a fixed number of queries, however many weeks, shifts and visits there are.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from careteams import timeutil
from careteams.access import AnyUser
from careteams.geo import Location
from careteams.models import Membership, Team
from scheduling import access as scheduling_access
from scheduling import rules, travel
from scheduling.models import Shift, Visit, VisitAssignment, VisitStatus

# The planned week is the 17th.
WEEKS_BEFORE = rules.plan.REFERENCE_WEEKS - 1


def _location(latitude: float | None, longitude: float | None) -> Location | None:
    return None if latitude is None or longitude is None else (latitude, longitude)


def travel_between(
    visits: Sequence[rules.Visit], locations: dict[uuid.UUID, Location], zone: ZoneInfo
) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Minutes between the clients that carers visit one after the other (pairs where either
    client has no location are left out: their travel is unknown, not nothing)."""
    pairs = {
        (a, b): (locations[a], locations[b])
        for a, b in rules.client_pairs(visits, zone)
        if a in locations and b in locations
    }
    minutes = travel.travel_matrix(pairs.values())
    return {key: minutes[places] for key, places in pairs.items()}


def rules_visits(visits: Iterable[Visit]) -> list[rules.Visit]:
    """Loaded visits (client and assignments prefetched) as the rules' plain data."""
    return [
        rules.Visit(
            v.id,
            v.client_id,
            v.client.full_name,
            v.planned_start,
            v.planned_end,
            frozenset(v.required_skills or []),
            v.carers_needed,
            tuple(a.member_id for a in v.assignments.all()),
            v.required_role,
            v.client.language,
            v.client.language_needed,
        )
        for v in visits
        if v.status != VisitStatus.CANCELLED
    ]


def week_travel(*, team: Team, visits: Iterable[Visit]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Travel for a week's loaded visits (client and assignments prefetched): no queries."""
    loaded = list(visits)
    locations = {
        v.client_id: place
        for v in loaded
        if (place := _location(v.client.latitude, v.client.longitude)) is not None
    }
    return travel_between(rules_visits(loaded), locations, team.zone)


def worked_before(*, team: Team, monday: dt.date) -> dict[uuid.UUID, rules.WorkedBefore]:
    """Each member's working time in the 16 weeks before the week of `monday` (shifts less
    breaks, visits and travel between them, as the week itself is counted): two queries.

    Not narrowed by the reader: it yields hours per member only, which every reader of the
    team's rota may see (coaches included), and the caller has already scoped the team. Counting
    a coach's hours from the visits they may see would give them other figures than the team's."""
    first_monday = monday - dt.timedelta(weeks=WEEKS_BEFORE)
    start, _ = timeutil.week_bounds(team.zone, first_monday)
    end, _ = timeutil.week_bounds(team.zone, monday)
    shifts = [
        rules.Shift(pk, member_id, s, e, breaks)
        for pk, member_id, s, e, breaks in Shift.objects.filter(
            team=team, start__gte=start, start__lt=end
        ).values_list("id", "member_id", "start", "end", "break_minutes")
    ]
    carers: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    found: dict[uuid.UUID, tuple[uuid.UUID, dt.datetime, dt.datetime]] = {}
    locations: dict[uuid.UUID, Location] = {}
    rows = (
        VisitAssignment.objects.filter(
            visit__team=team, visit__planned_start__gte=start, visit__planned_start__lt=end
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values_list(
            "member_id",
            "visit_id",
            "visit__client_id",
            "visit__planned_start",
            "visit__planned_end",
            "visit__client__latitude",
            "visit__client__longitude",
        )
    )
    for member_id, visit_id, client_id, v_start, v_end, lat, lon in rows:
        carers[visit_id].append(member_id)
        found[visit_id] = (client_id, v_start, v_end)
        if (place := _location(lat, lon)) is not None:
            locations[client_id] = place
    visits = [
        rules.Visit(pk, client_id, "", v_start, v_end, carer_ids=tuple(carers[pk]))
        for pk, (client_id, v_start, v_end) in found.items()
    ]
    minutes = travel_between(visits, locations, team.zone)
    legs = rules.legs_of(visits, team.zone, minutes)
    worked = rules.working_hours(shifts=shifts, visits=visits, legs=legs, start=start, end=end)
    first_work: dict[uuid.UUID, dt.datetime] = {}
    for member_id, moment in [(s.member_id, s.start) for s in shifts] + [
        (carer, v.start) for v in visits for carer in v.carer_ids
    ]:
        if member_id not in first_work or moment < first_work[member_id]:
            first_work[member_id] = moment
    history = {}
    for member_id, first in first_work.items():
        first_week = timeutil.monday_of(first.astimezone(team.zone).date())
        weeks = (monday - first_week).days // 7
        history[member_id] = rules.WorkedBefore(worked.get(member_id, 0.0), weeks)
    return history


# A member's travel on a day (for the board and My day) ---------------------------------------


@dataclass(frozen=True)
class TravelLeg:
    member_id: uuid.UUID
    before: Visit
    after: Visit
    minutes: int
    short_by: int  # minutes the gap between the visits is shorter than the journey (0: enough)


@dataclass(frozen=True)
class DayTravel:
    day: dt.date
    legs: dict[uuid.UUID, list[TravelLeg]]  # per member, in time order

    def for_member(self, member_id: uuid.UUID) -> list[TravelLeg]:
        return self.legs.get(member_id, [])

    def minutes_of(self, member_id: uuid.UUID) -> int:
        return sum(leg.minutes for leg in self.for_member(member_id))

    def before(self, member_id: uuid.UUID, visit_id: uuid.UUID) -> TravelLeg | None:
        """The journey that ends at this visit, if any (to show above the visit)."""
        return next((leg for leg in self.for_member(member_id) if leg.after.id == visit_id), None)


def _legs_of_loaded(team: Team, loaded: list[Visit]) -> dict[uuid.UUID, list[TravelLeg]]:
    by_id = {v.id: v for v in loaded}
    minutes = week_travel(team=team, visits=loaded)
    legs: dict[uuid.UUID, list[TravelLeg]] = defaultdict(list)
    for leg in rules.legs_of(rules_visits(loaded), team.zone, minutes):
        short = max(0, leg.minutes - max(0, round(leg.gap_minutes)))
        legs[leg.member_id].append(
            TravelLeg(leg.member_id, by_id[leg.before.id], by_id[leg.after.id], leg.minutes, short)
        )
    return dict(legs)


def day_travel(*, user: AnyUser, team: Team, day: dt.date) -> DayTravel:
    """Travel between consecutive visits of every member of the team on one day: one query
    (visits with clients and assignments), the times from travel.py."""
    start, end = timeutil.day_bounds(team.zone, day)
    loaded = list(
        scheduling_access.visits_visible_to(user)
        .filter(team=team, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("client")
        .prefetch_related("assignments")
        .order_by("planned_start")
    )
    return DayTravel(day, _legs_of_loaded(team, loaded))


def member_day_travel(
    *, team: Team, member: Membership, visits: Iterable[Visit]
) -> list[TravelLeg]:
    """One member's journeys of the day, in order (My day), from the visits of their day that
    the caller has loaded (client and assignments with them): no queries. Their own visits are
    all it takes: a journey is between two visits of the same carer."""
    mine = [v for v in visits if any(a.member_id == member.id for a in v.assignments.all())]
    return _legs_of_loaded(team, mine).get(member.id, [])
