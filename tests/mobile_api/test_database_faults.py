"""PostgreSQL faults cost at most the request in flight: after PostgreSQL drops every
connection the next requests succeed (pooled connections are checked before reuse), a request
that still meets a dead connection is a 503 with Retry-After (never a 500), and a statement past
the timeout is cut. PostgreSQL only: they cut connections of the test database."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client as HttpClient
from django.urls import reverse

from accounts import tokens
from tests.conftest import Cast
from tests.mobile_api.conftest import API, is_problem

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts PostgreSQL connections"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def a_pool_of_its_own() -> None:
    """Each test starts from a new pool: what these tests count is the pool's own recovery, and
    an earlier browser test's live server (threads of this process, ended with the browser's
    connections still open) may leave connections drawn from the old one."""
    database: DatabaseWrapper = connections["default"]  # type: ignore[assignment]
    database.close_pool()


def in_thread[T](work: Callable[[], T]) -> T:
    """Run as a request of its own: a thread with its own connection drawn from the pool, given
    back at the end as the request handler does."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as error:
            out.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the request hung"
    if isinstance(out[0], BaseException):
        raise out[0]
    result: T = out[0]
    return result


def fill_the_pool(size: int) -> None:
    """`size` requests at once: the pool then keeps `size` idle connections."""
    barrier = threading.Barrier(size)

    def hold() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(10)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hold) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)


def cut_connections(*pids: int) -> int:
    """pg_terminate_backend on backends of the test database (all but this thread's, or the
    given ones). Returns how many were cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND (cardinality(%s::int[]) = 0 OR pid = ANY(%s::int[]))",
            [list(pids), list(pids)],
        )
        cut: int = cursor.fetchone()[0]
    time.sleep(0.2)  # the backends take a moment to exit
    return cut


@pytest.fixture
def signed_in(cast: Cast) -> tuple[dict[str, str], str]:
    """A page session cookie and an API token for the nurse, usable from any thread."""
    browser = HttpClient()
    browser.force_login(cast.nurse)
    cookies = {name: morsel.value for name, morsel in browser.cookies.items()}
    return cookies, tokens.token_issue(user=cast.nurse, name="Tablet").token


def page(cookies: dict[str, str], url: str) -> Callable[[], Any]:
    def get() -> Any:
        browser = HttpClient(raise_request_exception=False)
        for name, value in cookies.items():
            browser.cookies[name] = value
        return browser.get(url)

    return get


def api(token: str, path: str) -> Callable[[], Any]:
    def get() -> Any:
        return HttpClient(raise_request_exception=False).get(
            API + path, headers={"Authorization": f"Bearer {token}"}
        )

    return get


@pytest.fixture
def pool_size() -> int:
    size = 4
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] >= size
    return size


def test_after_the_database_drops_every_connection_the_next_requests_succeed(
    cast: Cast, signed_in: tuple[dict[str, str], str], pool_size: int
) -> None:
    cookies, token = signed_in
    fill_the_pool(pool_size)
    assert cut_connections() >= pool_size
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})
    client_page = reverse("clients:client-detail", kwargs={"client_id": cast.client.id})
    requests = [
        page(cookies, team_page),
        api(token, "/me"),
        page(cookies, client_page),
        api(token, f"/clients/{cast.client.id}"),
    ] * pool_size
    statuses = [in_thread(request).status_code for request in requests]
    assert statuses == [200] * len(requests)


def test_a_request_that_meets_a_dead_connection_gets_a_503_with_retry_after(
    cast: Cast, signed_in: tuple[dict[str, str], str]
) -> None:
    cookies, token = signed_in
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})

    def on_a_dead_connection(request: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            # Drawn before the fault, as a request already under way holds its connection.
            connection.ensure_connection()
            pid = connection.connection.info.backend_pid
            cut = threading.Thread(target=lambda: in_thread(lambda: cut_connections(pid)))
            cut.start()
            cut.join(10)
            return request()

        return run

    answer = in_thread(on_a_dead_connection(api(token, "/me")))
    problem = is_problem(answer, 503)
    assert answer["Retry-After"].isdigit()
    assert "try again" in problem["detail"]

    answer = in_thread(on_a_dead_connection(page(cookies, team_page)))
    assert answer.status_code == 503
    assert answer["Retry-After"].isdigit()
    assert "try again" in answer.content.decode()

    # The dead connections were given back and thrown away: the next requests are served.
    assert in_thread(api(token, "/me")).status_code == 200
    assert in_thread(page(cookies, team_page)).status_code == 200


def test_connections_carry_the_statement_timeout(db: None) -> None:
    def timeout() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            value: str = cursor.fetchone()[0]
        return value

    expected = settings.DATABASE_STATEMENT_TIMEOUT_MS
    assert in_thread(timeout) in {
        f"{expected}ms",
        f"{expected // 1000}s",
        f"{expected // 60000}min",
    }


def test_a_statement_past_the_timeout_is_cut(db: None) -> None:
    options = dict(connection.settings_dict["OPTIONS"])
    options.pop("pool")
    options["options"] = options["options"].replace(
        f"statement_timeout={settings.DATABASE_STATEMENT_TIMEOUT_MS}", "statement_timeout=200"
    )
    probe = DatabaseWrapper({**connection.settings_dict, "OPTIONS": options}, alias="probe")
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError, match="statement timeout"), probe.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")
    finally:
        probe.close()
    assert time.monotonic() - started < 2


def test_the_pool_checks_connections_and_every_wait_is_bounded() -> None:
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["pool"]["check"] is not None
    assert options["connect_timeout"] == settings.DATABASE_CONNECT_TIMEOUT
    assert options["tcp_user_timeout"] == settings.DATABASE_NETWORK_TIMEOUT * 1000
