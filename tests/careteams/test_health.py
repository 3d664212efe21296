"""/healthz for the load balancer: each check on its own, 200 when the worker can serve
writes, 503 when the database refuses them, and an answer within HEALTH_CHECK_TIMEOUT whatever
hangs: a frozen PostgreSQL, a closed port, Redis down or hung (it took 20 s with the database
frozen, and reported the cache "ok" while Redis was down and the fallback answered)."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from careteams import health
from config.asgi_workers import free_port
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="points the PostgreSQL pool elsewhere"
)
# What /healthz may take beyond its timeout: the request itself, on a busy machine.
MARGIN = 1.0

CHECKS = {"database_read", "database_write", "cache", "channel_layer"}


def test_with_everything_up_health_is_200_with_each_check_ok(client: HttpClient) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert response["Cache-Control"] == "no-store"


def test_the_write_check_leaves_nothing_behind(client: HttpClient) -> None:
    client.get(reverse("healthz"))
    client.get(reverse("healthz"))
    assert "careteams_healthz_probe" not in connection.introspection.table_names()


@contextmanager
def the_pool_reaching(*, port: int | None = None, options: str = "") -> Iterator[None]:
    """The database pool made again, its connections to `port` on this machine or with extra
    server `options`; the usual pool is made again afterwards. Connecting and waiting for the
    pool give up sooner than in production, so that the test's end does not wait for them."""
    database = connections["default"]
    settings_dict = database.settings_dict
    usual = {key: settings_dict[key] for key in ("HOST", "PORT", "OPTIONS")}
    database.close()
    database.close_pool()  # type: ignore[attr-defined]
    settings_dict["OPTIONS"] = {
        **usual["OPTIONS"],
        "connect_timeout": 2,
        "options": f"{usual['OPTIONS']['options']} {options}".strip(),
        "pool": {**usual["OPTIONS"]["pool"], "min_size": 0, "timeout": 3},
    }
    if port is not None:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", port
    try:
        yield
    finally:
        database.close()
        database.close_pool()  # type: ignore[attr-defined]
        settings_dict.update(usual)


@pytest.fixture
def a_frozen_server() -> Iterator[int]:
    """A port where connections are accepted and nothing is ever answered, as with a PostgreSQL
    stopped mid-flight or a hung proxy in front of it: the kernel completes the handshakes into
    the listen queue, and nobody reads them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        yield listener.getsockname()[1]


def timed_health(client: HttpClient) -> tuple[Any, float]:
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    return response, time.monotonic() - started


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["frozen", "refusing"])
def test_with_the_database_frozen_or_refusing_connections_health_is_a_503_within_its_timeout(
    client: HttpClient, settings: Settings, a_frozen_server: int, how: str
) -> None:
    settings.HEALTH_CHECK_TIMEOUT = 0.5
    port = a_frozen_server if how == "frozen" else free_port()
    with the_pool_reaching(port=port):
        for _ in range(3):  # and again while the first check still waits
            response, took = timed_health(client)
            assert response.status_code == 503
            assert took < 0.5 + MARGIN, f"/healthz took {took:.1f} s"
            body = response.json()
            assert body["status"] == "unavailable"
            assert body["checks"]["database_read"]["status"] == "failing"
            assert body["checks"]["database_write"]["status"] == "failing"
            assert body["checks"]["cache"]["status"] == "ok"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_is_a_503_naming_the_write_check(client: HttpClient) -> None:
    # As after a failover to a standby: reads work, every write is refused.
    with the_pool_reaching(options="-c default_transaction_read_only=on"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database_read"]["status"] == "ok"
    assert body["checks"]["database_write"] == {"status": "failing", "error": "InternalError"}


def test_a_database_refusing_writes_is_a_503_naming_the_write_check(client: HttpClient) -> None:
    refused = OperationalError("cannot execute INSERT in a read-only transaction")
    with mock.patch.object(health, "database_write", side_effect=refused):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database_write"] == {"status": "failing", "error": "OperationalError"}
    assert checks["database_read"]["status"] == "ok"


def test_an_unreachable_database_is_a_503(client: HttpClient) -> None:
    down = OperationalError("connection refused")
    with (
        mock.patch.object(health, "database_read", side_effect=down),
        mock.patch.object(health, "database_write", side_effect=down),
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_a_failing_cache_is_degraded_but_still_200(client: HttpClient) -> None:
    with mock.patch.object(health, "cache_round_trip", side_effect=ConnectionError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"status": "failing", "error": "ConnectionError"}
    assert body["checks"]["channel_layer"]["status"] == "ok"


def test_a_hung_channel_layer_costs_the_check_its_timeout_only(
    client: HttpClient, settings: Settings
) -> None:
    settings.HEALTH_CHECK_TIMEOUT = 0.3
    release = threading.Event()
    with mock.patch.object(health, "channel_layer_send", side_effect=lambda: release.wait(5)):
        response = client.get(reverse("healthz"))
    release.set()
    assert response.status_code == 200
    assert response.json()["checks"]["channel_layer"] == {
        "status": "failing",
        "error": "no answer in 0.3 s",
    }


@pytest.mark.parametrize("how", ["down", "hung"])
def test_with_redis_down_or_hung_the_cache_is_degraded_and_health_answers_within_its_timeout(
    client: HttpClient, settings: Settings, on_own_redis: RedisServer, how: str
) -> None:
    settings.HEALTH_CHECK_TIMEOUT = 1.0
    assert client.get(reverse("healthz")).json()["status"] == "ok"
    on_own_redis.kill() if how == "down" else on_own_redis.hang()

    response, took = timed_health(client)
    assert response.status_code == 200
    assert took < 1.0 + MARGIN, f"/healthz took {took:.1f} s"
    body = response.json()
    assert body["status"] == "degraded"
    # The fallback answered the round trip: the cache works, but not as the workers share it.
    assert body["checks"]["cache"]["status"] == "degraded"
    assert body["checks"]["channel_layer"]["status"] == "failing"
    assert body["checks"]["database_read"]["status"] == "ok"


def test_hung_checks_wait_together_so_health_answers_within_one_timeout(
    client: HttpClient, settings: Settings
) -> None:
    settings.HEALTH_CHECK_TIMEOUT = 2.0
    release = threading.Event()
    with (
        mock.patch.object(health, "cache_round_trip", side_effect=lambda: release.wait(10)),
        mock.patch.object(health, "channel_layer_send", side_effect=lambda: release.wait(10)),
    ):
        response, took = timed_health(client)
    release.set()
    assert response.status_code == 200
    # One after the other, they took 4 s.
    assert took < 2.0 + MARGIN, f"/healthz took {took:.1f} s"
    checks = response.json()["checks"]
    assert (
        checks["cache"]
        == checks["channel_layer"]
        == {
            "status": "failing",
            "error": "no answer in 2 s",
        }
    )
