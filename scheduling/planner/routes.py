"""The shared core: one route per worker as a CP-SAT circuit through optional stops.

Both the team planner (one route per member and day, visits at their planned times) and the HHCRSP
benchmark (one route per caregiver, start times free within the windows) build their routes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

Literal = cp_model.IntVar | bool
Start = cp_model.IntVar | int

DEPOT = -1


@dataclass
class Route:
    """The literals of one route: arcs[(a, b)] (a or b may be DEPOT) and whether it is used."""

    used: cp_model.IntVar
    arcs: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    travel: dict[tuple[int, int], int] = field(default_factory=dict)

    def travel_expr(self) -> cp_model.LinearExprT:
        return sum(self.travel[k] * lit for k, lit in self.arcs.items() if self.travel[k])


def add_route(
    model: cp_model.CpModel,
    present: list[Literal],
    arcs: list[tuple[int, int, int]],
    *,
    leave: list[int] | None = None,
    back: list[int] | None = None,
    starts: list[Start] | None = None,
    durations: list[int] | None = None,
    depot_open: Start = 0,
    depot_close: cp_model.IntVar | None = None,
) -> Route:
    """A circuit from the depot through the present stops along the given arcs (a, b, travel).

    leave[k]/back[k] are the travel from/to the depot (0 when there is no depot to travel from).
    With starts and durations, an arc used means b starts after a ends plus the travel; without,
    the caller gives only the arcs whose times already fit.
    """
    n = len(present)
    leave = leave or [0] * n
    back = back or [0] * n
    used = model.new_bool_var("used")
    route = Route(used)
    circuit: list[tuple[int, int, cp_model.LiteralT]] = [(0, 0, ~used)]
    for k, lit in enumerate(present):
        if lit is True:
            model.add(used == 1)
        else:
            circuit.append((k + 1, k + 1, ~lit))
            model.add_implication(lit, used)
        for a, b, t in ((DEPOT, k, leave[k]), (k, DEPOT, back[k])):
            arc = model.new_bool_var("")
            route.arcs[(a, b)] = arc
            route.travel[(a, b)] = t
            circuit.append((a + 1, b + 1, arc))
    for a, b, t in arcs:
        arc = model.new_bool_var("")
        route.arcs[(a, b)] = arc
        route.travel[(a, b)] = t
        circuit.append((a + 1, b + 1, arc))
    model.add_circuit(circuit)
    if starts is not None and durations is not None:
        for (a, b), arc in route.arcs.items():
            t = route.travel[(a, b)]
            if a == DEPOT:
                model.add(starts[b] >= depot_open + t).only_enforce_if(arc)
            elif b == DEPOT:
                if depot_close is not None:
                    model.add(depot_close >= starts[a] + durations[a] + t).only_enforce_if(arc)
            else:
                model.add(starts[b] >= starts[a] + durations[a] + t).only_enforce_if(arc)
    return route
