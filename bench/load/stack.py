"""The app served as in production, for the load bench: workers behind nginx.

- `asgi`: N daphne processes serve HTTP and `/ws/` (README.md, "Production deployment").
- `wsgi`: gunicorn (`deploy/gunicorn.conf.py`, N workers) serves HTTP; one daphne serves `/ws/`.

nginx runs in the foreground from a generated configuration in a scratch directory (its own pid,
logs and temp files): upstream keep-alive as a production proxy would, `X-Forwarded-Proto:
https` as after TLS termination. Every process is started in its own session (a Ctrl-C in the
terminal reaches only the runner, which then stops them in order) and stopped on exit.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"

NGINX_CONF = """\
worker_processes auto;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 3m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream careteams_http {{
{http_servers}
        keepalive 64;
    }}
    upstream careteams_ws {{
{ws_servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location /ws/ {{
            proxy_pass http://careteams_ws;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://careteams_http;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


class StackError(RuntimeError):
    pass


def _processes() -> Iterator[tuple[str, int, float]]:
    """Every process's name, session and CPU seconds so far (utime + stime), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        yield name, int(fields[3]), (int(fields[11]) + int(fields[12])) / tick


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (the bench's database server)."""
    return sum(cpu for name, _, cpu in _processes() if name == "postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def nginx_conf(run: Path, port: int, http_ports: list[int], ws_ports: list[int]) -> str:
    def servers(ports: list[int]) -> str:
        return "\n".join(f"        server 127.0.0.1:{p};" for p in ports)

    return NGINX_CONF.format(
        run=run, port=port, http_servers=servers(http_ports), ws_servers=servers(ws_ports)
    )


class Stack:
    """Processes started for one bench, stopped together; their output in the run directory."""

    def __init__(self, run: Path, env: Mapping[str, str]) -> None:
        self.run = run
        self.env = dict(env)
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], port: int | None) -> None:
        log = (self.run / f"{name}.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603 (our own command lines)
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.procs.append((name, proc))
        if port is not None:
            self.wait_for(name, proc, port)

    def wait_for(
        self, name: str, proc: subprocess.Popen[bytes], port: int, timeout: float = 60
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StackError(f"{name} exited with code {proc.returncode}:\n{self.tail(name)}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise StackError(f"{name} did not listen on {port} within {timeout:.0f} s")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.run / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def app_cpu(self) -> float:
        """CPU seconds used so far by the app's processes (gunicorn and its workers, daphne),
        each started in a session of its own; nginx is not counted."""
        sessions = {proc.pid for name, proc in self.procs if name != "nginx"}
        return sum(cpu for _, session, cpu in _processes() if session in sessions)

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise StackError(f"{name} exited with code {proc.returncode}:\n{self.tail(name)}")

    def stop(self) -> None:
        # The proxy first, then the workers. gunicorn lets requests in flight finish for up to
        # its graceful_timeout (30 s): wait a little longer than that before killing.
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        for _, proc in reversed(self.procs):
            try:
                proc.wait(35)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def daphne(port: int) -> list[str]:
    return [
        str(VENV_BIN / "daphne"),
        "-b",
        "127.0.0.1",
        "-p",
        str(port),
        "--proxy-headers",
        "config.asgi:application",
    ]


def gunicorn_missing() -> str:
    """Why `--http wsgi` cannot run here ("" when it can)."""
    if not (VENV_BIN / "gunicorn").exists():
        return (
            f"--http wsgi needs gunicorn, and {VENV_BIN / 'gunicorn'} is missing: install the "
            "locked dependencies (pip install --require-hashes -r requirements.lock) once "
            "gunicorn is among them."
        )
    if not GUNICORN_CONF.exists():
        return f"--http wsgi needs {GUNICORN_CONF.relative_to(ROOT)}, which is missing."
    if not (ROOT / "config" / "wsgi.py").exists():
        return "--http wsgi needs config/wsgi.py, which is missing."
    return ""


@contextlib.contextmanager
def serve(
    run: Path, env: Mapping[str, str], http: str, workers: int
) -> Iterator[tuple[str, Stack]]:
    """The app behind nginx; yields its base URL and the stack."""
    nginx = nginx_binary()
    if nginx is None:
        raise StackError("nginx is missing: run bench/load/setup (apt-get install -y nginx).")
    # nginx's workers (www-data when started as root) must reach their temp paths in here.
    run.chmod(0o755)
    stack = Stack(run, env)
    try:
        if http == "asgi":
            http_ports = [free_port() for _ in range(workers)]
            for n, port in enumerate(http_ports):
                stack.start(f"daphne-{n + 1}", daphne(port), port)
            ws_ports = http_ports
        else:
            http_ports = [free_port()]
            command = [
                str(VENV_BIN / "gunicorn"),
                "-c",
                str(GUNICORN_CONF),
                "--bind",
                f"127.0.0.1:{http_ports[0]}",
                "--workers",
                str(workers),
                "config.wsgi:application",
            ]
            stack.start("gunicorn", command, http_ports[0])
            ws_ports = [free_port()]
            stack.start("daphne-ws", daphne(ws_ports[0]), ws_ports[0])
        port = free_port()
        (run / "nginx.conf").write_text(nginx_conf(run, port, http_ports, ws_ports))
        stack.start(
            "nginx",
            [
                nginx,
                "-p",
                str(run),
                "-e",
                str(run / "nginx-error.log"),
                "-c",
                str(run / "nginx.conf"),
            ],
            port,
        )
        yield f"http://127.0.0.1:{port}", stack
    finally:
        stack.stop()


def run_guarded[T](measure: Callable[[], T]) -> T:
    """A bench's measurement, ended cleanly by Ctrl-C or SIGTERM (its `serve` block stops the
    processes, its own `finally` ends its sign-ins) or by a stack that failed."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        return measure()
    except StackError as exc:
        sys.exit(f"The bench stopped: {exc}")
    except KeyboardInterrupt:
        print("\nInterrupted: workers and nginx stopped, the bench's sign-ins ended.")
        sys.exit(130)
