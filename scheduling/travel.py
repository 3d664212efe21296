"""Travel time between two clients' homes.

By default an estimate: the straight-line (haversine) distance times a road factor (roads wind:
1.3 by default, `TRAVEL_ROAD_FACTOR`), at an average speed (30 km/h in towns, `TRAVEL_SPEED_KMH`).
In production, when `ROUTING_URL` names an OSRM-compatible routing service, the times come from
its table API in one request per batch of places, are cached (`ROUTING_CACHE_SECONDS`), and fall
back to the estimate when the service is slow or fails: planning never stops for a map server.
"""

import json
import logging
import math
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.cache import cache

from careteams.geo import Location, distance_km

Pair = tuple[Location, Location]
Fetch = Callable[[str, float], bytes]  # url, timeout in seconds -> response body

# OSRM's default --max-table-size: more places than this go in several requests.
MAX_TABLE_PLACES = 100

logger = logging.getLogger(__name__)


class RoutingError(Exception):
    """The routing service did not answer with a usable table."""


def estimate_minutes(
    a: Location, b: Location, *, road_factor: float | None = None, speed_kmh: float | None = None
) -> int:
    """Whole minutes by road, rounded up: a journey of 40 seconds still takes a minute."""
    factor = settings.TRAVEL_ROAD_FACTOR if road_factor is None else road_factor
    speed = settings.TRAVEL_SPEED_KMH if speed_kmh is None else speed_kmh
    if a == b:
        return 0
    return math.ceil(distance_km(a, b) * factor / speed * 60)


def _urlopen(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
        body: bytes = response.read()
        return body


def _table(points: Sequence[Location], fetch: Fetch) -> list[list[float | None]]:
    """Seconds from each place to each other, from the service's table API."""
    coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
    url = (
        f"{settings.ROUTING_URL}/table/v1/{urllib.parse.quote(settings.ROUTING_PROFILE)}/"
        f"{coordinates}?annotations=duration"
    )
    try:
        answer = json.loads(fetch(url, settings.ROUTING_TIMEOUT))
    except (OSError, ValueError) as exc:  # timeouts, refused connections, HTTP errors, bad JSON
        raise RoutingError(str(exc)) from exc
    if not isinstance(answer, dict) or answer.get("code") != "Ok":
        raise RoutingError(f"unexpected answer: {str(answer)[:200]}")
    durations = answer.get("durations")
    if not isinstance(durations, list) or len(durations) != len(points):
        raise RoutingError(f"unexpected answer: {str(answer)[:200]}")
    return durations


def _key(a: Location, b: Location) -> str:
    return f"travel:{settings.ROUTING_PROFILE}:{a[0]:.5f},{a[1]:.5f}:{b[0]:.5f},{b[1]:.5f}"


def _batches(
    pairs: Sequence[tuple[Location, Location]],
) -> Iterable[list[tuple[Location, Location]]]:
    """Pairs in groups whose places fit one table request."""
    batch: list[Pair] = []
    places: set[Location] = set()
    for a, b in pairs:
        if len(places | {a, b}) > MAX_TABLE_PLACES:
            yield batch
            batch, places = [], set()
        batch.append((a, b))
        places |= {a, b}
    if batch:
        yield batch


def _routed(pairs: Sequence[tuple[Location, Location]], fetch: Fetch) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in _batches(pairs):
        points = sorted({p for pair in batch for p in pair})
        index = {p: n for n, p in enumerate(points)}
        table = _table(points, fetch)
        for a, b in batch:
            seconds = table[index[a]][index[b]]
            if isinstance(seconds, int | float):  # null: no route between them
                found[_key(a, b)] = math.ceil(seconds / 60)
    return found


def travel_matrix(
    pairs: Iterable[tuple[Location, Location]], *, fetch: Fetch | None = None
) -> dict[tuple[Location, Location], int]:
    """Minutes from the first place of each pair to the second."""
    wanted = sorted({(a, b) for a, b in pairs if a != b})
    minutes: dict[tuple[Location, Location], int] = {(a, b): 0 for a, b in pairs if a == b}
    if not settings.ROUTING_URL:
        minutes.update({(a, b): estimate_minutes(a, b) for a, b in wanted})
        return minutes
    known: dict[str, int] = cache.get_many([_key(a, b) for a, b in wanted]) if wanted else {}
    missing = [(a, b) for a, b in wanted if _key(a, b) not in known]
    if missing:
        try:
            routed = _routed(missing, fetch or _urlopen)
        except RoutingError as exc:
            logger.warning("Routing service failed, travel estimated instead: %s", exc)
            routed = {}
        if routed:
            cache.set_many(routed, timeout=settings.ROUTING_CACHE_SECONDS)
        known.update(routed)
    for a, b in wanted:
        minutes[(a, b)] = known.get(_key(a, b), estimate_minutes(a, b))
    return minutes


def travel_minutes(a: Location | None, b: Location | None) -> int:
    """Minutes from one place to another; 0 when either is unknown (no location recorded)."""
    if a is None or b is None:
        return 0
    return travel_matrix([(a, b)])[(a, b)]
