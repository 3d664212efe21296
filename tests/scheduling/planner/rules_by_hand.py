"""The hard rules written out again, plainly and apart from the planner, to check its answers."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta

from scheduling.planner.model import PlanInput, PlanMember, PlanResult, PlanVisit

RANK = {"student": 0, "care_worker": 1, "nursing_associate": 2, "registered_nurse": 3}
Work = tuple[datetime, datetime, tuple[float, float] | None]


def _work(data: PlanInput, result: PlanResult) -> dict[str, list[Work]]:
    visits = {v.id: v for v in data.visits}
    work: dict[str, list[Work]] = {m.id: [(a, b, None) for a, b in m.busy] for m in data.members}
    for v in data.visits:
        for mid in v.assigned:
            work[mid].append((v.start, v.end, v.location))
    for p in result.proposals:
        v = visits[p.visit_id]
        start, end = (p.start, p.end) if p.start and p.end else (v.start, v.end)
        for mid in p.member_ids:
            work[mid].append((start, end, v.location))
    return {mid: sorted(items, key=lambda w: (w[0], w[1])) for mid, items in work.items()}


def _busy_spans(
    items: list[Work], travel: Callable[..., int], home: tuple[float, float] | None
) -> list[tuple[datetime, datetime]]:
    """Work and the journeys: between visits of a day, and from home to the day's first work
    and back from its last when the member gave a start point."""
    spans = [(a, b) for a, b, _ in items]
    for (_, end, here), (start, _, there) in itertools.pairwise(items):
        if end.astimezone(start.tzinfo).date() == start.date():
            spans.append((end, end + timedelta(minutes=travel(here, there))))
    if home is not None:
        for day in {a.date() for a, _, _ in items}:
            of_day = [w for w in items if w[0].date() == day]
            first, last = of_day[0], of_day[-1]
            spans.append((first[0] - timedelta(minutes=travel(home, first[2])), first[0]))
            spans.append((last[1], last[1] + timedelta(minutes=travel(last[2], home))))
    return sorted(spans)


def _longest_rest(
    spans: list[tuple[datetime, datetime]], begin: datetime, end: datetime
) -> timedelta:
    cursor, best = begin, timedelta(0)
    for a, b in spans:
        if b <= begin or a >= end:
            continue
        best = max(best, a - cursor)
        cursor = max(cursor, b)
    return max(best, end - cursor)


def broken_rules(data: PlanInput, result: PlanResult) -> list[str]:
    """Every hard rule a proposal breaks, in words (empty when the plan is lawful)."""
    members: dict[str, PlanMember] = {m.id: m for m in data.members}
    visits: dict[str, PlanVisit] = {v.id: v for v in data.visits}
    problems: list[str] = []
    for p in result.proposals:
        problems += _proposal_problems(visits[p.visit_id], p.member_ids, members, p.start)
    days = {v.start.date() for v in data.visits}
    first_day = min(days)
    span_days = (max(days) - first_day).days + 1
    for mid, items in _work(data, result).items():
        spans = _busy_spans(items, data.travel_minutes, members[mid].home)
        problems += _double_booked(data, mid, items)
        problems += _no_break(data, mid, items)
        problems += _no_daily_rest(data, mid, items, spans)
        if span_days >= 7:
            problems += _no_weekly_rest(data, mid, spans, first_day, span_days)
        problems += _over_average(data, members[mid], spans, span_days)
    return problems


def _proposal_problems(
    v: PlanVisit,
    member_ids: tuple[str, ...],
    members: dict[str, PlanMember],
    moved_to: datetime | None,
) -> list[str]:
    """The carers a proposal names: as many as needed, each of the role and skills, on shift and
    not absent; a visit moved only where its window allows, as long as it was."""
    problems = []
    if moved_to is not None:
        if not (v.window_start and v.window_end and v.window_start <= moved_to <= v.window_end):
            problems.append(f"{v.id}: moved to {moved_to:%H:%M}, outside its window")
        if v.assigned:
            problems.append(f"{v.id}: moved with a carer already on it")
        v = dataclasses.replace(v, start=moved_to, end=moved_to + (v.end - v.start))
    if (
        len(set(member_ids)) != len(member_ids)
        or len(member_ids) + len(v.assigned) != v.carers_needed
    ):
        problems.append(f"{v.id}: carers {member_ids} for {v.carers_needed} needed")
    for mid in member_ids:
        m = members[mid]
        if v.required_role and RANK[m.role] < RANK[v.required_role]:
            problems.append(f"{v.id}: {m.role} for a {v.required_role} visit")
        if not v.required_skills <= m.skills:
            problems.append(f"{v.id}: {mid} lacks skills")
        if not any(a <= v.start and v.end <= b for a, b in m.shifts):
            problems.append(f"{v.id}: {mid} not on shift")
        if any(a < v.end and v.start < b for a, b in m.absences):
            problems.append(f"{v.id}: {mid} absent")
    return problems


def _double_booked(data: PlanInput, mid: str, items: list[Work]) -> list[str]:
    problems = []
    for (_, end, here), (start, _, there) in itertools.pairwise(items):
        same_day = end.astimezone(start.tzinfo).date() == start.date()
        gap = timedelta(minutes=data.travel_minutes(here, there) if same_day else 0)
        if end + gap > start:
            problems.append(f"{mid}: double booked at {start:%a %H:%M}")
    return problems


def _no_break(data: PlanInput, mid: str, items: list[Work]) -> list[str]:
    rules, problems = data.rules, []
    block_start = None
    for k, (start, end, here) in enumerate(items):
        if k == 0 or items[k - 1][1].date() != start.date():
            block_start = start
        else:
            _, before_end, there = items[k - 1]
            free = start - before_end - timedelta(minutes=data.travel_minutes(there, here))
            if free >= timedelta(minutes=rules.break_minutes):
                block_start = start
        assert block_start is not None
        if end - block_start > timedelta(hours=rules.break_after_hours):
            problems.append(f"{mid}: no break by {end:%a %H:%M}")
    return problems


def _no_daily_rest(
    data: PlanInput, mid: str, items: list[Work], spans: list[tuple[datetime, datetime]]
) -> list[str]:
    rest = timedelta(hours=data.rules.daily_rest_hours)
    return [
        f"{mid}: no daily rest after {start:%a %H:%M}"
        for start, _, _ in items
        if _longest_rest(spans, start, start + timedelta(hours=24)) < rest
    ]


def _no_weekly_rest(
    data: PlanInput,
    mid: str,
    spans: list[tuple[datetime, datetime]],
    first_day: date,
    span_days: int,
) -> list[str]:
    tz = data.visits[0].start.tzinfo
    problems = []
    for d in range(span_days - 6):
        begin = datetime.combine(first_day + timedelta(days=d), datetime.min.time(), tz)
        end = datetime.combine(first_day + timedelta(days=d + 7), datetime.min.time(), tz)
        if spans and _longest_rest(spans, begin, end) < timedelta(
            hours=data.rules.weekly_rest_hours
        ):
            problems.append(f"{mid}: no weekly rest")
    return problems


def _over_average(
    data: PlanInput, m: PlanMember, spans: list[tuple[datetime, datetime]], span_days: int
) -> list[str]:
    rules = data.rules
    worked = sum(((b - a) for a, b in spans), timedelta(0))
    weeks = m.weeks_before + -(-span_days // 7)
    if (
        m.worked_minutes_before + worked.total_seconds() / 60
        > rules.max_average_weekly_hours * 60 * weeks
    ):
        return [f"{m.id}: over the {rules.max_average_weekly_hours} h average"]
    return []
