"""Start real ASGI worker processes (daphne) for the tests and benchmarks that must cross a
process boundary, as production does: a write served by one worker, a socket held by another."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """DATABASE_URL for a connection's settings, e.g. to point workers at the test database."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict["USER"], settings_dict["PASSWORD"] or ""
    host, port = settings_dict["HOST"], settings_dict["PORT"]
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the worker on port {port} exited with code {proc.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the worker on port {port} did not start within {timeout:.0f} s")


@contextlib.contextmanager
def asgi_workers(ports: list[int], env: Mapping[str, str], timeout: float = 30) -> Iterator[None]:
    """Daphne workers on 127.0.0.1:<port>, one per port, stopped on exit."""
    daphne = Path(sys.executable).with_name("daphne")
    procs = [
        subprocess.Popen(  # noqa: S603 (a fixed command line, no user input)
            [str(daphne), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_for(port, proc, timeout)
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                # Open sockets hold daphne up to its application close timeout (10 s): these
                # workers keep nothing, so they are not waited for that long.
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
