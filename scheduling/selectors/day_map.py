"""The map of the day: each member's route (their visits of the day in order, at the clients'
locations the app holds for travel) and the open visits. Built from the day's grid, which is
built from the board already loaded: no query of its own.

The same stops are listed in order as plain text, which is all a person needs to plan: the map
(Leaflet, day-map.js) draws them where tiles can load and JavaScript runs.
"""

import json
from dataclasses import dataclass

from scheduling.selectors.grid import DayGrid, GridBlock


@dataclass(frozen=True)
class Stop:
    client_name: str
    start_text: str
    end_text: str
    place: str  # the postcode, as the stop is named in the list
    location: tuple[float, float] | None  # None: the app holds no location for the client

    @property
    def label(self) -> str:
        return f"{self.start_text}–{self.end_text} {self.client_name}"


@dataclass(frozen=True)
class Route:
    key: str  # the member's id, or "open"
    name: str
    stops: list[Stop]


@dataclass(frozen=True)
class DayMap:
    routes: list[Route]  # members with a visit that day, in the grid's order
    open_stops: list[Stop]
    unplaced: int  # stops without a location: listed, not drawn

    @property
    def as_json(self) -> str:
        """What the map draws, in the canvas's data-routes (not a script element: htmx drops
        those from a swapped fragment): each route's located stops in order."""

        def points(stops: list[Stop]) -> list[list[object]]:
            return [[*s.location, s.label] for s in stops if s.location is not None]

        return json.dumps(
            {
                "routes": [{"name": r.name, "stops": points(r.stops)} for r in self.routes],
                "open": points(self.open_stops),
            },
            ensure_ascii=False,
        )


def _stop(block: GridBlock) -> Stop:
    client = block.row.visit.client
    located = client.latitude is not None and client.longitude is not None
    return Stop(
        client_name=block.row.client_name,
        start_text=block.row.start_text,
        end_text=block.row.end_text,
        place=client.postcode,
        location=(client.latitude, client.longitude) if located else None,  # type: ignore[arg-type]
    )


def day_map(grid: DayGrid) -> DayMap:
    """The day's routes and open visits, from its grid (blocks already in time order)."""
    routes = [
        Route(row.target, row.name, [_stop(b) for b in row.blocks])
        for row in grid.rows
        if row.blocks
    ]
    # An open visit needing two carers shows twice in the open row: once on the map.
    seen: set[object] = set()
    open_stops = []
    for block in grid.open_row.blocks:
        if block.row.visit.id not in seen:
            seen.add(block.row.visit.id)
            open_stops.append(_stop(block))
    every = [s for r in routes for s in r.stops] + open_stops
    return DayMap(routes, open_stops, sum(1 for s in every if s.location is None))
