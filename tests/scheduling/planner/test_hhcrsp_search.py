"""Ruin and recreate on the HHCRSP benchmark: its quick timing and pricing agree with the exact
ones, and the search only ever hands back a better, feasible plan."""

from __future__ import annotations

import math
import random
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.planner.hhcrsp.alns import RuinAndRecreate, search
from scheduling.planner.hhcrsp.construct import construct
from scheduling.planner.hhcrsp.evaluate import evaluate
from scheduling.planner.hhcrsp.instance import load
from scheduling.planner.hhcrsp.solve import to_json
from scheduling.planner.hhcrsp.timing import earliest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "data" / "hhcrsp" / "instances"
# Simultaneous and sequential double-ups both, on 5 caregivers.
INSTANCE = load(BENCH / "InstanzCPLEX_HCSRP_25_6.json")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_a_patient_put_back_anywhere_is_timed_as_the_whole_plan_would_time_it(seed: int) -> None:
    rng = random.Random(seed)
    search_ = RuinAndRecreate(INSTANCE, rng)
    routes = [list(r) for r in construct(INSTANCE).routes]
    for _ in range(5):
        unit = rng.choice(search_.units)
        for route in routes:
            route[:] = [k for k in route if k not in unit]
        starts = search_.retime(routes)
        assert starts is not None
        carers = _different_carers(search_, unit, rng)
        for c, k in zip(carers, unit, strict=True):
            routes[c].insert(rng.randint(0, len(routes[c])), k)
            starts[k] = INSTANCE.tasks[k].earliest
        if len(unit) == 2:
            low = search_.sync[unit[0]].low
            starts[unit[1]] = max(starts[unit[1]], starts[unit[0]] + low)
        kept = search_.push(routes, starts, carers)
        exact = earliest(INSTANCE, routes)
        if exact is None:
            assert not kept
            return
        assert kept
        assert starts.keys() == exact.keys()
        assert all(abs(starts[k] - exact[k]) < 1e-6 for k in exact), seed


def _different_carers(
    search_: RuinAndRecreate, unit: tuple[int, ...], rng: random.Random
) -> list[int]:
    carers: list[int] = []
    for k in unit:
        carers.append(rng.choice([c for c in search_.able[k] if c not in carers]))
    return carers


def test_the_quick_price_of_a_plan_is_the_evaluators_cost() -> None:
    search_ = RuinAndRecreate(INSTANCE, random.Random(1))
    plan = construct(INSTANCE)
    starts = search_.retime(plan.routes)
    assert starts is not None
    plan.starts = starts
    quick = search_.cost(plan.routes, starts) / 3
    assert abs(quick - evaluate(INSTANCE, to_json(INSTANCE, plan)).cost) < 1e-3


def test_the_search_hands_back_a_feasible_plan_no_worse_than_the_one_it_was_given() -> None:
    first = construct(INSTANCE)
    given_cost = evaluate(INSTANCE, to_json(INSTANCE, first)).cost
    result = evaluate(INSTANCE, to_json(INSTANCE, search(INSTANCE, first, time.monotonic() + 2)))
    assert result.feasible, result.problems[:3]
    assert result.cost < given_cost


def test_a_fixed_number_of_steps_comes_within_3_percent_of_the_best_known_on_25_4() -> None:
    # By steps, not seconds, so the same answer on any machine: a search that gets worse at
    # finding good plans fails here, not only in the benchmark (the old relocation and CP-SAT
    # neighbourhoods reached 1.121 on this instance in 60 s; the best known is 411.296).
    instance = load(BENCH / "InstanzCPLEX_HCSRP_25_4.json")
    plan = search(instance, construct(instance), math.inf, steps=3000)
    result = evaluate(instance, to_json(instance, plan))
    assert result.feasible, result.problems[:3]
    assert result.cost <= 411.296 * 1.03
