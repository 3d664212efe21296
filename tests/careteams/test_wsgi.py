"""HTTP under WSGI (config/wsgi.py, served by gunicorn's threads) keeps the ASGI path's body
limit: a declared length over it is refused before Django runs, a chunked body (no
Content-Length) is cut at the limit with a 413, and one within the limit reaches Django whole
(Django's own WSGI handler would read it as empty)."""

import io
import json
import os
import runpy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from accounts import tokens
from config.wsgi import application, django_wsgi_app
from tests.conftest import PASSWORD, Cast

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


class NeverRead(io.RawIOBase):
    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the handler must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(
    app: Any, path: str, body: Any, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "localhost",
        "CONTENT_TYPE": "application/json",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    started: list[Any] = []
    chunks = app(environ, lambda status, items: started.append((status, items)))
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    status, items = started[0]
    return int(status.split()[0]), dict(items), content


CHUNKED = {"HTTP_TRANSFER_ENCODING": "chunked"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/auth/sign-in", "problem+json"), ("/accounts/login/", "text/html")],
)
def test_a_chunked_body_over_the_limit_is_cut_with_a_413(path: str, content_type: str) -> None:
    body = io.BytesIO(b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 65536))
    status, headers, content = call(application, path, body, CHUNKED)
    assert status == 413
    assert content_type in headers["Content-Type"]
    assert b"too large" in content.lower()
    assert body.tell() <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read() -> None:
    too_long = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    status, headers, _ = call(
        application, "/api/v1/auth/sign-in", NeverRead(), {"CONTENT_LENGTH": too_long}
    )
    assert status == 413
    assert "problem+json" in headers["Content-Type"]


@pytest.mark.django_db
def test_a_chunked_sign_in_within_the_limit_reaches_django_whole(cast: Cast) -> None:
    credentials = {"email": cast.nurse.email, "password": PASSWORD, "device_name": "Tablet"}
    wrong = {**credentials, "password": "not the password at all"}
    status, _, content = call(
        application, "/api/v1/auth/sign-in", io.BytesIO(json.dumps(credentials).encode()), CHUNKED
    )
    assert status == 201, content
    assert json.loads(content)["token"]
    status, _, _ = call(
        application, "/api/v1/auth/sign-in", io.BytesIO(json.dumps(wrong).encode()), CHUNKED
    )
    assert status == 401
    # Without the wrapper, Django reads no body at all from a chunked request.
    status, _, _ = call(
        django_wsgi_app,
        "/api/v1/auth/sign-in",
        io.BytesIO(json.dumps(credentials).encode()),
        CHUNKED,
    )
    assert status in {400, 422}


def test_gunicorn_gives_each_worker_as_many_threads_as_pooled_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_POOL_MAX", "12")
    monkeypatch.delenv("WEB_THREADS", raising=False)
    # Set, then removed: monkeypatch then takes back what the configuration sets (it would
    # leak into the daphne workers that later tests start, as a minimum above their maximum).
    monkeypatch.setenv("DATABASE_POOL_MIN", "1")
    monkeypatch.delenv("DATABASE_POOL_MIN")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 12
    assert conf["preload_app"] is False
    assert conf["accesslog"] is None
    assert os.environ["DATABASE_POOL_MIN"] == "12"


def test_gunicorn_refuses_more_threads_than_pooled_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_POOL_MAX", "4")
    monkeypatch.setenv("WEB_THREADS", "8")
    with pytest.raises(SystemExit, match="must not exceed"):
        runpy.run_path(str(GUNICORN_CONF))


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_pages_and_the_api_and_cuts_a_chunked_body(cast: Cast) -> None:
    """The production command line, on a free port, against the test database."""
    import http.client
    import subprocess
    import time

    from django.db import connection

    from config.asgi_workers import database_url, free_port

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "DATABASE_POOL_MAX": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [str(gunicorn), "-c", str(GUNICORN_CONF), "--no-control-socket"],
        cwd=GUNICORN_CONF.parents[1],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/accounts/login/")
                answer = probe.getresponse()
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert answer.status == 200
        answer.read()
        token = tokens.token_issue(user=cast.nurse, name="Tablet").token
        for client, status in ((cast.client, 200), (cast.other_team_client, 404)):
            probe.request(
                "GET", f"/api/v1/clients/{client.id}", headers={"Authorization": f"Bearer {token}"}
            )
            record = probe.getresponse()
            record.read()
            assert record.status == status
        chunks = (b"x" * 65536 for _ in range(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 65536 + 2))
        probe.request(
            "POST",
            "/api/v1/auth/sign-in",
            chunks,
            {"Content-Type": "application/json"},
            encode_chunked=True,
        )
        refused = probe.getresponse()
        assert refused.status == 413
        assert "problem+json" in refused.getheader("Content-Type", "")
    finally:
        server.terminate()
        server.wait(30)
