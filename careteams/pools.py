"""The database pool of a serving process, opened when the process starts serving.

Django opens the pool at a request's first query, and psycopg_pool then grows it one connection
at a time while requests wait: on a freshly started stack a burst of requests waited past the
pool's timeout (issue 16). The serving process opens it instead, once it runs: gunicorn's
`post_worker_init` hook (deploy/gunicorn.conf.py), in each worker after the fork, never in the
master, whose connections the forked workers would share.
"""

import logging

from django.db import connections
from psycopg_pool import PoolTimeout

logger = logging.getLogger(__name__)


def open_pools(wait_seconds: float = 10) -> int:
    """Open every configured pool and wait up to `wait_seconds` for its minimum of connections.
    PostgreSQL still starting is no reason to stop serving: the pool keeps connecting in the
    background, and requests until then are 503 (careteams/faults.py). Returns how many pools
    were opened."""
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
