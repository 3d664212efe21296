"""plan(): the team planner's entry point (greedy start, then CP-SAT within the time limit)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduling.planner.check import ordered
from scheduling.planner.greedy import greedy
from scheduling.planner.model import PlanInput, PlanResult
from scheduling.planner.prepare import Item, Prepared, prepare
from scheduling.planner.reasons import blocked, proposal
from scheduling.planner.routes import DEPOT
from scheduling.planner.team_model import TeamModel, build

Progress = Callable[[float, str], None]


class _Watch(cp_model.CpSolverSolutionCallback):
    """Keeps the best assignment found and reports each improvement."""

    def __init__(
        self, tm: TeamModel, seconds: float, began: float, on_progress: Progress | None
    ) -> None:
        super().__init__()
        self.tm, self.seconds, self.began, self.on_progress = tm, seconds, began, on_progress
        self.best: dict[int, list[int]] | None = None
        self.objective = 0.0

    def on_solution_callback(self) -> None:
        chosen: dict[int, list[int]] = {}
        for (v, i), lit in self.tm.x.items():
            if self.boolean_value(lit):
                chosen.setdefault(v, []).append(i)
        self.best, self.objective = chosen, self.objective_value
        if self.on_progress is not None:
            share = min(
                0.99, 0.2 + 0.8 * (time.monotonic() - self.began) / max(self.seconds, 0.001)
            )
            self.on_progress(share, f"found a plan placing {len(chosen)} visits")


def _hint(tm: TeamModel, prep: Prepared, chosen: dict[int, list[int]]) -> None:
    members_of = {(v, i) for v, members in chosen.items() for i in members}
    for key, lit in tm.x.items():
        tm.model.add_hint(lit, key in members_of)
    for v, lit in tm.placed.items():
        tm.model.add_hint(lit, v in chosen)
    for day_route in tm.routes:
        i = day_route.member
        on = [
            k
            for k, it in enumerate(day_route.items)
            if it.visit_index is None
            or (it.visit_index, i) in members_of
            or (it.visit_index, i) not in tm.x
        ]
        steps = list(zip([DEPOT, *on], [*on, DEPOT], strict=True)) if on else []
        for key, arc in day_route.route.arcs.items():
            tm.model.add_hint(arc, key in steps)
        tm.model.add_hint(day_route.route.used, bool(on))


def _slots(prep: Prepared, chosen: dict[int, list[int]]) -> int:
    return sum(len(members) for members in chosen.values())


def _schedules(prep: Prepared, chosen: dict[int, list[int]]) -> list[list[Item]]:
    schedules = [list(f) for f in prep.fixed]
    for v, members in chosen.items():
        for i in members:
            schedules[i].append(prep.item_of_visit(v))
    return [ordered(s) for s in schedules]


def plan(
    data: PlanInput,
    *,
    seconds: float = 10.0,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PlanResult:
    began = time.monotonic()
    stop = should_stop or (lambda: False)
    report = on_progress or (lambda share, words: None)
    report(0.0, "reading the week")
    prep = prepare(data)
    chosen = greedy(prep, stop)
    status, objective = "feasible", 0.0
    report(0.1, f"first plan places {len(chosen)} visits; improving it")
    if stop():
        status = "stopped"
    elif any(prep.open_slots):
        tm = build(prep)
        _hint(tm, prep, chosen)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds - (time.monotonic() - began) - 0.3)
        solver.parameters.num_workers = 2
        watch = _Watch(tm, seconds, began, on_progress)
        done = threading.Event()

        def poll() -> None:
            while not done.wait(0.1):
                if stop():
                    solver.stop_search()
                    return

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        code = solver.solve(tm.model, watch)
        done.set()
        poller.join()
        if watch.best is not None and _slots(prep, watch.best) >= _slots(prep, chosen):
            chosen, objective = watch.best, watch.objective
        if stop():
            status = "stopped"
        elif code == cp_model.OPTIMAL:
            status = "optimal"
        elif code == cp_model.INFEASIBLE and watch.best is None:
            status = "infeasible" if not chosen else "feasible"
    else:
        status = "optimal"
    schedules = _schedules(prep, chosen)
    proposals = tuple(
        proposal(prep, v, members, schedules) for v, members in sorted(chosen.items())
    )
    unassignable = tuple(
        blocked(prep, v, schedules)
        for v, need in enumerate(prep.open_slots)
        if need and v not in chosen
    )
    report(1.0, f"done: {len(proposals)} proposals, {len(unassignable)} visits left open")
    return PlanResult(
        proposals, unassignable, status, objective, round(time.monotonic() - began, 3)
    )
