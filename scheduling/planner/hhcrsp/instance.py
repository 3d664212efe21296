"""An HHCRSP instance as read from its JSON (see bench/data/hhcrsp/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Task:
    """One service a patient needs: the stop a caregiver makes."""

    patient: str
    service: str
    node: int  # row of the distance matrix (0 is the office)
    duration: float
    earliest: float
    latest: float
    index_in_patient: int


@dataclass(frozen=True)
class Sync:
    """Two tasks of one patient: the second starts low..high minutes after the first."""

    first: int
    second: int
    low: float
    high: float


@dataclass(frozen=True)
class Instance:
    name: str
    tasks: tuple[Task, ...]
    syncs: tuple[Sync, ...]
    caregivers: tuple[str, ...]
    abilities: tuple[frozenset[str], ...]
    distances: tuple[tuple[float, ...], ...]
    office_close: float | None
    office_open: float

    def task_of(self, patient: str, service: str) -> int | None:
        for k, t in enumerate(self.tasks):
            if t.patient == patient and t.service == service:
                return k
        return None


def parse(raw: dict[str, Any], name: str = "") -> Instance:
    defaults = {s["id"]: float(s.get("default_duration", 0)) for s in raw.get("services", [])}
    tasks: list[Task] = []
    syncs: list[Sync] = []
    for n, patient in enumerate(raw["patients"]):
        early, late = (float(x) for x in patient["time_window"])
        first = len(tasks)
        for k, need in enumerate(patient["required_caregivers"]):
            duration = need.get("duration")
            tasks.append(
                Task(
                    patient["id"],
                    need["service"],
                    n + 1,
                    float(duration if duration is not None else defaults.get(need["service"], 0)),
                    early,
                    late,
                    k,
                )
            )
        if len(patient["required_caregivers"]) == 2:
            sync = patient.get("synchronization") or {"type": "simultaneous"}
            low, high = (0.0, 0.0)
            if sync.get("type") == "sequential":
                low, high = (float(x) for x in sync["distance"])
            syncs.append(Sync(first, first + 1, low, high))
    offices = raw.get("central_offices") or [{}]
    window = offices[0].get("time_window")
    return Instance(
        name=name,
        tasks=tuple(tasks),
        syncs=tuple(syncs),
        caregivers=tuple(c["id"] for c in raw["caregivers"]),
        abilities=tuple(frozenset(c["abilities"]) for c in raw["caregivers"]),
        distances=tuple(tuple(float(d) for d in row) for row in raw["distances"]),
        office_close=float(window[1]) if window else None,
        office_open=float(window[0]) if window else 0.0,
    )


def load(path: str | Path) -> Instance:
    path = Path(path)
    return parse(json.loads(path.read_text()), path.stem)
