"""A redis-server of a test's own, on a free port, that the test may kill, hang and restart.

Fault tests never touch the shared Redis: they start one of these (skipped when redis-server
is not installed) and point the cache and the channel layer at it with the settings production
would derive from `REDIS_URL`.
"""

import runpy
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from config.asgi_workers import ROOT, free_port
from tests.environment import unavailable


class RedisServer:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        """Redis is down: connections are refused."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(5)
            self.proc = None

    def hang(self) -> None:
        """Redis hangs: connections are accepted by the kernel, nothing is ever answered."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.kill()
        self.start()


def production_redis_settings(monkeypatch: pytest.MonkeyPatch, url: str) -> dict[str, Any]:
    """CACHES and CHANNEL_LAYERS exactly as config/settings.py makes them for REDIS_URL."""
    monkeypatch.setenv("REDIS_URL", url)
    module = runpy.run_path(str(ROOT / "config" / "settings.py"))
    return {"CACHES": module["CACHES"], "CHANNEL_LAYERS": module["CHANNEL_LAYERS"]}


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("needs redis-server installed")
    server = RedisServer(binary)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def on_own_redis(
    redis_server: RedisServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> RedisServer:
    """The cache and the channel layer on the test's own Redis, as production configures them."""
    for name, value in production_redis_settings(monkeypatch, redis_server.url).items():
        setattr(settings, name, value)
    cache.clear()
    return redis_server
