"""Feasibility and cost of an HHCRSP solution, as the benchmark defines them.

cost = (total distance + total tardiness + maximum tardiness) / 3; a service's tardiness is how far
it starts after the patient's latest start, and a route back at the office after it closes is late
by the difference too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduling.planner.hhcrsp.instance import Instance

EPS = 1e-3


@dataclass
class Evaluation:
    distance: float = 0.0
    total_tardiness: float = 0.0
    max_tardiness: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return (self.distance + self.total_tardiness + self.max_tardiness) / 3

    @property
    def feasible(self) -> bool:
        return not self.problems


def _key(stop: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in stop:
            return stop[name]
    raise KeyError(names[0])


def evaluate(instance: Instance, solution: dict[str, Any]) -> Evaluation:
    result = Evaluation()
    starts: dict[int, float] = {}
    doer: dict[int, str] = {}
    lateness: list[float] = []
    caregivers = {c: k for k, c in enumerate(instance.caregivers)}
    for route in solution.get("routes", []):
        who = route.get("caregiver_id", route.get("caregiver"))
        if who not in caregivers:
            result.problems.append(f"unknown caregiver {who}")
            continue
        abilities = instance.abilities[caregivers[who]]
        node, free = 0, instance.office_open
        for stop in route.get("locations") or []:
            patient = _key(stop, "patient_id", "patient")
            service = _key(stop, "service_id", "service")
            k = instance.task_of(patient, service)
            if k is None:
                result.problems.append(f"{who}: {patient} does not need {service}")
                continue
            task = instance.tasks[k]
            start = float(stop["arrival_time"])
            if service not in abilities:
                result.problems.append(f"{who} cannot deliver {service}")
            if k in starts:
                result.problems.append(f"{patient}/{service} delivered twice")
            travel = instance.distances[node][task.node]
            if start + EPS < max(task.earliest, free + travel):
                result.problems.append(f"{who} starts {patient}/{service} too early at {start}")
            result.distance += travel
            starts[k] = start
            doer[k] = who
            lateness.append(max(0.0, start - task.latest))
            node, free = task.node, start + task.duration
        back = free + instance.distances[node][0]
        result.distance += instance.distances[node][0]
        if instance.office_close is not None:
            lateness.append(max(0.0, back - instance.office_close))
    for k, task in enumerate(instance.tasks):
        if k not in starts:
            result.problems.append(f"{task.patient}/{task.service} not delivered")
    for sync in instance.syncs:
        if sync.first in doer and doer.get(sync.first) == doer.get(sync.second):
            patient = instance.tasks[sync.first].patient
            result.problems.append(
                f"{patient}: both services by {doer[sync.first]} (needs two caregivers)"
            )
        if sync.first in starts and sync.second in starts:
            gap = starts[sync.second] - starts[sync.first]
            if not sync.low - EPS <= gap <= sync.high + EPS:
                patient = instance.tasks[sync.first].patient
                result.problems.append(f"{patient}: second service {gap:.3f} after the first")
    result.total_tardiness = sum(lateness)
    result.max_tardiness = max(lateness, default=0.0)
    return result


def evaluate_file(instance: Instance, path: str | Path) -> Evaluation:
    return evaluate(instance, json.loads(Path(path).read_text()))
