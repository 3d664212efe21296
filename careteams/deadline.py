"""The request deadline: no HTTP request runs past REQUEST_DEADLINE_SECONDS (60 s).

The proxy gives up first otherwise: nginx answered its own 504 page at 75 s (deploy/nginx.conf,
`proxy_read_timeout`) while the worker went on with the request, holding its thread, its
connection and its locks (issue 23). gunicorn's worker timeout does not end it: a gthread
worker's main loop stays alive while one of its threads is stuck.

What holds a request that long is the database: a slow statement, or a wait for a lock (which
is part of its statement). Each statement of a request therefore runs within what is left of
the request's deadline: once less is left than the connections' own statement timeout
(DATABASE_STATEMENT_TIMEOUT_MS), each statement is preceded by `SET statement_timeout` to what
is left (one more round trip, for requests already slow only), so PostgreSQL cuts a statement
or a lock wait at the deadline; once nothing is left, a statement is refused before it reaches
the database. Either way the request ends in an OperationalError, a 503 with Retry-After
(careteams/faults.py), within the deadline, and nothing is half-saved (every write is one
transaction). A connection whose timeout was lowered gets its own back before the pool takes
it back.

The other waits are bounded well inside the margin the proxy leaves (75 - 60 s): a pooled
connection (DATABASE_POOL_TIMEOUT, 10 s, the one wait that may start just before the deadline;
tests/careteams/test_deadline.py checks the sum against deploy/nginx.conf), Redis (0.25 s), the
routing service (ROUTING_TIMEOUT, 3 s).

Code that bounds its own waits (the sync push's per-mutation lock timeout) reads `remaining()`.
"""

import math
import time
from collections.abc import Callable
from contextlib import ExitStack
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse


class DeadlinePassed(OperationalError):
    """A statement asked for after the request's deadline: answered as the database being
    unavailable (503, Retry-After)."""


class _Deadline:
    """One request's deadline, and the execute wrapper that holds its statements to it."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        # Connections whose statement timeout this request lowered.
        self.lowered: set[BaseDatabaseWrapper] = set()

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        left = self.at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed("the request's deadline passed before this statement")
        database: BaseDatabaseWrapper = context["connection"]
        own = settings.DATABASE_STATEMENT_TIMEOUT_MS or math.inf
        if database.vendor == "postgresql" and left * 1000 < own:
            # On the driver's cursor: Django's would run this wrapper again.
            with database.wrap_database_errors:
                context["cursor"].cursor.execute(
                    f"SET statement_timeout = {max(1, int(left * 1000))}"
                )
            self.lowered.add(database)
        return execute(sql, params, many, context)

    def restore(self) -> None:
        """The connections' own statement timeout again, before the pool takes them back. One
        that cannot be told is closed, so that the pool replaces it instead."""
        for database in self.lowered:
            if database.connection is None:
                continue
            try:
                with database.wrap_database_errors, database.connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")
            except DatabaseError:
                # The driver's close: the pool discards a closed connection when given it back.
                database.connection.close()


_current: ContextVar[_Deadline | None] = ContextVar("request_deadline", default=None)


def remaining() -> float | None:
    """Seconds left before the current request's deadline (0 once passed), None outside an
    HTTP request."""
    deadline = _current.get()
    if deadline is None:
        return None
    return max(0.0, deadline.at - time.monotonic())


class DeadlineMiddleware:
    """Near the top of MIDDLEWARE: the deadline starts when the request reaches Django, and
    covers every statement below, the session's save included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        deadline = _Deadline(float(settings.REQUEST_DEADLINE_SECONDS))
        token = _current.set(deadline)
        try:
            with ExitStack() as wrappers:
                for alias in connections:
                    wrappers.enter_context(connections[alias].execute_wrapper(deadline))
                return self.get_response(request)
        finally:
            deadline.restore()
            _current.reset(token)
