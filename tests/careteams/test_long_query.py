"""A 10,000-character query is refused by the app with a 414 it words itself: problem+json
under /api/, a plain page elsewhere; never gunicorn's HTML 414, and nginx (deploy/nginx.conf)
lets such a line through to the app."""

import http.client
import json
import os
import re
import runpy
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import translation

from careteams.faults import QUERY_STRING_MAX
from config.asgi_workers import database_url, free_port
from tests.careteams.test_proxy_nginx import running_nginx
from tests.conftest import Cast

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
LONG_QUERY = "?q=" + "a" * 10_000
PROBLEM = "application/problem+json"


@pytest.mark.django_db
def test_an_overlong_query_is_a_414_in_problem_json_under_the_api(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    response = client.get("/api/v1/clients" + LONG_QUERY)
    assert response.status_code == 414
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == 414
    assert body["title"] == "URI too long"
    assert f"{QUERY_STRING_MAX:,} characters" in body["detail"]


@pytest.mark.django_db
def test_an_overlong_query_is_a_plain_414_page_elsewhere(client: HttpClient) -> None:
    response = client.get("/accounts/login/" + LONG_QUERY)
    assert response.status_code == 414
    assert response["Content-Type"].startswith("text/html")
    assert b"The address is too long" in response.content


@pytest.mark.django_db
def test_the_414_page_is_in_the_readers_language_whatever_the_thread_answered_last(
    client: HttpClient,
) -> None:
    """The page is made before LocaleMiddleware chooses the language, by a thread that keeps the
    last request's: the reader's cookie or Accept-Language chooses it."""
    with translation.override("cy"):  # the thread's last request was in Cymraeg
        english = client.get("/accounts/login/" + LONG_QUERY, HTTP_ACCEPT_LANGUAGE="en-GB")
    welsh = client.get("/accounts/login/" + LONG_QUERY, HTTP_ACCEPT_LANGUAGE="cy")
    assert b"The address is too long" in english.content
    assert b'lang="cy"' in welsh.content
    assert b"The address is too long" not in welsh.content


@pytest.mark.django_db
def test_a_query_at_the_limit_is_answered_as_usual(client: HttpClient) -> None:
    response = client.get("/accounts/login/?q=" + "a" * (QUERY_STRING_MAX - 2))
    assert response.status_code == 200


def test_gunicorn_and_nginx_let_a_10000_character_query_through_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_POOL_MIN", "1")
    monkeypatch.delenv("DATABASE_POOL_MIN")  # taken back after the configuration sets it
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["limit_request_line"] == 0  # unlimited: gunicorn's own 414 is HTML
    buffers = re.search(
        r"large_client_header_buffers \d+ (\d+)k;", (DEPLOY / "nginx.conf").read_text()
    )
    assert buffers is not None
    assert int(buffers[1]) * 1024 > len(f"GET /api/v1/clients?{'a' * QUERY_STRING_MAX} HTTP/1.1")


@pytest.fixture
def gunicorn() -> Iterator[int]:
    """The production command line (deploy/gunicorn.conf.py) on a free port, on the test
    database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "DATABASE_POOL_MAX": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        str(DEPLOY / "gunicorn.conf.py"),
        "--no-control-socket",
    ]
    server = subprocess.Popen(  # noqa: S603 (a fixed command line)
        command, cwd=DEPLOY.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/accounts/login/")
                probe.getresponse().read()
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(30)


def get(port: int, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response, response.read()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_answers_a_10000_character_query_with_the_apps_414(gunicorn: int) -> None:
    response, body = get(gunicorn, "/api/v1/clients" + LONG_QUERY)
    assert response.status == 414
    assert response.getheader("Content-Type") == PROBLEM
    assert json.loads(body)["title"] == "URI too long"
    page, html = get(gunicorn, "/accounts/login/" + LONG_QUERY)
    assert page.status == 414
    assert b"The address is too long" in html


@pytest.mark.django_db(transaction=True)
def test_through_nginx_a_10000_character_query_reaches_the_apps_414(
    gunicorn: int, tmp_path: Path
) -> None:
    with running_nginx(tmp_path, gunicorn) as nginx:
        response, body = get(nginx, "/api/v1/clients" + LONG_QUERY)
        assert response.status == 414
        assert response.getheader("Content-Type") == PROBLEM
        assert f"{QUERY_STRING_MAX:,} characters" in json.loads(body)["detail"]
