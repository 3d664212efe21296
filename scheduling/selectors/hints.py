"""Hints before assigning: for one visit, every member of the team ranked, each with what the
week would look like if they took it (on shift, skills and role, free or double-booked, travel
from their previous visit, hours planned against contract, how often they have seen the
client) and the problems the move would bring in.

The problems come from the same rules checker the board runs after a move (`rules.check`), over
the week as it would be: so a hint says before the tap what the board says after it
(tests/scheduling/test_grid_hints.py).
"""

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count

from careteams import timeutil
from careteams.access import AnyUser
from careteams.geo import Location
from careteams.models import Membership, Team
from careteams.skills import Skill
from scheduling import access as scheduling_access
from scheduling import rules, travel
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.selectors.week_load import plan_of, week_rows

_SKILLS = dict(Skill.choices)


# What needs a reason before a person makes the move: the rules the team may not break without
# saying why (no shift, a skill or role missing, double-booked, the working-time rules), not the
# planning warnings (continuity, hours under contract).
HARD_LEVELS = frozenset({rules.Level.ERROR, rules.Level.WORKING_TIME})


@dataclass(frozen=True)
class Hint:
    """One member as a carer for the visit."""

    member: Membership
    name: str
    role: str
    skills: list[str]
    missing_skills: list[str]
    shift: rules.Shift | None  # the shift the visit falls in, if any
    clashes: list[rules.Visit]  # their other visits at the same time
    travel_minutes: int | None  # from their previous visit that day (None: the first)
    travel_from: str
    short_by: int
    planned_hours: float  # the week's, with this visit
    expected_hours: float
    seen: int  # visits to this client before this one
    problems: list[rules.Problem]  # what the move would bring in, errors first

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level is rules.Level.ERROR)

    @property
    def needs_reason(self) -> bool:
        """The move breaks a hard rule: the person says why before it is made."""
        return any(p.level in HARD_LEVELS for p in self.problems)

    @property
    def rank(self) -> tuple[int, int, int, int, int, str]:
        """Best first: no errors, on shift, fewest problems, most continuity, least travel."""
        return (
            self.errors,
            int(self.shift is None),
            len(self.problems),
            -self.seen,
            self.travel_minutes or 0,
            self.name,
        )


@dataclass(frozen=True)
class VisitHints:
    visit: Visit
    from_member: Membership | None  # whose place moves (None: an open place)
    hints: list[Hint]


def problem_key(problem: rules.Problem) -> tuple[str, object, tuple[uuid.UUID, ...]]:
    """What makes a problem the same before and after a change: its rule, moment and visits,
    not its words (a member already under contract stays so with other hours in the message)."""
    return (problem.code, problem.at, tuple(sorted(problem.visit_ids)))


def new_problems_for(
    before: Sequence[rules.Problem], after: Sequence[rules.Problem], member_id: uuid.UUID
) -> list[rules.Problem]:
    """The problems about `member_id` that a change brings in, in the checker's order."""
    known = {problem_key(p) for p in before if member_id in p.member_ids}
    return [p for p in after if member_id in p.member_ids and problem_key(p) not in known]


def moved(
    plan: rules.Plan, visit_id: uuid.UUID, from_id: uuid.UUID | None, to_id: uuid.UUID
) -> rules.Plan:
    """The week with `from_id`'s place on the visit (or an open place) given to `to_id`."""

    def carers(visit: rules.Visit) -> tuple[uuid.UUID, ...]:
        kept = tuple(c for c in visit.carer_ids if c != from_id)
        return (*kept, to_id)

    visits = [
        dataclasses.replace(v, carer_ids=carers(v)) if v.id == visit_id else v for v in plan.visits
    ]
    return dataclasses.replace(plan, visits=visits)


def _locations(visits: Iterable[Visit]) -> dict[uuid.UUID, Location]:
    return {
        v.client_id: (v.client.latitude, v.client.longitude)
        for v in visits
        if v.client.latitude is not None and v.client.longitude is not None
    }


def _with_travel(
    plans: list[rules.Plan], base: rules.Plan, locations: dict[uuid.UUID, Location]
) -> list[rules.Plan]:
    """The plans with the travel their new pairs of clients need, asked for all at once (the
    same estimates the board reads after the move: scheduling/travel.py)."""
    wanted = set().union(*(rules.client_pairs(p.visits, p.zone) for p in plans)) - set(base.travel)
    places = {
        (a, b): (locations[a], locations[b]) for a, b in wanted if a in locations and b in locations
    }
    minutes = travel.travel_matrix(places.values()) if places else {}
    table = {**base.travel, **{pair: minutes[where] for pair, where in places.items()}}
    return [dataclasses.replace(p, travel=table) for p in plans]


def _seen(user: AnyUser, visit: Visit) -> dict[uuid.UUID, int]:
    """Each member's visits to this client before this one (continuity): one query."""
    earlier = scheduling_access.visits_visible_to(user).filter(
        client_id=visit.client_id, planned_start__lt=visit.planned_start
    )
    counts = (
        VisitAssignment.objects.filter(visit__in=earlier)
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values("member_id")
        .annotate(n=Count("id"))
    )
    return {row["member_id"]: row["n"] for row in counts}


def _hint(
    member: Membership,
    plan: rules.Plan,
    before: list[rules.Problem],
    visit: rules.Visit,
    seen: dict[uuid.UUID, int],
) -> Hint:
    after = rules.check(plan)
    legs = [
        leg
        for leg in rules.legs_of(plan.visits, plan.zone, plan.travel)
        if leg.after.id == visit.id and leg.member_id == member.id
    ]
    leg = legs[0] if legs else None
    mine = plan.members[member.id]
    return Hint(
        member=member,
        name=mine.name,
        role=member.get_role_display(),
        skills=sorted(str(_SKILLS.get(s, s)) for s in mine.skills),
        missing_skills=sorted(str(_SKILLS.get(s, s)) for s in visit.required_skills - mine.skills),
        shift=next(
            (
                s
                for s in plan.shifts
                if s.member_id == member.id and s.start <= visit.start and s.end >= visit.end
            ),
            None,
        ),
        clashes=[
            v
            for v in plan.visits
            if v.id != visit.id
            and member.id in v.carer_ids
            and v.start < visit.end
            and visit.start < v.end
        ],
        travel_minutes=leg.minutes if leg else None,
        travel_from=leg.before.client_name if leg else "",
        short_by=max(0, leg.minutes - max(0, round(leg.gap_minutes))) if leg else 0,
        planned_hours=rules.planned_hours(plan).get(member.id, 0.0),
        expected_hours=rules.expected_hours(plan, mine),
        seen=seen.get(member.id, 0),
        problems=new_problems_for(before, after, member.id),
    )


def visit_hints(
    *, user: AnyUser, team: Team, visit: Visit, from_member: Membership | None = None
) -> VisitHints:
    """Every current member not on `visit` ranked as its carer (taking `from_member`'s place,
    or an open one), best first. A fixed number of queries (the week's rows
    and the continuity count), then the rules once per member, in memory."""
    zone = team.zone
    monday = timeutil.monday_of(visit.planned_start.astimezone(zone).date())
    rows = week_rows(user=user, team=team, monday=monday)
    base = plan_of(rows)
    before = rules.check(base)
    target = next((v for v in base.visits if v.id == visit.id), None)
    on_visit = set(target.carer_ids) if target else set()
    candidates = [m for m in rows.members if m.id not in on_visit]
    from_id = from_member.id if from_member is not None else None
    plans = _with_travel(
        [moved(base, visit.id, from_id, m.id) for m in candidates], base, _locations(rows.visits)
    )
    seen = _seen(user, visit)
    hints = []
    if target is not None:
        for member, plan in zip(candidates, plans, strict=True):
            moved_visit = next(v for v in plan.visits if v.id == visit.id)
            hints.append(_hint(member, plan, before, moved_visit, seen))
    hints.sort(key=lambda h: h.rank)
    return VisitHints(visit, from_member, hints)


def move_breaks(
    *,
    user: AnyUser,
    team: Team,
    visit: Visit,
    member: Membership,
    from_member: Membership | None = None,
) -> list[rules.Problem]:
    """The hard rules that giving `member` the place (`from_member`'s, or an open one) on
    `visit` would break: what the hints say of them, computed the same way."""
    zone = team.zone
    monday = timeutil.monday_of(visit.planned_start.astimezone(zone).date())
    rows = week_rows(user=user, team=team, monday=monday)
    base = plan_of(rows)
    if not any(v.id == visit.id for v in base.visits):
        return []
    from_id = from_member.id if from_member is not None else None
    (plan,) = _with_travel(
        [moved(base, visit.id, from_id, member.id)], base, _locations(rows.visits)
    )
    found = new_problems_for(rules.check(base), rules.check(plan), member.id)
    return [p for p in found if p.level in HARD_LEVELS]
