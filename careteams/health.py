"""What /healthz checks: the database for reads and for writes, the cache and the channel
layer, all at once and together bounded in time (HEALTH_CHECK_TIMEOUT).

The answer is 200 when this worker can serve writes (the database reads and writes), 503
otherwise, so a load balancer takes the worker out while its database refuses writes (a
failover leaves it read-only, a full disk) instead of sending it requests that will fail:
client-record reads write the read log. Redis only speeds things up (events are hints, the
feed in PostgreSQL is the truth), so a failing cache or channel layer, or a cache answering
from this worker's memory while Redis is away (careteams/cache.py), is reported as "degraded"
with a 200.

Each group of checks (the database's two, the cache, the channel layer) runs on a thread of its
own and the request waits for all of them up to one timeout: a frozen PostgreSQL or Redis (the
connection accepted, nothing ever answered), which no socket timeout ends, costs /healthz its
timeout and never the request's thread (it took 20 s with the database frozen: two checks each
waiting out the pool, issue 23). A group still running from an earlier request is waited for
again rather than started twice, so a hung server holds one thread per group, not one per
request. SQLite is a file in this process, with nothing to freeze: its checks run in the
request's thread (another thread would wait for the write lock a test's transaction holds).
"""

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction

logger = logging.getLogger(__name__)

Check = Callable[[], None]
Result = dict[str, Any]
CHECKS = ("database_read", "database_write", "cache", "channel_layer")


class Degraded(Exception):
    """A check that was answered, but not as it should be (the cache from a fallback)."""


def _timeout() -> float:
    return float(settings.HEALTH_CHECK_TIMEOUT)


def _bound_statements() -> None:
    """On PostgreSQL, a check's statements stop at the check's timeout (this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(_timeout() * 1000)}")


def database_read() -> None:
    with transaction.atomic():
        _bound_statements()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


class _RolledBack(Exception):
    pass


def database_write() -> None:
    """A real write, rolled back: a table created and a row written, in a transaction that is
    then undone. A read-only database (standby, failover, default_transaction_read_only) or
    one that cannot write its log refuses it; nothing is left behind."""
    try:
        with transaction.atomic():
            _bound_statements()
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMPORARY TABLE careteams_healthz_probe (n integer)")
                cursor.execute("INSERT INTO careteams_healthz_probe (n) VALUES (1)")
            raise _RolledBack
    except _RolledBack:
        pass


def cache_round_trip() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")
    if getattr(cache, "on_fallback", False):
        raise Degraded("Redis unreachable: this worker's own memory answered")


def channel_layer_send() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    # A group with no members: the layer's store is reached, nobody receives anything.
    send = layer.group_send("healthz", {"type": "healthz.probe"})
    async_to_sync(asyncio.wait_for)(send, _timeout())


def _result(name: str, check: Check) -> Result:
    started = time.monotonic()
    try:
        check()
    except Degraded as reason:
        logger.warning("Health check %s degraded: %s", name, reason)
        return {"status": "degraded", "error": str(reason)}
    except Exception as error:  # a check that fails in any way is reported, never raised
        logger.warning("Health check %s failed: %r", name, error)
        # The class only: /healthz is public, the details (hosts, roles) go to the log.
        return {"status": "failing", "error": type(error).__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def _run_group(checks: Sequence[tuple[str, Check]], results: dict[str, Result]) -> None:
    """The group's checks in order, each result stored as soon as it is known."""
    for name, check in checks:
        results[name] = _result(name, check)


def _run_group_on_database(checks: Sequence[tuple[str, Check]], results: dict[str, Result]) -> None:
    try:
        _run_group(checks, results)
    finally:
        # This thread's connection goes back to the pool between two /healthz requests.
        connections.close_all()


class _Lane:
    """One thread for one group of checks, with at most one run in flight."""

    def __init__(self, name: str, run: Callable[..., None]) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"healthz-{name}")
        self._run = run
        self._lock = threading.Lock()
        self._current: tuple[Future[None], dict[str, Result]] | None = None

    def start(self, checks: Sequence[tuple[str, Check]]) -> tuple[Future[None], dict[str, Result]]:
        with self._lock:
            if self._current is None or self._current[0].done():
                results: dict[str, Result] = {}
                self._current = (self._executor.submit(self._run, checks, results), results)
            return self._current


_lanes = {
    "database": _Lane("database", _run_group_on_database),
    "cache": _Lane("cache", _run_group),
    "channel_layer": _Lane("channel_layer", _run_group),
}


def _groups() -> dict[str, list[tuple[str, Check]]]:
    # Looked up at each request, so that a test may replace a check.
    return {
        "database": [("database_read", database_read), ("database_write", database_write)],
        "cache": [("cache", cache_round_trip)],
        "channel_layer": [("channel_layer", channel_layer_send)],
    }


def _run_all() -> dict[str, Result]:
    groups = _groups()
    results: dict[str, Result] = {}
    until = time.monotonic() + _timeout()
    here = groups.pop("database") if connection.vendor != "postgresql" else []
    started = {lane: _lanes[lane].start(checks) for lane, checks in groups.items()}
    _run_group(here, results)
    wait([future for future, _ in started.values()], timeout=max(0.0, until - time.monotonic()))
    for lane, (_future, lane_results) in started.items():
        for name, _check in groups[lane]:
            answer = lane_results.get(name)
            if answer is None:
                logger.warning("Health check %s timed out", name)
                answer = {"status": "failing", "error": f"no answer in {_timeout():g} s"}
            results[name] = answer
    return results


def report() -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for /healthz."""
    results = _run_all()
    checks = {name: results[name] for name in CHECKS}
    if any(checks[name]["status"] != "ok" for name in ("database_read", "database_write")):
        return 503, {"status": "unavailable", "checks": checks}
    degraded = any(check["status"] != "ok" for check in checks.values())
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}
