"""Relocation local search: move one service to another place in any capable route while it pays.

Each move is priced by re-timing the whole plan (timing.earliest), so syncs stay exact; it fixes
the order of a busy route faster than a solver step does.
"""

from __future__ import annotations

import itertools
import time

from scheduling.planner.hhcrsp.construct import Plan
from scheduling.planner.hhcrsp.instance import Instance
from scheduling.planner.hhcrsp.timing import earliest


def price(instance: Instance, routes: list[list[int]]) -> tuple[float, dict[int, float]] | None:
    """(cost x 3, start times) of these routes, or None when they cannot keep the syncs."""
    starts = earliest(instance, routes)
    if starts is None:
        return None
    dist = instance.distances
    distance = 0.0
    for route in routes:
        if route:
            nodes = [0, *(instance.tasks[k].node for k in route), 0]
            distance += sum(dist[a][b] for a, b in itertools.pairwise(nodes))
    late = [max(0.0, s - instance.tasks[k].latest) for k, s in starts.items()]
    return distance + sum(late) + max(late, default=0.0), starts


def relocate(instance: Instance, plan: Plan, deadline: float) -> Plan:
    """Best plan reached by first-improving relocations before the deadline (time.monotonic)."""
    routes = [list(r) for r in plan.routes]
    priced = price(instance, routes)
    if priced is None:
        return plan
    best, starts = priced
    able = [
        [c for c, ab in enumerate(instance.abilities) if task.service in ab]
        for task in instance.tasks
    ]
    partner = {s.first: s.second for s in instance.syncs} | {
        s.second: s.first for s in instance.syncs
    }
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for task in range(len(instance.tasks)):
            if time.monotonic() >= deadline:
                break
            source = next(c for c, r in enumerate(routes) if task in r)
            here = routes[source].index(task)
            base = [list(r) for r in routes]
            base[source].pop(here)
            for target in able[task]:
                if task in partner and partner[task] in base[target]:
                    continue  # a double-up needs two different caregivers
                for place in range(len(base[target]) + 1):
                    if target == source and place == here:
                        continue
                    trial = [list(r) for r in base]
                    trial[target].insert(place, task)
                    found = price(instance, trial)
                    if found is not None and found[0] < best - 1e-6:
                        best, starts, routes, improved = found[0], found[1], trial, True
            # routes now holds the best place found for this task (or is unchanged)
    return Plan(routes, starts)
