"""/healthz for the load balancer: each check on its own, 200 when the worker can serve
writes, 503 when the database refuses them."""

import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from careteams import health

pytestmark = pytest.mark.django_db

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL read-only mode")
def test_a_read_only_database_is_a_503_naming_the_write_check(client: HttpClient) -> None:
    with connection.cursor() as cursor:
        # As after a failover to a standby: reads work, every write is refused.
        cursor.execute("SET TRANSACTION READ ONLY")
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
