"""plan(): the team planner's entry point (greedy start, then CP-SAT within the time limit)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduling.planner import scoring
from scheduling.planner.check import ordered
from scheduling.planner.greedy import greedy
from scheduling.planner.model import PlanInput, PlanResult
from scheduling.planner.prepare import Item, Prepared, prepare, restrict
from scheduling.planner.reasons import blocked, proposal
from scheduling.planner.routes import DEPOT
from scheduling.planner.team_model import TeamModel, build

Progress = Callable[[float, str], None]


STEP_SECONDS = 2.0  # time for one day's search before moving to the next
# The most visit times one search step takes (a visit in a window has several): a step of about
# 80 solves to optimality in under a second on the benchmark week, one of 250 not in five.
AREA_TIMES = 90


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


def _step(
    prep: Prepared,
    chosen: dict[int, list[int]],
    free: set[int],
    seconds: float,
    stop: Callable[[], bool],
) -> tuple[dict[int, list[int]] | None, bool]:
    """Solve the free visits again with everything else kept: (new choice or None, proven best)."""
    sub = restrict(prep, chosen, free)
    tm = build(sub)
    kept = {v: members for v, members in chosen.items() if v not in free}
    _hint(tm, sub, {v: members for v, members in chosen.items() if v in free})
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 2
    # A day's model is small: probing and symmetry search in presolve cost more than they save.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.05):
            if stop():
                solver.stop_search()
                return

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    code = solver.solve(tm.model)
    done.set()
    poller.join()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    for (v, i), lit in tm.x.items():
        if solver.boolean_value(lit):
            kept.setdefault(v, []).append(i)
    return kept, code == cp_model.OPTIMAL


def _neighbourhoods(prep: Prepared, chosen: dict[int, list[int]]) -> list[set[int]]:
    """One calendar day's open visits (each with all its times) at a time, the days with most
    left open first. A day whose visits have more than AREA_TIMES times between them (windows
    multiply them) is taken in parts of consecutive visits: a step over a whole such day ran out
    of time before it improved anything."""
    days: dict[int, list[int]] = {}
    for v in _open_visits(prep):
        days.setdefault(prep.day_of(prep.starts[v]), []).append(v)
    areas: list[set[int]] = []
    for visits in days.values():
        area: set[int] = set()
        for v in sorted(visits, key=lambda v: prep.starts[v]):
            if area and len(area) + len(prep.times[v]) > AREA_TIMES:
                areas.append(area)
                area = set()
            area.update(prep.times[v])
        areas.append(area)
    return sorted(
        areas,
        key=lambda vs: -sum(1 for v in vs if prep.group[v] == v and not prep.placed(chosen, v)),
    )


def _open_visits(prep: Prepared) -> list[int]:
    """The visits needing carers, each once (at its planned time)."""
    return [v for v, need in enumerate(prep.open_slots) if need and prep.group[v] == v]


def plan(
    data: PlanInput,
    *,
    seconds: float = 10.0,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PlanResult:
    """Proposals for the open visits within about `seconds` (see docs/planner.md)."""
    began = time.monotonic()
    stop = should_stop or (lambda: False)
    report = on_progress or (lambda share, words: None)
    report(0.0, "reading the week")
    prep = prepare(data)
    chosen = greedy(prep, stop)
    best = scoring.total(prep, chosen)
    report(0.1, f"first plan places {len(chosen)} visits; improving it")
    areas = _neighbourhoods(prep, chosen)
    open_count = len(_open_visits(prep))
    status = "feasible" if areas else "optimal"
    proven: set[int] = set()
    step = 0
    while areas and not stop() and len(proven) < len(areas):
        left = seconds - (time.monotonic() - began) - 0.2
        if left < 0.1:
            break
        area = step % len(areas)
        step += 1
        if area in proven:
            continue
        whole = len(areas) == 1
        found, optimal = _step(
            prep, chosen, areas[area], left if whole else min(left, STEP_SECONDS), stop
        )
        if found is not None and (value := scoring.total(prep, found)) <= best:
            if found != chosen:
                proven.clear()  # a changed day changes its neighbours' best answers
            chosen, best = found, value
        if optimal:
            proven.add(area)
        share = min(0.99, 0.1 + 0.9 * (time.monotonic() - began) / max(seconds, 0.001))
        report(share, f"placed {len(chosen)} of {open_count} open visits")
    if stop():
        status = "stopped"
    elif areas and len(proven) == len(areas) == 1:
        status = "optimal"
    schedules = _schedules(prep, chosen)
    proposals = tuple(
        proposal(prep, v, members, schedules) for v, members in sorted(chosen.items())
    )
    unassignable = tuple(
        blocked(prep, v, schedules) for v in _open_visits(prep) if not prep.placed(chosen, v)
    )
    report(1.0, f"done: {len(proposals)} proposals, {len(unassignable)} visits left open")
    return PlanResult(
        proposals, unassignable, status, float(best), round(time.monotonic() - began, 3)
    )
