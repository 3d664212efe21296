"""Load bench: every hot path of issue 16 and a bare ninja endpoint, served as in production
(workers behind nginx, PostgreSQL, Redis, DEBUG off), measured from outside with wrk, in one run.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_load
    export REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python bench/load/run.py --out bench/results/load.json
    .venv/bin/python bench/load/run.py --seconds 3 --runs 1           # a quick look
    .venv/bin/python bench/load/run.py --compare at-10.json at-1000.json

Each path is measured `--runs` times for `--seconds` with `--connections` concurrent
connections (one wrk thread each); runs go round the paths, so that drift touches all of them
alike, and each figure is the median of the runs. Before measuring, the runner signs in up to
`--users` members across the teams straight in the database (a page session and a device token
each; bench/load/credentials.py), and each connection asks as its own members in turn. It
installs wrk and nginx with apt-get when they are missing (as root), collects the static files
(DEBUG off serves them hashed), and stops everything it started on exit, Ctrl-C included.
"""

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import results, stack  # noqa: E402

LUA = HERE / "requests.lua"


@dataclass(frozen=True)
class HotPath:
    key: str
    label: str
    door: str  # "api" (device token), "page" (session cookie) or "bare" (nothing)
    urls: Callable[[Any], list[str]]


def _clients(user: Any, shape: str) -> list[str]:
    return [shape.format(c) for c in user.client_ids]


PATHS = [
    HotPath(results.BARE, "bare ninja endpoint", "bare", lambda u: ["/api/v1/ping"]),
    HotPath("api-my-day", "API my day", "api", lambda u: [f"/api/v1/teams/{u.team_id}/my-day"]),
    HotPath("api-client", "API client record", "api", lambda u: _clients(u, "/api/v1/clients/{}")),
    HotPath(
        "api-sync-pull",
        "API sync pull (100 changes)",
        "api",
        lambda u: [
            f"/api/v1/sync/{u.team_id}/changes?"
            + urlencode({"after": u.sync_after, "incarnation": u.incarnation})
        ],
    ),
    HotPath(
        "api-week",
        "API team week",
        "api",
        lambda u: [f"/api/v1/teams/{u.team_id}/week/{u.monday.isoformat()}"],
    ),
    HotPath(
        "api-week-day",
        "API team week, one day (?day=)",
        "api",
        lambda u: [
            f"/api/v1/teams/{u.team_id}/week/{u.monday.isoformat()}?day={u.today.isoformat()}"
        ],
    ),
    HotPath("page-my-day", "page my day", "page", lambda u: [f"/teams/{u.team_id}/today/"]),
    HotPath("page-client", "page client record", "page", lambda u: _clients(u, "/clients/{}/")),
    HotPath(
        "page-week",
        "page week board",
        "page",
        lambda u: [f"/teams/{u.team_id}/week/{u.monday.isoformat()}/"],
    ),
]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each run (15)")
    parser.add_argument("--runs", type=int, default=3, help="runs per path; medians (3)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent (50)")
    parser.add_argument("--workers", type=int, default=2, help="HTTP worker processes (2)")
    parser.add_argument("--http", choices=("asgi", "wsgi"), default="asgi", help="(asgi)")
    parser.add_argument("--users", type=int, default=200, help="members signed in (200)")
    parser.add_argument("--timeout", type=int, default=60, help="wrk's request timeout, s (60)")
    parser.add_argument(
        "--paths",
        default="",
        help="comma-separated keys to measure (bare always): "
        + ", ".join(p.key for p in PATHS[1:]),
    )
    parser.add_argument(
        "--exact",
        action="store_true",
        help="one client asking in turn, every request timed by the runner, not wrk: the "
        "single-client latency (wrk corrects its times for coordinated omission, so with one "
        "connection a single stall fills its top percent)",
    )
    parser.add_argument("--out", type=Path, help="write the result to this .json and a .md")
    parser.add_argument("--keep", action="store_true", help="keep the run directory (logs)")
    parser.add_argument(
        "--compare", nargs=2, type=Path, metavar=("A", "B"), help="p99(B)/p99(A) per path"
    )
    args = parser.parse_args(argv)
    if args.exact:
        args.connections = 1
    if min(args.seconds, args.runs, args.connections, args.workers, args.users) < 1:
        parser.error("--seconds, --runs, --connections, --workers and --users must be positive")
    return args


def ensure_tools() -> None:
    missing = [
        name
        for name, found in (("wrk", shutil.which("wrk")), ("nginx", stack.nginx_binary()))
        if not found
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"Missing {' and '.join(missing)}: run bench/load/setup as root first.")
    print(f"Installing {' '.join(missing)} with apt-get ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", *missing], check=True)  # noqa: S603, S607


def bench_env() -> dict[str, str]:
    """The workers' environment: production settings, against this DATABASE_URL and REDIS_URL."""
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the bench serves as production).")
    if not redis.startswith("redis://"):
        sys.exit("Set REDIS_URL (the channel layer and cache, as in production).")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"}
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("LOG_LEVEL", "WARNING")
    # The bench's members sign in without the second factor that production asks staff to set
    # up; the check costs the same either way (a fact loaded with the user, no query).
    env["MFA_REQUIRED_FOR_STAFF"] = "0"
    return env


def commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def request_file(path: HotPath, users: list[Any], connections: int, run: Path, cookie: str) -> Path:
    rows: list[tuple[int, str, str, str]] = []
    for connection, indexes in enumerate(results.spread(len(users), connections)):
        for index in indexes:
            user = users[index]
            header = {
                "api": ("Authorization", f"Bearer {user.token}"),
                "page": ("Cookie", f"{cookie}={user.session_key}"),
                "bare": ("", ""),
            }[path.door]
            rows.extend((connection, url, *header) for url in path.urls(user))
    target = run / f"{path.key}.tsv"
    target.write_text(results.request_lines(rows))
    return target


def preflight(base: str, path: HotPath, lines: Path) -> None:
    """The first requests of two connections answer 2xx, or the bench stops saying why (a 302
    to the sign-in page means the session was not accepted)."""
    split = urlsplit(base)
    checked: set[str] = set()
    for line in lines.read_text().splitlines():
        connection, url, name, value = line.split("\t")
        if connection in checked or len(checked) == 2:
            continue
        checked.add(connection)
        conn = http.client.HTTPConnection(split.hostname or "", split.port, timeout=120)
        conn.request("GET", url, headers={name: value} if name else {})
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        if not 200 <= answer.status < 300:
            raise stack.StackError(
                f"{path.label}: GET {url} answered {answer.status} "
                f"{answer.getheader('Location') or ''}\n{body[:600]!r}"
            )


def ping_ms(base: str) -> float:
    split = urlsplit(base)
    conn = http.client.HTTPConnection(split.hostname or "", split.port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", "/api/v1/ping")
    conn.getresponse().read()
    conn.close()
    return (time.perf_counter() - start) * 1000


def settle(base: str, quiet_ms: float, timeout: float = 300) -> None:
    """Wait until the workers have worked off what the last run left them: wrk stops waiting at
    the end of a run, but the requests it abandoned still run (a sync view cannot be cancelled)
    and would slow the next path down. Quiet is four pings in a row as fast as before the runs."""
    deadline = time.monotonic() + timeout
    streak = 0
    while time.monotonic() < deadline:
        streak = streak + 1 if ping_ms(base) <= quiet_ms else 0
        if streak == 4:
            return
        time.sleep(0.2)
    print(f"The workers were still busy {timeout:.0f} s after the run; going on.", flush=True)


@contextlib.contextmanager
def terminated_on_exit(proc: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()


def wrk(base: str, lines: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        shutil.which("wrk") or "wrk",
        "-t", str(args.connections),
        "-c", str(args.connections),
        "-d", f"{args.seconds}s",
        "--timeout", f"{args.timeout}s",
        "-s", str(LUA),
        base,
        "--",
        str(lines),
    ]  # fmt: skip
    proc = subprocess.Popen(  # noqa: S603
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    with terminated_on_exit(proc):
        output, _ = proc.communicate()
    if proc.returncode != 0:
        raise stack.StackError(f"wrk exited with {proc.returncode}:\n{output[-2000:]}")
    return results.parse_wrk(output)


def exact(base: str, lines: Path, seconds: int) -> dict[str, Any]:
    """One keep-alive connection asking the lines in turn for `seconds`; every request timed
    from sending to the last byte. The same figures as `results.parse_wrk`."""
    split = urlsplit(base)
    conn = http.client.HTTPConnection(split.hostname or "", split.port, timeout=120)
    requests = [line.split("\t")[1:] for line in lines.read_text().splitlines()]
    times: list[float] = []
    statuses: dict[str, int] = {}
    size = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        url, name, value = requests[len(times) % len(requests)]
        sent = time.perf_counter()
        conn.request("GET", url, headers={name: value} if name else {})
        answer = conn.getresponse()
        size += len(answer.read()) + sum(len(k) + len(v) + 4 for k, v in answer.getheaders())
        times.append((time.perf_counter() - sent) * 1000)
        if not 200 <= answer.status < 300:
            statuses[str(answer.status)] = statuses.get(str(answer.status), 0) + 1
    elapsed = time.perf_counter() - started
    conn.close()
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    return {
        "requests": len(times),
        "rps": len(times) / elapsed,
        "p50_ms": cuts[49],
        "p99_ms": cuts[98],
        "bytes": size / len(times) if times else 0.0,
        "non2xx": sum(statuses.values()),
        "statuses": statuses,
        "socket_errors": 0,
        "timeouts": 0,
    }


def django_as_served() -> dict[str, str]:
    """The workers' environment, set in this process too and Django set up with it (sign-ins
    made here are bound to the workers' SECRET_KEY), and the static files collected (DEBUG off
    serves them by their hashed names, from the collected manifest). Returns the environment."""
    env = bench_env()
    os.environ.update(env)
    import django

    django.setup()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    return env


def measure(args: argparse.Namespace) -> dict[str, Any]:
    env = django_as_served()
    from django.conf import settings

    from bench.load import credentials

    wanted = {k for k in args.paths.split(",") if k} | {results.BARE}
    paths = [p for p in PATHS if not args.paths or p.key in wanted]
    credentials.revoke_leftovers()
    members = credentials.pick_members(args.users)
    if not members:
        sys.exit("No active team members in this database: load the demo or the scale world.")
    print(f"Signing in {len(members)} members ...", flush=True)
    users = credentials.sign_in(members)
    if not any(u.client_ids for u in users):
        print("No clients in these teams: the client paths are left out.")
        paths = [p for p in paths if p.key not in ("api-client", "page-client")]
    run = Path(tempfile.mkdtemp(prefix="loadbench-"))
    try:
        cookie = settings.SESSION_COOKIE_NAME
        files = {p.key: request_file(p, users, args.connections, run, cookie) for p in paths}
        size = credentials.world_size()
        meta = {
            **size,
            "users": len(users),
            "user_teams": len({u.team_id for u in users}),
            "connections": args.connections,
            "seconds": args.seconds,
            "runs": args.runs,
            "workers": args.workers,
            "http": args.http,
            "exact": args.exact,
            "pool_max": int(env.get("DATABASE_POOL_MAX", "10")),
            "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit(),
        }
        with stack.serve(run, env, args.http, args.workers) as (base, served):
            for p in paths:
                preflight(base, p, files[p.key])
            quiet_ms = max(50.0, 3 * statistics.median(ping_ms(base) for _ in range(9)))
            found: dict[str, list[dict[str, Any]]] = {p.key: [] for p in paths}
            for n in range(args.runs):
                for p in paths:
                    served.check_alive()
                    settle(base, quiet_ms)
                    app, database = served.app_cpu(), stack.postgres_cpu()
                    figures = (
                        exact(base, files[p.key], args.seconds)
                        if args.exact
                        else wrk(base, files[p.key], args)
                    )
                    answered = max(1, figures["requests"])
                    figures["app_cpu_ms"] = (served.app_cpu() - app) * 1000 / answered
                    figures["db_cpu_ms"] = (stack.postgres_cpu() - database) * 1000 / answered
                    found[p.key].append(figures)
                    print(
                        f"run {n + 1}/{args.runs} {p.label}: {figures['rps']:.0f} rps, "
                        f"p99 {results.milliseconds(figures['p99_ms'] or None)} ms, "
                        f"{figures['non2xx']} non-2xx",
                        flush=True,
                    )
        measured = {
            p.key: {
                "label": p.label,
                "runs": found[p.key],
                "median": results.summarise(found[p.key]),
            }
            for p in paths
        }
        return {"meta": meta, "paths": results.with_shares(measured)}
    finally:
        credentials.sign_out(users)
        if args.keep:
            print(f"Logs and configuration kept in {run}")
        else:
            shutil.rmtree(run, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        print(results.compare(a, b))
        return
    if args.http == "wsgi" and (why := stack.gunicorn_missing()):
        sys.exit(why)
    ensure_tools()
    result = stack.run_guarded(lambda: measure(args))
    results.publish(result, results.markdown(result), args.out)


if __name__ == "__main__":
    main()
