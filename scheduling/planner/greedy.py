"""A quick feasible plan: each open visit, scarcest first, to the best member who keeps every rule.

It is the solver's starting hint and the answer when the solver finds nothing in time.
"""

from __future__ import annotations

from collections.abc import Callable

from scheduling.planner import scoring
from scheduling.planner.check import violations
from scheduling.planner.prepare import Item, Prepared, clashes


def fits(prep: Prepared, schedule: list[Item], member: int, item: Item) -> bool:
    after = violations(prep, member, [*schedule, item], near=item, strict=True)
    return not after or set(after) <= set(
        violations(prep, member, schedule, near=item, strict=True)
    )


def _nearest_travel(prep: Prepared, member: int, schedule: list[Item], item: Item) -> int:
    """The travel to this visit: from the visit before it that day, else from the start point."""
    day = prep.day_of(item.start)
    earlier = [s for s in schedule if s.end <= item.start and prep.day_of(s.start) == day]
    if not earlier:
        home = prep.data.members[member].home
        return prep.travel(home, item.location) if home else 0
    previous = max(earlier, key=lambda s: s.end)
    return prep.travel(previous.location, item.location)


def _order(prep: Prepared) -> list[int]:
    """Visits few members can take (at any of their times) first, then by planned start; each
    visit at its planned time first, then at the nearest other times its window allows."""
    can: dict[int, int] = {
        planned: len({i for t in times for i in prep.eligible[t]})
        for planned, times in prep.times.items()
    }
    return sorted(
        (v for v, need in enumerate(prep.open_slots) if need and prep.eligible[v]),
        key=lambda v: (
            can[prep.group[v]],
            prep.starts[prep.group[v]],
            prep.group[v],
            prep.moved_minutes(v),
            prep.starts[v],
        ),
    )


def greedy(prep: Prepared, should_stop: Callable[[], bool] | None = None) -> dict[int, list[int]]:
    """Visit index (one time of each visit at most) -> the members it gets (only visits that got
    every carer they need)."""
    schedules = [list(f) for f in prep.fixed]
    load = [sum(f.end - f.start for f in fixed) for fixed in prep.fixed]
    chosen: dict[int, list[int]] = {}
    order = _order(prep)
    for n, v in enumerate(order):
        if should_stop is not None and n % 20 == 0 and should_stop():
            break
        if prep.placed(chosen, v):
            continue
        item = prep.item_of_visit(v)

        def cost(i: int, item: Item = item, v: int = v) -> tuple[int, int]:
            contract = prep.data.members[i].contracted_minutes_per_week * prep.weeks
            over = max(0, load[i] + item.end - item.start - contract)
            return (
                scoring.affinity(prep, i, v)
                + scoring.TRAVEL * _nearest_travel(prep, i, schedules[i], item)
                + scoring.OVER_CONTRACT * over,
                load[i],
            )

        picked: list[int] = []
        for i in sorted(prep.eligible[v], key=cost):
            if fits(prep, schedules[i], i, item):
                picked.append(i)
                if len(picked) == prep.open_slots[v]:
                    break
        if len(picked) == prep.open_slots[v]:
            chosen[v] = picked
            for i in picked:
                schedules[i].append(item)
                load[i] += item.end - item.start
    if should_stop is None or not should_stop():
        _repair(prep, chosen, schedules, order)
    return chosen


def _repair(
    prep: Prepared, chosen: dict[int, list[int]], schedules: list[list[Item]], order: list[int]
) -> None:
    """Place a visit left open by handing the one visit in its way to another member.

    Only single-carer visits, one move deep: cheap, and it recovers most of what the greedy order
    lost at busy hours.
    """
    for v in order:
        if prep.placed(chosen, v) or prep.open_slots[v] != 1:
            continue
        item = prep.item_of_visit(v)
        for i in prep.eligible[v]:
            planned = [
                s for s in schedules[i] if s.visit_index in chosen and i in chosen[s.visit_index]
            ]
            in_way = [s for s in planned if clashes(prep, item, [s])]
            if len(in_way) != 1 or prep.open_slots[in_way[0].visit_index or 0] != 1:
                continue
            other = in_way[0]
            w = other.visit_index
            assert w is not None
            rest = [s for s in schedules[i] if s.key != other.key]
            if not fits(prep, rest, i, item):
                continue
            taker = next(
                (j for j in prep.eligible[w] if j != i and fits(prep, schedules[j], j, other)), None
            )
            if taker is None:
                continue
            schedules[i] = [*rest, item]
            schedules[taker].append(other)
            chosen[w], chosen[v] = [taker], [i]
            break
