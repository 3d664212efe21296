"""The week's rules as pure functions: plain data in, problems out.

No ORM and no Django here, so every rule can be tested with a handful of dataclasses and runs
over a whole week in memory (the week board computes them on each render without extra queries).
Durations are real elapsed hours, computed in UTC: a night across a clock change lasts what the
carer actually worked, not the difference on the wall clock.
"""

import uuid
from collections.abc import Callable, Sequence

from scheduling.rules.conflicts import (
    missing_skills,
    overlapping_visits,
    short_double_ups,
    unavailable_carers,
    wrong_roles,
)
from scheduling.rules.plan import (
    Absence,
    Level,
    Member,
    Plan,
    Problem,
    Shift,
    Visit,
    WorkedBefore,
    hours,
    span,
    when,
    worked_hours,
)
from scheduling.rules.planning import (
    absence_credit,
    carers_per_client,
    expected_hours,
    language_unmet,
    off_contract,
    poor_continuity,
    unassigned_visits,
)
from scheduling.rules.travel_time import (
    Leg,
    client_pairs,
    legs_of,
    tight_travel,
    travel_legs,
    travel_minutes_by_member,
    working_hours,
)
from scheduling.rules.working_time import (
    average_hours,
    missing_breaks,
    no_weekly_rest,
    over_48_hours,
    planned_hours,
    short_daily_rest,
    work_periods,
)

__all__ = [
    "Absence",
    "Leg",
    "Level",
    "Member",
    "Plan",
    "Problem",
    "Shift",
    "Visit",
    "WorkedBefore",
    "absence_credit",
    "average_hours",
    "carers_per_client",
    "check",
    "client_pairs",
    "expected_hours",
    "hours",
    "language_unmet",
    "legs_of",
    "missing_breaks",
    "missing_skills",
    "new_errors_for",
    "no_weekly_rest",
    "off_contract",
    "over_48_hours",
    "overlapping_visits",
    "planned_hours",
    "poor_continuity",
    "short_daily_rest",
    "short_double_ups",
    "span",
    "tight_travel",
    "travel_legs",
    "travel_minutes_by_member",
    "unassigned_visits",
    "unavailable_carers",
    "when",
    "work_periods",
    "worked_hours",
    "working_hours",
    "wrong_roles",
]

RULES: tuple[Callable[[Plan], list[Problem]], ...] = (
    overlapping_visits,
    unavailable_carers,
    missing_skills,
    wrong_roles,
    short_double_ups,
    short_daily_rest,
    no_weekly_rest,
    over_48_hours,
    missing_breaks,
    tight_travel,
    unassigned_visits,
    off_contract,
    poor_continuity,
    language_unmet,
)
LEVEL_ORDER = {Level.ERROR: 0, Level.WORKING_TIME: 1, Level.PLANNING: 2}


def check(plan: Plan) -> list[Problem]:
    """Every problem of the week: errors first, then working time, then planning, in time order."""
    found = [problem for rule in RULES for problem in rule(plan)]
    far = plan.week_end
    return sorted(found, key=lambda p: (LEVEL_ORDER[p.level], p.at or far, p.message))


def new_errors_for(
    before: Sequence[Problem], after: Sequence[Problem], member_id: uuid.UUID
) -> list[Problem]:
    """The errors about `member_id` that a change would bring in (for refusing a swap)."""
    known = {(p.code, p.message) for p in before}
    return [
        p
        for p in after
        if p.level is Level.ERROR and member_id in p.member_ids and (p.code, p.message) not in known
    ]
