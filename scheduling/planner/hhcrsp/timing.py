"""Earliest start times of fixed routes, syncs kept: the least tardiness those routes allow."""

from __future__ import annotations

from collections.abc import Callable

from scheduling.planner.hhcrsp.instance import Instance


def earliest(
    instance: Instance, routes: list[list[int]], up: Callable[[float], float] = float
) -> dict[int, float] | None:
    """Start of each task, or None when the routes cannot keep the syncs (a waiting cycle).

    up maps a duration or distance onto the scale the caller works in (the solver rounds up).
    """
    tasks, dist = instance.tasks, instance.distances
    start = {k: up(tasks[k].earliest) for route in routes for k in route}
    for _ in range(4 * len(start) + 4):
        changed = False
        for route in routes:
            node, free = 0, up(instance.office_open)
            for k in route:
                ready = max(start[k], free + up(dist[node][tasks[k].node]))
                if ready > start[k]:
                    start[k], changed = ready, True
                node, free = tasks[k].node, start[k] + up(tasks[k].duration)
        for sync in instance.syncs:
            if sync.first not in start or sync.second not in start:
                continue  # a plan still being built
            a, b = start[sync.first], start[sync.second]
            if b < a + up(sync.low):
                start[sync.second], changed = a + up(sync.low), True
            elif b > a + up(sync.high):
                start[sync.first], changed = b - up(sync.high), True
        if not changed:
            return start
    return None
