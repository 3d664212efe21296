"""A serving process's pool after PostgreSQL drops its connections: a gunicorn worker holds ten
idle connections (careteams/pools.py opens them all at start); when PostgreSQL terminates them
all, the next request finds the first dead one, the pool is drained as a whole, and the request
is served on a new connection at once (it waited 1, 2 and 4 s per dead connection, then got a
503 at the pool's 10 s timeout). PostgreSQL only: they cut connections of the test database."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.urls import reverse
from psycopg_pool import ConnectionPool

from careteams.pools import open_pools
from tests.conftest import Cast
from tests.mobile_api.test_database_faults import api, in_thread, page, signed_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]

SIZE = 10
# What a request may take on a fresh connection, the reconnection included.
QUICK = 1.0


def default_database() -> DatabaseWrapper:
    database: DatabaseWrapper = connections["default"]  # type: ignore[assignment]
    return database


@pytest.fixture
def a_full_pool_of_ten() -> Iterator[ConnectionPool]:
    """The pool as a gunicorn worker holds it: ten connections, all opened when the worker
    starts (post_worker_init), all idle. The usual pool is made again afterwards."""
    database = default_database()
    options = database.settings_dict["OPTIONS"]
    usual = options["pool"]
    database.close()
    database.close_pool()
    options["pool"] = {**usual, "min_size": SIZE, "max_size": SIZE}
    try:
        assert open_pools() == 1
        pool: ConnectionPool = database.pool
        assert pool.get_stats()["pool_available"] == SIZE
        yield pool
    finally:
        database.close()
        database.close_pool()
        options["pool"] = usual


def terminate_every_connection() -> int:
    """pg_terminate_backend on every other connection to the test database, from a connection
    of its own outside the pool; returns once their backends have gone."""
    settings = default_database().settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as killer:
        others = (
            "FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        row = killer.execute(f"SELECT count(pg_terminate_backend(pid)) {others}").fetchone()
        cut = int(row[0]) if row else 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            left = killer.execute(f"SELECT count(*) {others}").fetchone()
            if left and left[0] == 0:
                break
            time.sleep(0.02)
    return cut


def timed(request: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    answer = in_thread(request)
    return answer, time.monotonic() - started


def test_after_postgresql_terminates_all_ten_idle_connections_the_next_request_is_served_at_once(
    cast: Cast,
    signed_in: tuple[dict[str, str], str],  # noqa: F811
    a_full_pool_of_ten: ConnectionPool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cookies, token = signed_in
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})
    # Each kind of request served once first: what is timed below is the pool, not the first
    # import of a view.
    for request in [api(token, "/me"), page(cookies, team_page)]:
        assert in_thread(request).status_code == 200
    assert a_full_pool_of_ten.get_stats()["pool_available"] == SIZE

    assert terminate_every_connection() >= SIZE
    answer, took = timed(page(cookies, team_page))
    assert answer.status_code == 200
    assert took < QUICK, f"the first request after the cut took {took:.1f} s"

    # Every dead connection went with the first: no later request meets one (each would be
    # logged as a drain of its own).
    for request in [api(token, "/me"), page(cookies, team_page)] * SIZE:
        assert in_thread(request).status_code == 200
    drains = [record for record in caplog.records if record.name == "careteams.pools"]
    assert len(drains) == 1, [record.getMessage() for record in drains]
