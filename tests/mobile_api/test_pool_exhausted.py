"""When every pooled connection is taken for longer than the pool's timeout, a request is a 503
with Retry-After (problem+json under /api/, a plain page elsewhere), never a 500; once the
connection comes back, requests are served again. PostgreSQL only: SQLite has no pool."""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.urls import reverse

from careteams.faults import is_pool_exhausted
from tests.conftest import Cast
from tests.mobile_api.conftest import is_problem
from tests.mobile_api.test_database_faults import api, in_thread, page, signed_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no pool"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def a_pool_of_one() -> Iterator[None]:
    """A pool of one connection that gives up waiting after half a second, made fresh for the
    test and the usual one made again after it."""
    database: DatabaseWrapper = connections["default"]  # type: ignore[assignment]
    options = database.settings_dict["OPTIONS"]
    usual = options["pool"]
    database.close()
    database.close_pool()
    options["pool"] = {**usual, "min_size": 1, "max_size": 1, "timeout": 0.5}
    try:
        yield
    finally:
        database.close()
        database.close_pool()
        options["pool"] = usual


def holding_the_only_connection(work: Callable[[], Any]) -> Any:
    """Run `work` as a request of its own while another thread holds the pool's connection."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            connection.ensure_connection()
            taken.set()
            done.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10), "the holder did not get the connection"
        return in_thread(work)
    finally:
        done.set()
        holder.join(30)


def test_an_api_request_finding_no_free_connection_gets_a_503_problem(
    cast: Cast,
    signed_in: tuple[dict[str, str], str],  # noqa: F811
    a_pool_of_one: None,
) -> None:
    _cookies, token = signed_in
    answer = holding_the_only_connection(api(token, f"/clients/{cast.client.id}"))
    problem = is_problem(answer, 503)
    assert answer["Retry-After"].isdigit()
    assert "try again" in problem["detail"]
    # The connection is free again: the same member reads the record, another team's
    # member still gets 404.
    assert in_thread(api(token, f"/clients/{cast.client.id}")).status_code == 200
    assert in_thread(api(token, f"/clients/{cast.other_team_client.id}")).status_code == 404


def test_a_page_finding_no_free_connection_gets_a_plain_503_page(
    cast: Cast,
    signed_in: tuple[dict[str, str], str],  # noqa: F811
    a_pool_of_one: None,
) -> None:
    cookies, _token = signed_in
    team_page = reverse("team-home", kwargs={"team_id": cast.team.id})
    answer = holding_the_only_connection(page(cookies, team_page))
    assert answer.status_code == 503
    assert answer["Retry-After"].isdigit()
    assert "try again" in answer.content.decode()
    assert in_thread(page(cookies, team_page)).status_code == 200


def test_the_pool_timeout_is_told_apart_from_other_database_faults(
    cast: Cast, a_pool_of_one: None
) -> None:
    def draw() -> list[BaseException]:
        try:
            connection.ensure_connection()
        except Exception as error:
            return [error]
        return []

    [error] = holding_the_only_connection(draw)
    assert is_pool_exhausted(error)
    assert not is_pool_exhausted(ValueError("not a database fault"))
