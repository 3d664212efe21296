"""nginx in front of the app (deploy/nginx.conf): its own refusals and gateway errors under
/api/ are RFC 9457 problem+json, the app's own answers pass through untouched.

Each test starts Debian's nginx on a free port with the deploy configuration, its TLS lines
taken out (no certificate here) and its upstream pointed at a port the test chooses: closed
(502), silent (504) or a small stand-in for the app.
"""

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config.asgi_workers import free_port
from tests.environment import unavailable

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
PROBLEM = "application/problem+json"


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(found, os.X_OK):
        # `make test` installs it (scripts/install-nginx): in CI a missing nginx is a failure.
        unavailable("nginx is not installed: make nginx (scripts/install-nginx)")
    return found


def edited(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced: the deploy file must still say `old`, or the test is stale."""
    assert old in text, f"deploy/nginx.conf no longer has {old!r}"
    return text.replace(old, new)


def configuration(folder: Path, port: int, upstream: int, body_limit: str) -> Path:
    site = DEPLOY.read_text()
    site = edited(site, "listen 443 ssl;", f"listen 127.0.0.1:{port};")
    site = edited(site, "listen 80;", f"listen 127.0.0.1:{free_port()};")
    site = edited(site, "server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream};")
    site = edited(site, "client_max_body_size 3m;", f"client_max_body_size {body_limit};")
    site = edited(site, "proxy_read_timeout 75s;", "proxy_read_timeout 1s;")
    # nginx 1.22 (Debian 12) has no `http2 on;` (1.25.1); this test speaks HTTP/1.1 in clear.
    for tls in ("http2 on;", "ssl_certificate ", "ssl_certificate_key "):
        site = "\n".join(line for line in site.splitlines() if tls not in line)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nmaster_process off;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\nevents {{ worker_connections 64; }}\n"
        f"http {{\naccess_log off;\n{temp}\nuwsgi_temp_path {folder / 'uwsgi'};\n"
        f"scgi_temp_path {folder / 'scgi'};\n{site}\n}}\n"
    )
    return main


@contextmanager
def running_nginx(tmp_path: Path, upstream: int, body_limit: str = "3m") -> Iterator[int]:
    """nginx with the deploy configuration on a free port (yielded), its app at `upstream`."""
    binary = nginx_binary()
    port = free_port()
    conf = configuration(tmp_path, port, upstream, body_limit)
    command = [binary, "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)]
    checked = subprocess.run([*command, "-t"], capture_output=True, check=False)  # noqa: S603
    assert checked.returncode == 0, checked.stderr.decode()
    # nginx reads NGINX from its environment as sockets to inherit.
    env = {name: value for name, value in os.environ.items() if name != "NGINX"}
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def closed_upstream(tmp_path: Path) -> Iterator[int]:
    """nginx whose app is down: nothing listens on the upstream port."""
    with running_nginx(tmp_path, free_port(), body_limit="1k") as port:
        yield port


@pytest.fixture
def silent_upstream(tmp_path: Path) -> Iterator[int]:
    """nginx whose app accepts the connection and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        with running_nginx(tmp_path, listener.getsockname()[1]) as port:
            yield port
    finally:
        listener.close()


class StandIn(BaseHTTPRequestHandler):
    """The app's own error answers: a 503 in problem+json under /api/, a 404 page elsewhere."""

    def do_GET(self) -> None:  # http.server names it
        if self.path.startswith("/api/"):
            body, kind, status = b'{"title": "from the app"}', PROBLEM, 503
        else:
            body, kind, status = b"<p>the app's page</p>", "text/html", 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the answers."""


@pytest.fixture
def app_upstream(tmp_path: Path) -> Iterator[int]:
    app = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=app.serve_forever, daemon=True)
    thread.start()
    try:
        with running_nginx(tmp_path, app.server_address[1]) as port:
            yield port
    finally:
        app.shutdown()
        app.server_close()


def problem(response: http.client.HTTPResponse, body: bytes, status: int) -> dict[str, object]:
    assert response.status == status
    assert response.getheader("Content-Type") == PROBLEM
    found = json.loads(body)
    assert found["status"] == status
    assert found["title"]
    assert found["detail"]
    return dict(found)


def exchange(
    port: int, method: str, path: str, body: bytes | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    return response, response.read()


def test_the_api_answers_problem_json_when_the_app_is_down(closed_upstream: int) -> None:
    response, body = exchange(closed_upstream, "GET", "/api/v1/me")
    problem(response, body, 502)
    assert response.getheader("Retry-After") == "30"


def test_the_api_answers_problem_json_when_the_app_is_too_slow(silent_upstream: int) -> None:
    response, body = exchange(silent_upstream, "GET", "/api/v1/me")
    problem(response, body, 504)


def test_a_body_over_nginxs_limit_is_problem_json_under_the_api(closed_upstream: int) -> None:
    response, body = exchange(closed_upstream, "POST", "/api/v1/sync/push", b"x" * 4096)
    problem(response, body, 413)


def test_a_request_line_over_nginxs_buffers_is_problem_json_under_the_api_only(
    closed_upstream: int,
) -> None:
    query = "?q=" + "a" * 40_000
    response, body = exchange(closed_upstream, "GET", "/api/v1/clients" + query)
    problem(response, body, 414)
    page, _ = exchange(closed_upstream, "GET", "/clients/" + query)
    assert page.status == 414
    assert page.getheader("Content-Type") == "text/html"


def test_a_malformed_request_is_problem_json_under_the_api(closed_upstream: int) -> None:
    with socket.create_connection(("127.0.0.1", closed_upstream), timeout=10) as raw:
        raw.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
        answer = raw.recv(65536).decode()
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 400")
    assert f"Content-Type: {PROBLEM}" in head
    assert json.loads(body)["status"] == 400


def test_the_apps_own_errors_pass_through_untouched(app_upstream: int) -> None:
    response, body = exchange(app_upstream, "GET", "/api/v1/me")
    assert response.status == 503
    assert json.loads(body) == {"title": "from the app"}
    page, html = exchange(app_upstream, "GET", "/clients/")
    assert page.status == 404
    assert html == b"<p>the app's page</p>"


def test_headers_over_nginxs_buffers_are_problem_json_under_the_api(closed_upstream: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", closed_upstream, timeout=10)
    connection.request("GET", "/api/v1/me", headers={"Cookie": "a=" + "b" * 40_000})
    response = connection.getresponse()
    problem(response, response.read(), 400)


def test_every_answer_nginx_writes_itself_is_a_problem_for_its_status() -> None:
    """Checked without nginx too: each body in the configuration is RFC 9457 JSON whose
    status is the one it is sent with."""
    bodies = re.findall(r"return (\d{3}) '([^']*)';", DEPLOY.read_text())
    assert {int(status) for status, _ in bodies} == {400, 413, 414, 502, 503, 504}
    for status, body in bodies:
        found = json.loads(body)
        assert found["status"] == int(status)
        assert found["title"]
        assert found["detail"]
