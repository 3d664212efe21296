"""A first HHCRSP plan: patients by latest start, each to the caregivers it costs least to add.

Routes only grow at their end and waiting is allowed, so the plan is always feasible: it is the
solver's hint and the answer for instances too large for the solver's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduling.planner.hhcrsp.instance import Instance

# Lateness counts in the total and may set the maximum: weigh it above distance when choosing.
LATE_WEIGHT = 2


@dataclass
class Plan:
    routes: list[list[int]]  # caregiver -> task indices in order
    starts: dict[int, float] = field(default_factory=dict)


def options(instance: Instance, tasks: list[int]) -> list[tuple[int, ...]]:
    able = [
        [c for c, ab in enumerate(instance.abilities) if instance.tasks[t].service in ab]
        for t in tasks
    ]
    if len(tasks) == 1:
        return [(c,) for c in able[0]]
    # A double-up needs two different caregivers (no published solution gives both to one).
    return [(a, b) for a in able[0] for b in able[1] if a != b]


def construct(instance: Instance) -> Plan:
    plan = Plan([[] for _ in instance.caregivers])
    node = [0] * len(instance.caregivers)
    free = [instance.office_open] * len(instance.caregivers)
    by_patient: dict[str, list[int]] = {}
    for k, task in enumerate(instance.tasks):
        by_patient.setdefault(task.patient, []).append(k)
    order = sorted(
        by_patient.values(),
        key=lambda ks: (instance.tasks[ks[0]].latest, instance.tasks[ks[0]].earliest),
    )
    dist = instance.distances
    for tasks in order:
        best: tuple[float, tuple[int, ...], list[float]] | None = None
        for who in options(instance, tasks):
            starts = _times(instance, tasks, who, node, free)
            if starts is None:
                continue
            added = sum(
                dist[node[c]][instance.tasks[t].node] for t, c in zip(tasks, who, strict=True)
            )
            late = sum(
                max(0.0, s - instance.tasks[t].latest) for t, s in zip(tasks, starts, strict=True)
            )
            score = added + LATE_WEIGHT * late
            if best is None or score < best[0]:
                best = (score, who, starts)
        assert best is not None, "a task no caregiver can deliver"
        _, who, starts = best
        for t, c, s in sorted(zip(tasks, who, starts, strict=True), key=lambda x: x[2]):
            plan.routes[c].append(t)
            plan.starts[t] = s
            node[c], free[c] = instance.tasks[t].node, s + instance.tasks[t].duration
    return plan


def _times(
    instance: Instance, tasks: list[int], who: tuple[int, ...], node: list[int], free: list[float]
) -> list[float] | None:
    """Start times of a patient's tasks appended to these caregivers' routes, syncs kept."""
    dist = instance.distances
    ready = [
        max(instance.tasks[t].earliest, free[c] + dist[node[c]][instance.tasks[t].node])
        for t, c in zip(tasks, who, strict=True)
    ]
    if len(tasks) == 1:
        return ready
    sync = next(s for s in instance.syncs if s.first == tasks[0])
    a, b = ready
    b = max(b, a + sync.low)
    if b - a > sync.high:
        a = b - sync.high
    return [a, b]
