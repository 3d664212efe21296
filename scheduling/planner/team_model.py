"""The team planner's CP-SAT model: who does which open visit, and at which of its times.

Per member and calendar day a route (routes.add_route) from their start point through their kept
work and the visits they could take, and back; arcs exist only where the times fit with travel, so
a route is a day without double booking. A visit that may move is in the model once per start its
window allows (prepare.with_other_times), at most one of them placed. Working-time rules are added
as sufficient conditions of the rules in check.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduling.planner import scoring
from scheduling.planner.check import home_legs, ordered, travel_legs, worked_minutes
from scheduling.planner.prepare import Item, Prepared
from scheduling.planner.routes import DEPOT, Route, add_route


@dataclass
class DayRoute:
    member: int
    day: int
    items: list[Item]
    route: Route


@dataclass
class TeamModel:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (visit, member)
    placed: dict[int, cp_model.IntVar] = field(default_factory=dict)  # visit -> all carers found
    routes: list[DayRoute] = field(default_factory=list)


def build(prep: Prepared) -> TeamModel:
    tm = TeamModel(cp_model.CpModel())
    model = tm.model
    for v, members in enumerate(prep.eligible):
        for i in members:
            tm.x[(v, i)] = model.new_bool_var(f"x{v}_{i}")
    objective: list[cp_model.LinearExprT] = []
    for v, need in enumerate(prep.open_slots):
        if not need:
            continue
        placed = model.new_bool_var(f"placed{v}")
        tm.placed[v] = placed
        model.add(sum(tm.x[(v, i)] for i in prep.eligible[v]) == need * placed)
        if moved := prep.moved_minutes(v):
            objective.append(scoring.MOVED * moved * placed)
    for planned, times in prep.times.items():
        if not prep.open_slots[planned]:
            continue
        placed_times = [tm.placed[t] for t in times]
        if len(placed_times) > 1:
            model.add_at_most_one(placed_times)
        objective.append(scoring.UNASSIGNED * prep.open_slots[planned] * (1 - sum(placed_times)))
    objective += [scoring.affinity(prep, i, v) * lit for (v, i), lit in tm.x.items()]
    for i in range(len(prep.data.members)):
        objective += _member(prep, tm, i)
    objective += _continuity(prep, tm)
    model.minimize(sum(objective))
    return tm


@dataclass
class _Days:
    """One member's days in the model: whether each is worked, when its work starts and ends, and
    the minutes worked and travelled over the weeks."""

    worked: list[cp_model.LinearExprT]
    works: dict[int, cp_model.IntVar | bool] = field(default_factory=dict)
    first: dict[int, cp_model.IntVar] = field(default_factory=dict)
    last: dict[int, cp_model.IntVar] = field(default_factory=dict)
    travel: list[cp_model.LinearExprT] = field(default_factory=list)
    # Open visits running past midnight: taking one works the next day too.
    crossing: list[tuple[cp_model.IntVar | bool, int]] = field(default_factory=list)


def _member(prep: Prepared, tm: TeamModel, i: int) -> list[cp_model.LinearExprT]:
    model = tm.model
    candidates = [prep.item_of_visit(v) for (v, m) in tm.x if m == i]
    by_day: dict[int, list[Item]] = {}
    for item in prep.fixed[i] + candidates:
        by_day.setdefault(prep.day_of(item.start), []).append(item)
    fixed_keys = {f.key for f in prep.fixed[i]}
    days = _Days(worked=[sum(f.end - f.start for f in prep.fixed[i])])
    for day, raw in sorted(by_day.items()):
        items = ordered(raw)
        present: list[cp_model.IntVar | bool] = [
            True if it.key in fixed_keys else tm.x[(it.visit_index, i)]  # type: ignore[index]
            for it in items
        ]
        if all(lit is True for lit in present):
            _kept_day(prep, model, i, day, items, days)
        else:
            _open_day(prep, tm, i, day, items, present, days)
    for lit, day in days.crossing:
        if day not in days.works:
            days.works[day] = model.new_bool_var("")
        model.add_implication(lit, days.works[day])
    _daily_rest(prep, model, i, days)
    _weekly_rest(prep, model, i, days.works)
    return _hours(prep, model, i, days)


def _reach(prep: Prepared, i: int, items: list[Item]) -> tuple[int, int]:
    """When a day of this work starts and ends, counting the journeys from and back to the start
    point."""
    legs = home_legs(prep, i, items)
    return (
        min([items[0].start, *(a for _, a, _ in legs)]),
        max([*(it.end for it in items), *(b for _, _, b in legs)]),
    )


def _kept_day(
    prep: Prepared, model: cp_model.CpModel, i: int, day: int, items: list[Item], days: _Days
) -> None:
    """Kept work only: nothing to decide, its figures are constants."""
    first, last = _reach(prep, i, items)
    days.works[day] = True
    days.first[day] = model.new_constant(first)
    days.last[day] = model.new_constant(last)
    days.travel.append(
        sum(t for *_, t in travel_legs(prep, items))
        + sum(b - a for _, a, b in home_legs(prep, i, items))
    )


def _open_day(
    prep: Prepared,
    tm: TeamModel,
    i: int,
    day: int,
    items: list[Item],
    present: list[cp_model.IntVar | bool],
    days: _Days,
) -> None:
    """A day with visits to decide: its route, its first start and last end (the journeys from
    and back to the start point with them), its span and its breaks."""
    model = tm.model
    home = prep.data.members[i].home
    leave = [prep.travel(home, it.location) if home else 0 for it in items]
    back = [prep.travel(it.location, home) if home else 0 for it in items]
    route = add_route(model, present, _arcs(prep, items, present), leave=leave, back=back)
    tm.routes.append(DayRoute(i, day, items, route))
    days.works[day] = route.used
    days.travel.append(route.travel_expr())
    days.worked += [
        (it.end - it.start) * lit for it, lit in zip(items, present, strict=True) if lit is not True
    ]
    lo = min(it.start - out for it, out in zip(items, leave, strict=True))
    hi = max(it.end + b for it, b in zip(items, back, strict=True))
    fs, le = model.new_int_var(lo, hi, ""), model.new_int_var(lo, hi, "")
    days.first[day], days.last[day] = fs, le
    for k, it in enumerate(items):
        model.add(fs == it.start - leave[k]).only_enforce_if(route.arcs[(DEPOT, k)])
        model.add(le == it.end + back[k]).only_enforce_if(route.arcs[(k, DEPOT)])
        if it.end > prep.day_start(day + 1) and present[k] is not True:
            days.crossing.append((present[k], day + 1))
    fixed_items = [it for it, lit in zip(items, present, strict=True) if lit is True]
    fixed_span = 0
    if fixed_items:
        first, last = _reach(prep, i, fixed_items)
        fixed_span = last - first
    span_cap = (24 - prep.data.rules.daily_rest_hours) * 60
    model.add(le - fs <= max(int(span_cap), fixed_span)).only_enforce_if(route.used)
    _breaks(prep, model, items, present, route)


def _arcs(
    prep: Prepared, items: list[Item], present: list[cp_model.IntVar | bool]
) -> list[tuple[int, int, int]]:
    """The legs a day's route may take: where the times fit with travel, or between kept work."""
    arcs = []
    for a, first_item in enumerate(items):
        for b in range(a + 1, len(items)):
            t = prep.travel(first_item.location, items[b].location)
            both_fixed = present[a] is True and present[b] is True
            if first_item.end + t <= items[b].start or both_fixed:
                arcs.append((a, b, t))
    return arcs


def _daily_rest(prep: Prepared, model: cp_model.CpModel, i: int, days: _Days) -> None:
    """Between the last work of a day and the first of the next, daily_rest_hours."""
    rest = round(prep.data.rules.daily_rest_hours * 60)
    for day in sorted(days.first):
        if day + 1 not in days.first:
            continue
        kept_before = [f for f in prep.fixed[i] if prep.day_of(f.start) == day]
        kept_after = [f for f in prep.fixed[i] if prep.day_of(f.start) == day + 1]
        if (
            kept_before
            and kept_after
            and _reach(prep, i, kept_after)[0] - _reach(prep, i, kept_before)[1] < rest
        ):
            continue  # the kept work already breaks it: nothing the plan can change
        both = [lit for lit in (days.works[day], days.works[day + 1]) if lit is not True]
        model.add(days.first[day + 1] - days.last[day] >= rest).only_enforce_if(both)


def _weekly_rest(
    prep: Prepared, model: cp_model.CpModel, i: int, works: dict[int, cp_model.IntVar | bool]
) -> None:
    """A day off in every seven, where the plan decides it (a window of days all worked by
    kept work is left as it is)."""
    fixed_days: set[int] = set()
    for f in prep.fixed[i]:
        fixed_days.update(range(prep.day_of(f.start), prep.day_of(max(f.start, f.end - 1)) + 1))
    for d in range(prep.days - 6) if prep.days >= 7 else ():
        window = range(d, d + 7)
        if any(day not in works and day not in fixed_days for day in window):
            continue
        if all(day in fixed_days for day in window):
            continue
        model.add_bool_or(
            [~works[day] for day in window if day in works and works[day] is not True]
        )


def _hours(
    prep: Prepared, model: cp_model.CpModel, i: int, days: _Days
) -> list[cp_model.LinearExprT]:
    """The average weekly hours' cap (travel counted as work), and the member's costs: travel
    and minutes over their contract."""
    rules, person = prep.data.rules, prep.data.members[i]
    total = cp_model.LinearExpr.sum([*days.worked, *days.travel])
    weeks = person.weeks_before + prep.weeks
    fixed_worked = worked_minutes(prep, i, prep.fixed[i])
    cap = max(
        int(rules.max_average_weekly_hours * 60 * weeks) - person.worked_minutes_before,
        fixed_worked,
    )
    model.add(total <= cap)
    over = model.new_int_var(0, 7 * 24 * 60 * prep.weeks, f"over{i}")
    model.add(over >= total - person.contracted_minutes_per_week * prep.weeks)
    return [scoring.TRAVEL * t for t in days.travel] + [scoring.OVER_CONTRACT * over]


def _breaks(
    prep: Prepared,
    model: cp_model.CpModel,
    items: list[Item],
    present: list[cp_model.IntVar | bool],
    route: Route,
) -> None:
    """Work without a break of break_minutes (after travel) lasts at most break_after_hours."""
    rules = prep.data.rules
    kept = [it for it, lit in zip(items, present, strict=True) if lit is True]
    limit = max(round(rules.break_after_hours * 60), _longest_stretch(prep, kept))
    earliest = items[0].start
    if max(it.end for it in items) - earliest <= limit:
        return
    block = [model.new_int_var(earliest, it.start, "") for it in items]
    for (a, b), arc in route.arcs.items():
        if b == DEPOT:
            continue
        if (
            a == DEPOT
            or items[b].start - items[a].end - route.travel[(a, b)] >= rules.break_minutes
        ):
            model.add(block[b] == items[b].start).only_enforce_if(arc)
        else:
            model.add(block[b] == block[a]).only_enforce_if(arc)
    for k, it in enumerate(items):
        if it.end - earliest > limit:
            lit = present[k]
            if lit is True:
                model.add(it.end - block[k] <= limit)
            else:
                model.add(it.end - block[k] <= limit).only_enforce_if(lit)


def _longest_stretch(prep: Prepared, kept: list[Item]) -> int:
    """The longest work without a break in the kept work alone (the limit cannot go below it)."""
    longest, block_start = 0, None
    for k, it in enumerate(kept):
        before = kept[k - 1] if k else None
        gap = (
            None
            if before is None
            else it.start - before.end - prep.travel(before.location, it.location)
        )
        if block_start is None or gap is None or gap >= prep.data.rules.break_minutes:
            block_start = it.start
        longest = max(longest, it.end - block_start)
    return longest


def _continuity(prep: Prepared, tm: TeamModel) -> list[cp_model.LinearExprT]:
    limit = prep.data.rules.continuity_limit
    if limit is None:
        return []
    model = tm.model
    terms: list[cp_model.LinearExprT] = []
    clients: dict[str, set[int]] = {}
    kept: dict[str, set[str]] = {}
    for v, visit in enumerate(prep.data.visits):
        clients.setdefault(visit.client_id, set()).add(v)
        kept.setdefault(visit.client_id, set()).update(visit.assigned)
    for client, visits in clients.items():
        members = {i for (v, i) in tm.x if v in visits}
        if len(members) + len(kept[client]) <= limit:
            continue
        sees = []
        for i in members:
            if prep.data.members[i].id in kept[client]:
                continue
            z = model.new_bool_var("")
            for v in visits:
                if (v, i) in tm.x:
                    model.add_implication(tm.x[(v, i)], z)
            sees.append(z)
        extra = model.new_int_var(0, len(sees), "")
        model.add(extra >= len(kept[client]) + sum(sees) - limit)
        terms.append(scoring.EXTRA_CARER * extra)
    return terms
