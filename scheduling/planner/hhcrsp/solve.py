"""Solve an HHCRSP instance.

Small instances (at most WHOLE caregivers) are solved whole by CP-SAT with the planner core's
routes (routes.add_route: one route per caregiver, start times free, tardiness soft, syncs exact).
Larger ones start from the first plan (construct) and are improved by ruin and recreate (alns).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from scheduling.planner.hhcrsp import alns
from scheduling.planner.hhcrsp.construct import Plan, construct
from scheduling.planner.hhcrsp.evaluate import evaluate
from scheduling.planner.hhcrsp.instance import Instance
from scheduling.planner.hhcrsp.timing import earliest
from scheduling.planner.routes import DEPOT, Route, add_route

SCALE = 1000  # the instances give times to the thousandth of a minute
SLACK = 60  # an arc a->b is left out when b would start this much past its latest start
WHOLE = 3  # instances with at most this many caregivers are solved whole


def _up(x: float) -> int:
    return math.ceil(round(x * SCALE, 6))


def cost(instance: Instance, plan: Plan) -> float:
    return evaluate(instance, to_json(instance, plan)).cost


FreeRoute = tuple[int, list[int], Route]  # caregiver, the tasks they could do, their route


def _whole(instance: Instance, plan: Plan, seconds: float, workers: int) -> Plan | None:
    """The instance solved whole by CP-SAT, hinted with the plan (None when nothing was found)."""
    fixed_starts = earliest(instance, plan.routes, _up)
    if fixed_starts is None:
        return None
    every_task = list(range(len(instance.tasks)))
    model = cp_model.CpModel()
    horizon = _up(max(t.latest for t in instance.tasks) + 3000)
    start = {
        k: model.new_int_var(_up(t.earliest), horizon, f"s{k}")
        for k, t in enumerate(instance.tasks)
    }
    for k, var in start.items():
        model.add_hint(var, int(fixed_starts[k]))
    doers: dict[int, list[cp_model.IntVar]] = {k: [] for k in every_task}
    routes = [
        _free_route(model, instance, plan, c, every_task, start, doers)
        for c in range(len(instance.caregivers))
    ]
    for lits in doers.values():
        model.add_exactly_one(lits)
    late = _timing(model, instance, start, horizon)
    travel = [route.travel_expr() for _, _, route in routes]
    model.minimize(cp_model.LinearExpr.sum([*travel, *late]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _solved_plan(instance, plan, solver, routes, start)


def _free_route(
    model: cp_model.CpModel,
    instance: Instance,
    plan: Plan,
    c: int,
    free_tasks: list[int],
    start: dict[int, cp_model.IntVar],
    doers: dict[int, list[cp_model.IntVar]],
) -> FreeRoute:
    """A free caregiver's route through the free tasks they are able to do, hinted with their
    route in the plan; each task's literal is added to its doers."""
    tasks, dist = instance.tasks, instance.distances
    mine = [k for k in free_tasks if tasks[k].service in instance.abilities[c]]
    present = [model.new_bool_var("") for _ in mine]
    mine_lit = dict(zip(mine, present, strict=True))
    for k, lit in mine_lit.items():
        doers[k].append(lit)
        model.add_hint(lit, k in plan.routes[c])
    for sync in instance.syncs:
        if sync.first in mine_lit and sync.second in mine_lit:
            model.add_at_most_one(mine_lit[sync.first], mine_lit[sync.second])
    hinted = set(zip(plan.routes[c], plan.routes[c][1:], strict=False))
    route = add_route(
        model,
        list(present),
        _arcs(instance, mine, hinted),
        leave=[_up(dist[0][tasks[k].node]) for k in mine],
        back=[_up(dist[tasks[k].node][0]) for k in mine],
        starts=[start[k] for k in mine],
        durations=[_up(tasks[k].duration) for k in mine],
        depot_open=_up(instance.office_open),
    )
    order = [mine.index(k) for k in plan.routes[c]]
    steps = set(zip([DEPOT, *order], [*order, DEPOT], strict=True)) if order else set()
    for key, arc in route.arcs.items():
        model.add_hint(arc, key in steps)
    return c, mine, route


def _arcs(
    instance: Instance, mine: list[int], hinted: set[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """The legs between a caregiver's tasks worth considering: those of their current route,
    and those that can arrive at most SLACK past the next task's latest start."""
    tasks, dist = instance.tasks, instance.distances
    arcs = []
    for a, ka in enumerate(mine):
        for b, kb in enumerate(mine):
            ta, tb = tasks[ka], tasks[kb]
            far = ta.earliest + ta.duration + dist[ta.node][tb.node] > tb.latest + SLACK
            if a != b and ((ka, kb) in hinted or not far):
                arcs.append((a, b, _up(dist[ta.node][tb.node])))
    return arcs


def _timing(
    model: cp_model.CpModel, instance: Instance, start: dict[int, cp_model.IntVar], horizon: int
) -> list[cp_model.IntVar]:
    """The syncs kept exactly; each task's lateness and the worst of them, to minimise."""
    for sync in instance.syncs:
        gap = start[sync.second] - start[sync.first]
        model.add(gap >= _up(sync.low))
        model.add(gap <= math.floor(sync.high * SCALE))
    late = []
    for k in start:
        lateness = model.new_int_var(0, horizon, "")
        model.add(lateness >= start[k] - math.floor(instance.tasks[k].latest * SCALE))
        late.append(lateness)
    worst = model.new_int_var(0, horizon, "worst")
    for lateness in late:
        model.add(worst >= lateness)
    return [*late, worst]


def _solved_plan(
    instance: Instance,
    plan: Plan,
    solver: cp_model.CpSolver,
    routes: list[FreeRoute],
    start: dict[int, cp_model.IntVar],
) -> Plan | None:
    """The plan with the free routes as solved, its start times worked out again."""
    new = Plan([list(r) for r in plan.routes])
    for c, mine, route in routes:
        done = [k for n, k in enumerate(mine) if not _skipped(solver, route.arcs, n)]
        new.routes[c] = sorted(done, key=lambda k: solver.value(start[k]))
    starts = earliest(instance, new.routes)
    if starts is None:
        return None
    new.starts = starts
    return new


def _skipped(
    solver: cp_model.CpSolver, arcs: dict[tuple[int, int], cp_model.IntVar], n: int
) -> bool:
    return not any(solver.boolean_value(v) for (a, b), v in arcs.items() if b == n and a != b)


def solve(
    instance: Instance,
    seconds: float,
    *,
    workers: int = 2,
    seed: int = 1,
    on_solution: Callable[[float], None] | None = None,
) -> Plan:
    """The best plan found in `seconds`; on_solution hears the cost of each better one."""
    deadline = time.monotonic() + seconds
    first = construct(instance)
    if len(instance.caregivers) <= WHOLE:
        found = _whole(instance, first, seconds, workers)
        if found is None:
            return first
        if on_solution is not None:
            on_solution(cost(instance, found))
        return found
    return alns.search(instance, first, deadline, seed=seed, on_best=on_solution)


def to_json(instance: Instance, plan: Plan) -> dict[str, Any]:
    routes = []
    for c, route in enumerate(plan.routes):
        stops = [
            {
                "patient_id": instance.tasks[k].patient,
                "service_id": instance.tasks[k].service,
                "arrival_time": round(plan.starts[k], 6),
                "departure_time": round(plan.starts[k] + instance.tasks[k].duration, 6),
            }
            for k in route
        ]
        routes.append({"caregiver_id": instance.caregivers[c], "locations": stops})
    return {"routes": routes}
