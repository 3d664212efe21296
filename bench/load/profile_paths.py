"""The CPU of each hot path of the load bench (bench/load/run.py's PATHS), in this process: the
app's CPU per request (middleware, views, selectors, serialisation, templates) and PostgreSQL's,
and the queries, asked through Django's test client with production's settings (DEBUG off), one
request at a time and nothing else running. What the load bench measures from outside with
workers and a proxy in the way, without them: a change's effect on one path, in a minute.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_morning1000   # the scale world
    export REDIS_URL=redis://127.0.0.1:6379/4
    .venv/bin/python bench/load/profile_paths.py --users 20
    .venv/bin/python bench/load/profile_paths.py --users 10 --paths api-my-day --profile

Each member asks each of its path's URLs `--rounds` times (the first round warms the process
and is left out: a worker serving all day would have done that long before); the figures are
medians over the requests. Caches stay as a worker's would: kept between requests.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import stack  # noqa: E402
from bench.load.counting import Statements  # noqa: E402
from bench.load.run import PATHS, HotPath, django_as_served  # noqa: E402

Figure = tuple[float, float, int]  # app CPU s, PostgreSQL CPU s, queries


def _ask(
    client: Any, path: HotPath, user: Any, url: str, profiler: cProfile.Profile | None
) -> tuple[int, Figure]:
    from django.db import connection

    headers = {"HTTP_AUTHORIZATION": f"Bearer {user.token}"} if path.door == "api" else {}
    counter = Statements()
    database, started = stack.postgres_cpu(), time.process_time()
    with connection.execute_wrapper(counter):
        if profiler is not None:
            profiler.enable()
        response = client.get(url, secure=True, **headers)
        if profiler is not None:
            profiler.disable()
    cpu = time.process_time() - started
    return response.status_code, (cpu, stack.postgres_cpu() - database, counter.count)


def measure(
    paths: list[HotPath], users: list[Any], rounds: int, profiler: cProfile.Profile | None
) -> dict[str, list[Figure]]:
    from django.conf import settings
    from django.test import Client

    figures: dict[str, list[Figure]] = defaultdict(list)
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = user.session_key
        for path in paths:
            for n in range(rounds):
                for url in path.urls(user):
                    # The first round warms: not profiled, not counted.
                    status, figure = _ask(client, path, user, url, profiler if n else None)
                    if status != 200:
                        sys.exit(f"{path.key}: {url} answered {status}")
                    if n:
                        figures[path.key].append(figure)
    return figures


def table(paths: list[HotPath], figures: dict[str, list[Figure]]) -> str:
    rows = [
        "| path | requests | app CPU ms (median) | PostgreSQL CPU ms | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for path in paths:
        found = figures[path.key]
        app = statistics.median(f[0] for f in found) * 1000
        database = statistics.mean(f[1] for f in found) * 1000
        queries = statistics.mean(f[2] for f in found)
        rows.append(f"| {path.label} | {len(found)} | {app:.1f} | {database:.1f} | {queries:.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="members, of as many teams (20)")
    parser.add_argument("--rounds", type=int, default=4, help="asks per URL, the first warms (4)")
    parser.add_argument("--paths", default="", help="comma-separated keys (all but bare)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's functions")
    parser.add_argument("--top", type=int, default=40, help="functions of the profile (40)")
    args = parser.parse_args(argv)
    django_as_served()
    from bench.load import credentials

    wanted = {key for key in args.paths.split(",") if key}
    paths = [p for p in PATHS[1:] if not wanted or p.key in wanted]
    users = credentials.sign_in(credentials.pick_members(args.users))
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    try:
        figures = measure(paths, users, max(2, args.rounds), profiler)
    finally:
        credentials.sign_out(users)
    print(table(paths, figures))
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
