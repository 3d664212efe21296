"""Travel times: the straight-line estimate, and an OSRM-compatible service faked on localhost
(started by the test: never the network)."""

import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.test import override_settings

from careteams import geo
from scheduling import travel

# 0.1 degree of latitude along a meridian: 6371.0088 km x pi / 1800 = 11.1195 km.
SOUTH, NORTH = (52.0, -1.0), (52.1, -1.0)


def test_the_distance_follows_the_great_circle() -> None:
    assert geo.distance_km(SOUTH, NORTH) == pytest.approx(11.1195, abs=0.0001)


def test_the_estimate_is_the_distance_times_the_road_factor_at_the_speed() -> None:
    # 11.1195 km x 1.3 = 14.455 km by road, at 30 km/h: 28.9 minutes, rounded up to 29.
    assert travel.estimate_minutes(SOUTH, NORTH) == 29
    assert travel.travel_minutes(SOUTH, NORTH) == 29


@override_settings(TRAVEL_ROAD_FACTOR=1.0, TRAVEL_SPEED_KMH=60)
def test_the_road_factor_and_speed_are_settings() -> None:
    # 11.1195 km at 60 km/h: 11.1 minutes, rounded up to 12.
    assert travel.estimate_minutes(SOUTH, NORTH) == 12


def test_no_location_or_the_same_place_is_no_travel() -> None:
    assert travel.travel_minutes(None, NORTH) == 0
    assert travel.travel_minutes(SOUTH, None) == 0
    assert travel.travel_minutes(SOUTH, SOUTH) == 0


# A fake routing service -----------------------------------------------------------------------


@dataclass
class FakeOsrm:
    url: str
    paths: list[str] = field(default_factory=list)
    answer: dict[str, object] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0
    every_journey: float | None = None  # answer any table with this many seconds everywhere


@pytest.fixture
def osrm() -> Iterator[FakeOsrm]:
    fake = FakeOsrm(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.paths.append(self.path)
            time.sleep(fake.delay)
            answer = fake.answer
            if fake.every_journey is not None:
                size = self.path.split("?")[0].count(";") + 1
                answer = {"code": "Ok", "durations": [[fake.every_journey] * size] * size}
            body = json.dumps(answer).encode()
            try:
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller timed out and hung up: what the slow-service test wants

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    cache.clear()
    try:
        with override_settings(ROUTING_URL=fake.url, ROUTING_TIMEOUT=0.5):
            yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        cache.clear()


def test_with_a_routing_service_the_times_come_from_its_table(osrm: FakeOsrm) -> None:
    # Places sorted: SOUTH (52.0) is index 0, NORTH (52.1) index 1. 600 s = 10 min, 610 s = 11.
    osrm.answer = {"code": "Ok", "durations": [[0, 600], [610, 0]]}
    minutes = travel.travel_matrix([(SOUTH, NORTH), (NORTH, SOUTH)])
    assert minutes == {(SOUTH, NORTH): 10, (NORTH, SOUTH): 11}
    # One request for both, longitude first as OSRM wants it.
    assert osrm.paths == [
        "/table/v1/driving/-1.000000,52.000000;-1.000000,52.100000?annotations=duration"
    ]


def test_the_routing_services_answers_are_cached(osrm: FakeOsrm) -> None:
    osrm.answer = {"code": "Ok", "durations": [[0, 600], [610, 0]]}
    assert travel.travel_minutes(SOUTH, NORTH) == 10
    osrm.answer = {"code": "Ok", "durations": [[0, 6000], [6000, 0]]}
    assert travel.travel_minutes(SOUTH, NORTH) == 10
    assert len(osrm.paths) == 1


def test_a_failing_routing_service_falls_back_to_the_estimate(osrm: FakeOsrm) -> None:
    osrm.status = 500
    assert travel.travel_minutes(SOUTH, NORTH) == 29
    osrm.status, osrm.answer = 200, {"code": "NoTable", "message": "no"}
    assert travel.travel_minutes(SOUTH, NORTH) == 29
    osrm.answer = {"code": "Ok", "durations": [[0, None], [None, 0]]}  # no route
    assert travel.travel_minutes(SOUTH, NORTH) == 29
    assert len(osrm.paths) == 3  # failures are not cached: the next request asks again


def test_a_slow_routing_service_falls_back_to_the_estimate_after_the_timeout(
    osrm: FakeOsrm,
) -> None:
    osrm.delay = 1.0
    osrm.answer = {"code": "Ok", "durations": [[0, 600], [610, 0]]}
    started = time.monotonic()
    assert travel.travel_minutes(SOUTH, NORTH) == 29
    assert time.monotonic() - started < 0.95


def test_many_places_go_in_several_table_requests(osrm: FakeOsrm) -> None:
    # 150 places in a chain: OSRM takes at most 100 places a request, so two requests.
    osrm.every_journey = 90.0
    places = [(52.0 + n / 1000, -1.0) for n in range(150)]
    pairs = list(itertools.pairwise(places))
    minutes = travel.travel_matrix(pairs)
    assert set(minutes.values()) == {2}  # 90 s is 1.5 minutes, rounded up
    assert len(minutes) == 149
    assert len(osrm.paths) == 2
    assert all(path.count(";") + 1 <= travel.MAX_TABLE_PLACES for path in osrm.paths)
