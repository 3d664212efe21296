"""What /healthz checks: the database for reads and for writes, the cache and the channel
layer, each on its own and each bounded in time (HEALTH_CHECK_TIMEOUT).

The answer is 200 when this worker can serve writes (the database reads and writes), 503
otherwise, so a load balancer takes the worker out while its database refuses writes (a
failover leaves it read-only, a full disk) instead of sending it requests that will fail:
client-record reads write the read log. Redis only speeds things up (events are hints, the
feed in PostgreSQL is the truth), so a failing cache or channel layer is reported as
"degraded" with a 200.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

# Redis checks run here, so that a hung socket costs a check its timeout, never the request
# its worker thread. Two threads: one hung check does not queue the next behind it, and the
# threads (and their cache clients) are reused rather than made per request.
_outside = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


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


def channel_layer_send() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    # A group with no members: the layer's store is reached, nobody receives anything.
    send = layer.group_send("healthz", {"type": "healthz.probe"})
    async_to_sync(asyncio.wait_for)(send, _timeout())


def _run(name: str, check: Callable[[], None], *, outside: bool) -> dict[str, Any]:
    started = time.monotonic()
    try:
        if outside:
            _outside.submit(check).result(timeout=_timeout())
        else:
            check()
    except FutureTimeout:
        logger.warning("Health check %s timed out", name)
        return {"status": "failing", "error": f"no answer in {_timeout():g} s"}
    except Exception as error:  # a check that fails in any way is reported, never raised
        logger.warning("Health check %s failed: %r", name, error)
        # The class only: /healthz is public, the details (hosts, roles) go to the log.
        return {"status": "failing", "error": type(error).__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def report() -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for /healthz."""
    checks = {
        "database_read": _run("database_read", database_read, outside=False),
        "database_write": _run("database_write", database_write, outside=False),
        "cache": _run("cache", cache_round_trip, outside=True),
        "channel_layer": _run("channel_layer", channel_layer_send, outside=True),
    }
    failing = {name for name, check in checks.items() if check["status"] != "ok"}
    if failing & {"database_read", "database_write"}:
        return 503, {"status": "unavailable", "checks": checks}
    return 200, {"status": "degraded" if failing else "ok", "checks": checks}
