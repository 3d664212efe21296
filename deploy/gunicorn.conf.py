"""gunicorn for careteams' HTTP: `gunicorn -c deploy/gunicorn.conf.py`.

HTTP is served here, by threads (sync views no longer queue on asgiref's one thread-sensitive
executor as they do under daphne); daphne serves the sockets on /ws/ only (deploy/nginx.conf).
Sizes (README.md "Deploy", docs/operations.md "Serving"):
- threads per worker = DATABASE_POOL_MAX: each request in flight holds at most one connection,
  so a worker never has more requests in flight than connections (no pool timeout from our own
  threads); more requests wait in gunicorn's accept queue, not in the pool.
- workers x DATABASE_POOL_MAX, plus daphne's pools, stays under PostgreSQL's max_connections.
"""

import math
import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
wsgi_app = "config.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "2"))
pool_max = int(os.environ.get("DATABASE_POOL_MAX", "10"))
threads = int(os.environ.get("WEB_THREADS", str(pool_max)))
if threads > pool_max:
    raise SystemExit(
        f"WEB_THREADS ({threads}) must not exceed DATABASE_POOL_MAX ({pool_max}): a thread "
        "without a connection would wait for the pool and time out."
    )
# Each worker opens all its connections at start (careteams/pools.py), in the worker.
os.environ.setdefault("DATABASE_POOL_MIN", str(pool_max))
# Load the app in each worker after the fork, never in the master: a pool opened before the
# fork would hand the same connections to every worker.
preload_app = False

# A request's deadline is the app's (REQUEST_DEADLINE_SECONDS, careteams/deadline.py): its
# statements are cut at it and it is answered 503, before nginx's 75 s. gunicorn's own `timeout`
# cannot do that under gthread: it restarts a worker whose main loop stops reporting (a process
# frozen or starved), and a stuck request thread does not stop that loop. On a restart or
# deploy, requests in flight get as long as their deadline to finish, no request is cut sooner.
deadline = float(os.environ.get("REQUEST_DEADLINE_SECONDS", "60"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", str(math.ceil(deadline))))
keepalive = 5
# Request lines of any length reach the app, which refuses an overlong query itself: a 414 in
# problem+json under /api/, a page elsewhere (careteams/faults.py). gunicorn's own 414 (past
# its default 4,094 bytes, 8,190 at most) is an HTML page a device cannot read. nginx bounds
# the line instead (large_client_header_buffers, deploy/nginx.conf); gunicorn listens on the
# machine only.
limit_request_line = 0
# Behind nginx: trust its X-Forwarded-* headers from the local machine only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log off by default (nginx keeps one); GUNICORN_ACCESS_LOG=- writes it to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker: Any) -> None:
    """The app is loaded in this worker (Django set up): open the database pool now."""
    from careteams.pools import open_pools

    open_pools()


def worker_exit(server: Any, worker: Any) -> None:
    """Give the worker's connections back to PostgreSQL when it stops."""
    from django.db import connections

    for alias in connections:
        close_pool = getattr(connections[alias], "close_pool", None)
        if close_pool is not None:
            close_pool()
