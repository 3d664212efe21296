"""Working-time warnings (Working Time Regulations 1998)."""

import datetime as dt
import itertools
import uuid
from collections import defaultdict

from scheduling.rules.plan import (
    BREAK_AFTER_HOURS,
    BREAK_MINUTES,
    DAILY_REST_HOURS,
    REFERENCE_WEEKS,
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
    derived,
    hours,
    overlaps,
    span,
)
from scheduling.rules.travel_time import travel_legs, working_hours
from scheduling.rules.words import gettext_noop, said

# Working time (Working Time Regulations 1998) ----------------------------------------------


def work_periods(plan: Plan) -> dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime]]]:
    """Each member's stretches of work, in time order: shifts, visits and the journeys between
    visits merged where they touch or overlap (travel is working time)."""
    spans: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for shift in plan.shifts:
        spans[shift.member_id].append((shift.start, shift.end))
    for visit in plan.visits:
        for carer in visit.carer_ids:
            spans[carer].append((visit.start, visit.end))
    for leg in travel_legs(plan):
        spans[leg.member_id].append((leg.start, leg.after.start))
    merged: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime]]] = {}
    for member_id, items in spans.items():
        periods: list[tuple[dt.datetime, dt.datetime]] = []
        for lo, hi in sorted(items):
            if periods and lo <= periods[-1][1]:
                periods[-1] = (periods[-1][0], max(periods[-1][1], hi))
            else:
                periods.append((lo, hi))
        merged[member_id] = periods
    return merged


def short_daily_rest(plan: Plan) -> list[Problem]:
    """At least 11 consecutive hours' rest between one working day and the next (visits and
    travel outside a shift are work too)."""
    problems = []
    for member_id, periods in work_periods(plan).items():
        for (before_start, before_end), (after_start, after_end) in itertools.pairwise(periods):
            new_day = (
                after_start.astimezone(plan.zone).date()
                != before_start.astimezone(plan.zone).date()
            )
            rest = hours(before_end, after_start)
            if new_day and 0 <= rest < DAILY_REST_HOURS and _in_week(plan, after_start):
                problems.append(
                    Problem(
                        Level.WORKING_TIME,
                        "daily_rest",
                        said(
                            gettext_noop(
                                "%(who)s has only %(rest)s hours' rest between %(before)s and "
                                "%(after)s (at least %(least)s needed)."
                            ),
                            who=_name(plan, member_id),
                            rest=_fmt_hours(rest),
                            before=span(before_start, before_end, plan.zone),
                            after=span(after_start, after_end, plan.zone),
                            least=DAILY_REST_HOURS,
                        ),
                        (member_id,),
                        (),
                        after_start,
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
                    said(
                        gettext_noop(
                            "%(who)s has no %(least)s-hour rest this week "
                            "(longest rest %(longest)s hours)."
                        ),
                        who=_name(plan, member_id),
                        least=WEEKLY_REST_HOURS,
                        longest=_fmt_hours(longest),
                    ),
                    (member_id,),
                )
            )
    return problems


def planned_hours(plan: Plan) -> dict[uuid.UUID, float]:
    """Hours worked per member in what starts this week: shifts (breaks left out), visits and
    travel between visits, each moment counted once."""
    hours = derived(
        plan,
        "planned hours",
        lambda: working_hours(
            shifts=plan.shifts,
            visits=plan.visits,
            legs=travel_legs(plan),
            start=plan.week_start,
            end=plan.week_end,
        ),
    )
    return dict(hours)


def average_hours(plan: Plan) -> dict[uuid.UUID, tuple[float, int]]:
    """Average weekly hours per member over the reference period ending with this week, and the
    number of weeks it covers (up to 17; fewer when the member's history here is shorter)."""
    totals = planned_hours(plan)
    averages = {}
    for member_id in set(totals) | set(plan.worked_before):
        before = plan.worked_before.get(member_id)
        weeks = 1 + min(before.weeks if before else 0, REFERENCE_WEEKS - 1)
        worked = totals.get(member_id, 0.0) + (before.hours if before else 0.0)
        averages[member_id] = (worked / weeks, weeks)
    return averages


def over_48_hours(plan: Plan) -> list[Problem]:
    """More than 48 hours a week on average over the reference period: a long week is allowed
    when the weeks before it leave the average at 48 or under."""
    totals = planned_hours(plan)
    problems = []
    for member_id, (average, weeks) in sorted(average_hours(plan).items()):
        if average <= WEEKLY_LIMIT_HOURS:
            continue
        period = (
            said(gettext_noop("this week"))
            if weeks == 1
            else said(gettext_noop("the %(weeks)s weeks to the end of this one"), weeks=weeks)
        )
        problems.append(
            Problem(
                Level.WORKING_TIME,
                "weekly_hours",
                said(
                    gettext_noop(
                        "%(who)s is planned for %(planned)s hours this week, an average of "
                        "%(average)s hours a week over %(period)s (more than %(limit)s)."
                    ),
                    who=_name(plan, member_id),
                    planned=_fmt_hours(totals.get(member_id, 0.0)),
                    average=_fmt_hours(average),
                    period=period,
                    limit=WEEKLY_LIMIT_HOURS,
                ),
                (member_id,),
            )
        )
    return problems


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
                        said(
                            gettext_noop(
                                "%(who)s works %(span)s (%(length)s hours) "
                                "with no %(minutes)s-minute break."
                            ),
                            who=_name(plan, member_id),
                            span=span(stretch[0].start, max(s.end for s in stretch), plan.zone),
                            length=_fmt_hours(length),
                            minutes=BREAK_MINUTES,
                        ),
                        (member_id,),
                        (),
                        stretch[0].start,
                    )
                )
    return problems
