"""Working-time warnings (Working Time Regulations 1998)."""

import itertools
import uuid
from collections import defaultdict

from scheduling.rules.plan import (
    BREAK_AFTER_HOURS,
    BREAK_MINUTES,
    DAILY_REST_HOURS,
    WEEKLY_LIMIT_HOURS,
    WEEKLY_REST_HOURS,
    Level,
    Plan,
    Problem,
    Shift,
    _by_member,
    _fmt_hours,
    _in_week,
    _name,
    hours,
    overlaps,
    span,
    worked_hours,
)

# Working time (Working Time Regulations 1998) ----------------------------------------------


def short_daily_rest(plan: Plan) -> list[Problem]:
    """At least 11 consecutive hours' rest between one working day and the next."""
    problems = []
    for member_id, shifts in _by_member(plan.shifts).items():
        for before, after in itertools.pairwise(shifts):
            new_day = (
                after.start.astimezone(plan.zone).date()
                != before.start.astimezone(plan.zone).date()
            )
            rest = hours(before.end, after.start)
            if new_day and 0 <= rest < DAILY_REST_HOURS and _in_week(plan, after.start):
                problems.append(
                    Problem(
                        Level.WORKING_TIME,
                        "daily_rest",
                        f"{_name(plan, member_id)} has only {_fmt_hours(rest)} hours' rest between "
                        f"{span(before.start, before.end, plan.zone)} and "
                        f"{span(after.start, after.end, plan.zone)} "
                        f"(at least {DAILY_REST_HOURS} needed).",
                        (member_id,),
                        (),
                        after.start,
                    )
                )
    return problems


def no_weekly_rest(plan: Plan) -> list[Problem]:
    """At least 24 hours in a row without work somewhere in the week."""
    problems = []
    for member_id, shifts in _by_member(plan.shifts).items():
        inside = [
            (max(s.start, plan.week_start), min(s.end, plan.week_end))
            for s in shifts
            if overlaps(s.start, s.end, plan.week_start, plan.week_end)
        ]
        if not inside:
            continue
        longest, reached = 0.0, plan.week_start
        for lo, hi in inside:
            longest = max(longest, hours(reached, lo))
            reached = max(reached, hi)
        longest = max(longest, hours(reached, plan.week_end))
        if longest < WEEKLY_REST_HOURS:
            problems.append(
                Problem(
                    Level.WORKING_TIME,
                    "weekly_rest",
                    f"{_name(plan, member_id)} has no {WEEKLY_REST_HOURS}-hour rest this week "
                    f"(longest rest {_fmt_hours(longest)} hours).",
                    (member_id,),
                )
            )
    return problems


def planned_hours(plan: Plan) -> dict[uuid.UUID, float]:
    """Hours worked per member in shifts starting this week, breaks left out."""
    totals: dict[uuid.UUID, float] = defaultdict(float)
    for shift in plan.shifts:
        if _in_week(plan, shift.start):
            totals[shift.member_id] += worked_hours(shift)
    return dict(totals)


def over_48_hours(plan: Plan) -> list[Problem]:
    return [
        Problem(
            Level.WORKING_TIME,
            "weekly_hours",
            f"{_name(plan, member_id)} is planned for {_fmt_hours(total)} hours this week "
            f"(more than {WEEKLY_LIMIT_HOURS}).",
            (member_id,),
        )
        for member_id, total in planned_hours(plan).items()
        if total > WEEKLY_LIMIT_HOURS
    ]


def missing_breaks(plan: Plan) -> list[Problem]:
    """More than 6 hours' work needs a 20-minute break. Back-to-back shifts are one stretch."""
    problems = []
    for member_id, shifts in _by_member(plan.shifts).items():
        stretches: list[list[Shift]] = []
        for shift in shifts:
            last = stretches[-1][-1] if stretches else None
            if last is not None and hours(last.end, shift.start) * 60 < BREAK_MINUTES:
                stretches[-1].append(shift)
            else:
                stretches.append([shift])
        for stretch in stretches:
            length = hours(stretch[0].start, max(s.end for s in stretch))
            rested = max(s.break_minutes for s in stretch) >= BREAK_MINUTES
            if length > BREAK_AFTER_HOURS and not rested and _in_week(plan, stretch[0].start):
                problems.append(
                    Problem(
                        Level.WORKING_TIME,
                        "no_break",
                        f"{_name(plan, member_id)} works "
                        f"{span(stretch[0].start, max(s.end for s in stretch), plan.zone)} "
                        f"({_fmt_hours(length)} hours) with no {BREAK_MINUTES}-minute break.",
                        (member_id,),
                        (),
                        stretch[0].start,
                    )
                )
    return problems
