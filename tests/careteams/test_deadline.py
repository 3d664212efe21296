"""No HTTP request runs past REQUEST_DEADLINE_SECONDS, which is shorter than the proxy's read
timeout: a request that waits on a lock or a slow statement is cut by PostgreSQL at its
deadline and answered 503 with Retry-After, not left running while nginx answers its own 504
page at 75 s; a statement asked for after the deadline never reaches the database; and the
connection goes back to the pool with its usual statement timeout."""

import re
import runpy
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client as HttpClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from accounts import tokens
from tests.conftest import Cast
from tests.mobile_api.conftest import API, is_problem
from tests.mobile_api.test_database_faults import api, in_thread, page, signed_in  # noqa: F401

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX_CONF = DEPLOY / "nginx.conf"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL cuts the statement"
)


@pytest.mark.django_db
def test_once_the_deadline_has_passed_no_statement_reaches_the_database(
    cast: Cast, settings: Settings
) -> None:
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(cast.nurse)
    token = tokens.token_issue(user=cast.nurse, name="Tablet").token
    settings.REQUEST_DEADLINE_SECONDS = 0
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})

    answer = browser.get(team_page)
    assert answer.status_code == 503
    assert answer["Retry-After"].isdigit()

    answer = HttpClient(raise_request_exception=False).get(
        f"{API}/me", headers={"Authorization": f"Bearer {token}"}
    )
    problem = is_problem(answer, 503)
    assert "try again" in problem["detail"]


def test_the_deadline_leaves_the_proxy_time_to_hear_the_answer() -> None:
    """The proxy's read timeout for HTTP (deploy/nginx.conf) is longer than the deadline plus
    the one wait the deadline does not cut: a pooled connection, asked for before a statement."""
    conf = NGINX_CONF.read_text()
    http = conf[conf.index("location / {") :]
    proxy_read = int(re.search(r"proxy_read_timeout (\d+)s;", http).group(1))  # type: ignore[union-attr]
    pool_wait = int(
        settings.DATABASES["default"].get("OPTIONS", {}).get("pool", {}).get("timeout", 0)
    )
    assert settings.REQUEST_DEADLINE_SECONDS + pool_wait < proxy_read


def test_a_restart_lets_requests_in_flight_run_to_their_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REQUEST_DEADLINE_SECONDS", "45")
    monkeypatch.delenv("GUNICORN_GRACEFUL_TIMEOUT", raising=False)
    # Set, then removed: monkeypatch then takes back what the configuration sets.
    monkeypatch.setenv("DATABASE_POOL_MIN", "1")
    monkeypatch.delenv("DATABASE_POOL_MIN")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["graceful_timeout"] == 45


@pytest.fixture
def a_pool_of_one() -> Iterator[None]:
    """One pooled connection, so that the next request is sure to draw the one the cut request
    gave back; the usual pool is made again afterwards."""
    database: DatabaseWrapper = connections["default"]  # type: ignore[assignment]
    options = database.settings_dict["OPTIONS"]
    usual = options["pool"]
    database.close()
    database.close_pool()
    options["pool"] = {**usual, "min_size": 1, "max_size": 1}
    try:
        yield
    finally:
        database.close()
        database.close_pool()
        options["pool"] = usual


def holding_the_team_table(locked: threading.Event, release: threading.Event) -> None:
    """Another session holds every team row, as a long write or a stuck request would, on a
    connection of its own outside the pool."""
    params = connections["default"].settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
    ) as holder:
        holder.execute("LOCK TABLE careteams_team IN ACCESS EXCLUSIVE MODE")
        locked.set()
        release.wait(60)
        holder.rollback()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_request_waiting_on_a_lock_is_answered_503_at_its_deadline(
    cast: Cast,
    signed_in: tuple[dict[str, str], str],  # noqa: F811
    settings: Settings,
    a_pool_of_one: None,
) -> None:
    cookies, token = signed_in
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})
    settings.REQUEST_DEADLINE_SECONDS = 1.5
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=holding_the_team_table, args=(locked, release))
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        answer = in_thread(page(cookies, team_page))
        took = time.monotonic() - started
        assert answer.status_code == 503
        assert answer["Retry-After"].isdigit()
        # The statement timeout (30 s) alone let it wait 30 s.
        assert took < 1.5 + 1.0, f"the request took {took:.1f} s"

        started = time.monotonic()
        problem = is_problem(in_thread(api(token, f"/teams/{cast.team.id}/clients")), 503)
        assert "try again" in problem["detail"]
        assert time.monotonic() - started < 1.5 + 1.0
    finally:
        release.set()
        holder.join(10)

    def statement_timeout() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            value: str = cursor.fetchone()[0]
        return value

    # The one pooled connection, given back by the cut requests, has its own timeout again.
    expected = settings.DATABASE_STATEMENT_TIMEOUT_MS
    assert in_thread(statement_timeout) in {f"{expected}ms", f"{expected // 1000}s"}
    assert in_thread(page(cookies, team_page)).status_code == 200
