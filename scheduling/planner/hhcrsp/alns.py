"""Ruin and recreate for larger HHCRSP instances: remove a cluster of patients, put them back.

Each step removes a few patients close to a random one (or some at random), puts each back where
it costs least in distance and lateness (a double-up on two caregivers at once, its sync kept), and
keeps the result when its exact cost is better, or a little worse early on (simulated annealing,
cooling over the time given). Pricing a place walks only the stops it delays, and a stop put back
raises only the starts it pushes (through double-ups to other routes), so a step takes
milliseconds; only the plan left by the removals is timed whole (the fixpoint of
timing.earliest, on this search's arrays).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from scheduling.planner.hhcrsp.construct import Plan
from scheduling.planner.hhcrsp.instance import Instance

REMOVE_LEAST = 3  # patients taken out in one step, at least
REMOVE_SHARE = 0.1  # ... and at most this share of them
RANDOM_SHARE = 0.2  # share of steps that remove patients at random instead of a cluster
START_HEAT = 0.02  # a worse plan is kept with odds exp(-worse / (heat * cost)), heat cooling to 0
PAIR_CANDIDATES = 6  # places kept for each service of a double-up before pairing them
NOISE = 0.1  # a place's price is shaken by up to this share, so that ties and near-ties vary
TRIES = 8  # places tried, cheapest first, when one leaves routes waiting on each other in a cycle


@dataclass
class _Place:
    caregiver: int
    position: int
    start: float  # the earliest this service can start here
    price: float  # added distance, and lateness of this service and of those it delays


def _late(start: float, latest: float) -> float:
    return start - latest if start > latest else 0.0


class RuinAndRecreate:
    def __init__(self, instance: Instance, rng: random.Random) -> None:
        self.instance, self.rng = instance, rng
        tasks = instance.tasks
        self.node = [t.node for t in tasks]
        self.duration = [t.duration for t in tasks]
        self.earliest = [t.earliest for t in tasks]
        self.latest = [t.latest for t in tasks]
        self.dist = instance.distances
        self.able = [
            [c for c, ab in enumerate(instance.abilities) if t.service in ab] for t in tasks
        ]
        self.sync = {s.first: s for s in instance.syncs}
        self.partner = {s.first: s.second for s in instance.syncs} | {
            s.second: s.first for s in instance.syncs
        }
        # A patient is put back whole: one service, or a double-up's two.
        self.units: list[tuple[int, ...]] = [
            (k, self.partner[k]) if k in self.sync else (k,)
            for k in range(len(tasks))
            if k in self.sync or k not in self.partner
        ]
        # Patients by distance from each patient, for removing a cluster.
        home = [self.node[unit[0]] for unit in self.units]
        self.near = [
            sorted(range(len(home)), key=[self.dist[h][v] for v in home].__getitem__) for h in home
        ]

    # --- timing and the exact cost ---------------------------------------------------------

    def retime(self, routes: list[list[int]]) -> dict[int, float] | None:
        """timing.earliest on this search's arrays (the same fixpoint, several times faster)."""
        node, duration, dist = self.node, self.duration, self.dist
        start = {k: self.earliest[k] for route in routes for k in route}
        syncs = [s for s in self.instance.syncs if s.first in start]
        for _ in range(4 * len(start) + 4):
            changed = False
            for route in routes:
                at, free = 0, self.instance.office_open
                for k in route:
                    ready = free + dist[at][node[k]]
                    if ready > start[k]:
                        start[k] = ready
                        changed = True
                    at, free = node[k], start[k] + duration[k]
            for sync in syncs:
                a, b = start[sync.first], start[sync.second]
                if b < a + sync.low:
                    start[sync.second] = a + sync.low
                    changed = True
                elif b > a + sync.high:
                    start[sync.first] = b - sync.high
                    changed = True
            if not changed:
                return start
        return None

    def cost(self, routes: list[list[int]], starts: dict[int, float]) -> float:
        """Cost x 3 of routes with these start times, as the evaluator works it out."""
        dist, node, latest = self.dist, self.node, self.latest
        total, worst = 0.0, 0.0
        close = self.instance.office_close
        for route in routes:
            at, free = 0, self.instance.office_open
            for k in route:
                total += dist[at][node[k]]
                late = starts[k] - latest[k]
                if late > 0:
                    total += late
                    if late > worst:
                        worst = late
                at, free = node[k], starts[k] + self.duration[k]
            total += dist[at][0]
            if close is not None and free + dist[at][0] > close:
                late = free + dist[at][0] - close
                total += late
                worst = max(worst, late)
        return total + worst

    # --- pricing a place -------------------------------------------------------------------

    def _delay_cost(
        self, route: list[int], at: int, finish: float, node: int, starts: dict[int, float]
    ) -> float:
        """Lateness added to the stops from `at` on when the stop before them leaves `node` at
        `finish`; a delayed stop with a partner counts its partner's delay too."""
        added = 0.0
        dist, nodes, latest, partner = self.dist, self.node, self.latest, self.partner
        for i in range(at, len(route)):
            k = route[i]
            ready = finish + dist[node][nodes[k]]
            old = starts[k]
            if ready <= old:
                return added
            added += _late(ready, latest[k]) - _late(old, latest[k])
            if k in partner:
                p = partner[k]
                added += _late(starts[p] + ready - old, latest[p]) - _late(starts[p], latest[p])
            finish, node = ready + self.duration[k], nodes[k]
        close = self.instance.office_close
        if close is not None and route:
            last = route[-1]
            back_old = starts[last] + self.duration[last] + dist[nodes[last]][0]
            added += _late(finish + dist[node][0], close) - _late(back_old, close)
        return added

    def _places(self, routes: list[list[int]], starts: dict[int, float], k: int) -> list[_Place]:
        """Every place for service k, priced; those whose added distance alone costs more than
        the best place found so far are left out."""
        places = []
        dist, nodes, nk, duration = self.dist, self.node, self.node[k], self.duration
        early, latest, random_ = self.earliest[k], self.latest[k], self.rng.random
        best = math.inf
        for c in self.able[k]:
            route = routes[c]
            if k in self.partner and self.partner[k] in route:
                continue  # a double-up needs two different caregivers
            prev_node, free = 0, self.instance.office_open
            for p in range(len(route) + 1):
                nxt = nodes[route[p]] if p < len(route) else 0
                added = dist[prev_node][nk] + dist[nk][nxt] - dist[prev_node][nxt]
                if added < best:
                    start = free + dist[prev_node][nk]
                    if start < early:
                        start = early
                    late = _late(start, latest)
                    delay = self._delay_cost(route, p, start + duration[k], nk, starts)
                    cost = (added + late + delay) * (1 + NOISE * random_())
                    best = min(best, cost)
                    places.append(_Place(c, p, start, cost))
                if p < len(route):
                    prev_node = nodes[route[p]]
                    free = starts[route[p]] + duration[route[p]]
        return places

    def _pair_places(
        self, routes: list[list[int]], starts: dict[int, float], unit: tuple[int, ...]
    ) -> list[tuple[float, _Place, _Place]]:
        a, b = unit
        sync = self.sync[a]
        first = sorted(self._places(routes, starts, a), key=lambda x: x.price)[:PAIR_CANDIDATES]
        second = sorted(self._places(routes, starts, b), key=lambda x: x.price)[:PAIR_CANDIDATES]
        pairs = []
        for pa in first:
            for pb in second:
                if pa.caregiver == pb.caregiver:
                    continue
                sa = max(pa.start, pb.start - sync.high)
                sb = max(pb.start, sa + sync.low)
                extra = sum(
                    self._shift_cost(routes[pl.caregiver], pl.position, s, k, starts)
                    for pl, s, k in ((pa, sa, a), (pb, sb, b))
                )
                pairs.append((pa.price + pb.price + extra, pa, pb))
        return sorted(pairs, key=lambda x: x[0])

    def _shift_cost(
        self, route: list[int], at: int, start: float, k: int, starts: dict[int, float]
    ) -> float:
        """Service k's lateness at `start` and the delay it gives the stops after it: added to
        a pair's two prices, so that a pair one of whose services must wait for the other costs
        more than one that need not."""
        late = max(0.0, start - self.latest[k])
        return late + self._delay_cost(route, at, start + self.duration[k], self.node[k], starts)

    # --- ruin and recreate --------------------------------------------------------------------

    def _ruin(self, routes: list[list[int]]) -> list[int]:
        count = self.rng.randint(
            REMOVE_LEAST, max(REMOVE_LEAST, int(REMOVE_SHARE * len(self.units)))
        )
        if self.rng.random() < RANDOM_SHARE:
            removed = self.rng.sample(range(len(self.units)), count)
        else:
            seed = self.rng.randrange(len(self.units))
            removed = self.near[seed][:count]
        gone = {k for u in removed for k in self.units[u]}
        for route in routes:
            route[:] = [k for k in route if k not in gone]
        return removed

    def _recreate(self, routes: list[list[int]], removed: list[int]) -> dict[int, float] | None:
        order = self.rng.choice(("latest", "random", "far"))
        if order == "latest":
            removed.sort(key=lambda u: self.latest[self.units[u][0]])
        elif order == "far":
            removed.sort(key=lambda u: -self.dist[0][self.node[self.units[u][0]]])
        else:
            self.rng.shuffle(removed)
        starts = self.retime(routes)
        if starts is None:
            return None
        for u in removed:
            starts = self._insert(routes, starts, self.units[u])
            if starts is None:
                return None
        return starts

    def _insert(
        self, routes: list[list[int]], starts: dict[int, float], unit: tuple[int, ...]
    ) -> dict[int, float] | None:
        """The unit put in its cheapest place that keeps the plan timeable; the new starts."""
        if len(unit) == 1:
            options = [
                [(p, unit[0])]
                for p in sorted(self._places(routes, starts, unit[0]), key=lambda x: x.price)
            ]
        else:
            options = [
                [(pa, unit[0]), (pb, unit[1])]
                for _, pa, pb in self._pair_places(routes, starts, unit)
            ]
        for option in options[:TRIES]:
            trial = dict(starts)
            for place, k in option:
                routes[place.caregiver].insert(place.position, k)
                trial[k] = self.earliest[k]
            if len(unit) == 2:
                sync = self.sync[unit[0]]
                trial[unit[1]] = max(trial[unit[1]], trial[unit[0]] + sync.low)
            if self.push(routes, trial, [place.caregiver for place, _ in option]):
                return trial
            for place, k in option:
                routes[place.caregiver].remove(k)
        return None

    def push(self, routes: list[list[int]], starts: dict[int, float], changed: list[int]) -> bool:
        """Starts raised to the least times the routes and syncs allow, from starts at or below
        them (as after adding a stop); False when the routes wait on each other in a cycle."""
        owner: dict[int, int] | None = None
        dist, node, duration, partner = self.dist, self.node, self.duration, self.partner
        todo, steps = list(changed), 0
        while todo:
            steps += 1
            if steps > 4 * len(starts) + 4:
                return False
            c = todo.pop()
            at, free = 0, self.instance.office_open
            for k in routes[c]:
                ready = free + dist[at][node[k]]
                if ready > starts[k]:
                    starts[k] = ready
                    if k in partner:
                        owner = owner or {t: r for r, route in enumerate(routes) for t in route}
                        self._keep_sync(k, starts, owner, todo)
                at, free = node[k], starts[k] + duration[k]
        return True

    def _keep_sync(
        self, k: int, starts: dict[int, float], owner: dict[int, int], todo: list[int]
    ) -> None:
        """After service k moved later: its partner moved later too if the sync needs it (the
        second to keep its least gap, the first to keep the greatest), and the partner's route
        queued to be timed again."""
        p = self.partner[k]
        sync = self.sync.get(k) or self.sync[p]
        if sync.first == k and starts[p] < starts[k] + sync.low:
            starts[p] = starts[k] + sync.low
            todo.append(owner[p])
        elif sync.second == k and starts[k] > starts[p] + sync.high:
            starts[p] = starts[k] - sync.high
            todo.append(owner[p])

    def run(
        self,
        plan: Plan,
        deadline: float,
        on_best: Callable[[float], None] | None = None,
        steps: int | None = None,
    ) -> Plan:
        """The best plan reached before the deadline, or in `steps` steps (then the search
        cools by steps, not by time, and gives the same answer on any machine)."""
        routes = [list(r) for r in plan.routes]
        starts = self.retime(routes)
        if starts is None:
            return plan
        current = self.cost(routes, starts)
        best, best_routes = current, [list(r) for r in routes]
        began, span = time.monotonic(), max(1e-3, deadline - time.monotonic())
        done = 0
        while (now := time.monotonic()) < deadline and (steps is None or done < steps):
            done += 1
            heat = START_HEAT * (1 - (done / steps if steps else (now - began) / span))
            trial = [list(r) for r in routes]
            found = self._recreate(trial, self._ruin(trial))
            if found is None:
                continue
            value = self.cost(trial, found)
            worse = value - current
            if worse < 0 or (heat > 0 and self.rng.random() < math.exp(-worse / (heat * current))):
                routes, current = trial, value
                if value < best - 1e-9:
                    best, best_routes = value, [list(r) for r in trial]
                    if on_best is not None:
                        on_best(best / 3)
        starts = self.retime(best_routes)
        assert starts is not None
        return Plan(best_routes, starts)


def search(
    instance: Instance,
    plan: Plan,
    deadline: float,
    *,
    seed: int = 1,
    on_best: Callable[[float], None] | None = None,
    steps: int | None = None,
) -> Plan:
    """The best plan ruin and recreate reaches from `plan` before the deadline (time.monotonic)
    or in `steps` steps; on_best hears the cost of each better plan."""
    rng = random.Random(seed)  # noqa: S311 (a search, not a secret)
    return RuinAndRecreate(instance, rng).run(plan, deadline, on_best, steps)
