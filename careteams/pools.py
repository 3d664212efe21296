"""The database pool of a serving process: opened when the process starts serving, and drained
as a whole when PostgreSQL has dropped its connections.

Django opens the pool at a request's first query, and psycopg_pool then grows it one connection
at a time while requests wait: on a freshly started stack a burst of requests waited past the
pool's timeout (issue 16). The serving process opens it instead, once it runs: gunicorn's
`post_worker_init` hook (deploy/gunicorn.conf.py), in each worker after the fork, never in the
master, whose connections the forked workers would share.

A connection that fails its check before reuse is rarely alone: PostgreSQL restarting, a
failover, `pg_terminate_backend` or a proxy's idle reaper drop every idle connection at once.
psycopg_pool checks them one at a time and waits 1, 2, 4 s between failures, so with ten dead
connections a request waited out the pool's timeout and got a 503, and an idle worker kept its
dead connections until requests had found each one (issue 23). `check_connection` therefore
drains the whole pool at the first failure: every idle connection is closed and replaced in
the background, those in use are replaced when given back, and the request that found the dead
one is served on the first new connection.

This module is named in the settings (the pool's `check`): it imports nothing of Django at
import time.
"""

import logging

from psycopg import Connection
from psycopg_pool import ConnectionPool, PoolTimeout

logger = logging.getLogger(__name__)


def check_connection(conn: Connection) -> None:
    """The pool's check before handing out a connection: one empty round trip
    (psycopg_pool's own check); when it fails, the pool is drained before the failure is
    raised back to the pool, which then waits for a new connection."""
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        # psycopg_pool marks a connection it hands out with its pool before checking it.
        pool = getattr(conn, "_pool", None)
        if isinstance(pool, ConnectionPool):
            logger.warning(
                "A pooled database connection was dead: replacing every connection of the pool"
            )
            pool.drain()
        raise


def open_pools(wait_seconds: float = 10) -> int:
    """Open every configured pool and wait up to `wait_seconds` for its minimum of connections.
    PostgreSQL still starting is no reason to stop serving: the pool keeps connecting in the
    background, and requests until then are 503 (careteams/faults.py). Returns how many pools
    were opened."""
    from django.db import connections

    opened = 0
    for alias in connections:
        pool = getattr(connections[alias], "pool", None)
        if pool is None:
            continue
        try:
            pool.open(wait=True, timeout=wait_seconds)
        except PoolTimeout:
            logger.warning("The %s database pool is not full after %.0f s", alias, wait_seconds)
        opened += 1
    return opened
