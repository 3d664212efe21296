"""Where a morning's CPU goes, kind of request by kind (issue 29): the morning-peak bench's
carer's morning (bench/load/morning.py) run in this process through Django's test client, one
request at a time and nothing else running, with production's settings (DEBUG off). Each
request is timed in this process's CPU (the app's Python: middleware, views, services,
serialisation) and in PostgreSQL's, and its queries are counted; `--profile KIND` prints
cProfile's functions for the requests of that kind.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_morning1000   # the scale world
    export REDIS_URL=redis://127.0.0.1:6379/4
    .venv/bin/python bench/load/profile_morning.py --carers 30
    .venv/bin/python bench/load/profile_morning.py --carers 10 --profile "check in"
    .venv/bin/python bench/load/profile_morning.py --carers 2 --sql "task outcome"

Each carer does one morning (their visits are done after it), as in the bench: no socket, no
pause between steps. The app runs in the event loop's thread (DJANGO_ALLOW_ASYNC_UNSAFE: this
runner, not the app, is asynchronous).
"""

import argparse
import asyncio
import cProfile
import io
import os
import pstats
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
from bench.load.morning import morning  # noqa: E402
from bench.load.morning_http import Tally  # noqa: E402
from bench.load.run import bench_env  # noqa: E402


class InProcess:
    """Asks the app in this process, as `morning_http.Connection` asks it over HTTP."""

    def __init__(self, tally: Tally, figures: dict[str, list[tuple[float, float, int]]]) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.tally, self.figures = tally, figures
        self.profiled: str | None = None
        self.shown: str | None = None
        self.profiler = cProfile.Profile(time.process_time)

    async def close(self) -> None:
        """Give back the morning's database connection: Django keeps one per task context, and
        each `asyncio.run` is a new one, whose connection would otherwise stay open."""
        from django.db import connection

        connection.close()

    async def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        token: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        import json

        from django.db import connection

        data = "" if body is None else json.dumps(body)
        database, started, wall = stack.postgres_cpu(), time.process_time(), time.perf_counter()
        queries = Statements(keep=kind == self.shown)
        with connection.execute_wrapper(queries):
            if self.profiled in (kind, "every"):
                self.profiler.enable()
            response = self.client.generic(
                method,
                path,
                data,
                content_type="application/json",
                secure=True,
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            if self.profiled in (kind, "every"):
                self.profiler.disable()
        cpu, ms = time.process_time() - started, (time.perf_counter() - wall) * 1000
        self.figures[kind].append((cpu, stack.postgres_cpu() - database, queries.count))
        self.tally.add(kind, ms, response.status_code)
        if kind == self.shown:
            # The statements of one request of that kind, once.
            self.shown = None
            print(f"{queries.count} statements of {kind!r} ({method} {path}):")
            for sql in queries.kept or []:
                print(f"  {sql[:400]}")
        content = response.content
        return response.status_code, json.loads(content) if content else None


def table(figures: dict[str, list[tuple[float, float, int]]], tally: Tally) -> str:
    rows = [
        "| request | count | app CPU ms | PostgreSQL CPU ms | queries | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    total = [0.0, 0.0, 0]
    for kind in sorted(figures, key=lambda k: -sum(f[0] for f in figures[k])):
        found = figures[kind]
        n = len(found)
        cpu, database, queries = (sum(f[i] for f in found) for i in range(3))
        total = [total[0] + cpu, total[1] + database, total[2] + n]
        statuses = sum(tally.statuses.get(kind, {}).values())
        rows.append(
            f"| {kind} | {n} | {cpu * 1000 / n:.1f} | {database * 1000 / n:.1f} "
            f"| {queries / n:.1f} | {statuses} |"
        )
    n = max(1, int(total[2]))
    rows.append(
        f"| every request | {n} | {total[0] * 1000 / n:.1f} | {total[1] * 1000 / n:.1f} | | |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--carers", type=int, default=31, help="mornings, the first to warm (31)")
    parser.add_argument("--visits", type=int, default=3, help="visits of each morning (3)")
    parser.add_argument(
        "--profile", metavar="KIND", help='e.g. "check in": its cProfile ("every": all kinds)'
    )
    parser.add_argument("--sql", metavar="KIND", help="print the statements of one such request")
    parser.add_argument("--top", type=int, default=30, help="functions of the profile (30)")
    args = parser.parse_args(argv)
    os.environ.update(bench_env())
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    import django

    django.setup()
    from bench.load import morning_people

    people = morning_people.sign_in(carers=args.carers, planners=0, readers=0)
    tally = Tally()
    figures: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    connection = InProcess(tally, figures)
    connection.profiled = args.profile
    sequence = argparse.Namespace(think=0.0, timeout=30.0, visits=args.visits, no_sockets=True)
    try:
        for n, carer in enumerate(people.carers):
            asyncio.run(morning("http://127.0.0.1", carer, tally, sequence, connection))
            if n == 0:
                # The first morning warms the process (imports, URL patterns, translations):
                # left out, as a worker serving all morning would have done it long before.
                figures.clear()
                tally.times.clear()
                tally.statuses.clear()
                connection.profiler = cProfile.Profile(time.process_time)
                connection.shown = args.sql
    finally:
        morning_people.sign_out(people)
    print(f"{len(people.carers) - 1} mornings, {args.visits} visits each, in one process:\n")
    print(table(figures, tally))
    if args.profile:
        out = io.StringIO()
        stats = pstats.Stats(connection.profiler, stream=out).sort_stats("cumulative")
        # The project's own functions (not the libraries'), by time spent in them and below.
        stats.print_stats(rf"^{ROOT}/(?!\.venv)", args.top)
        print(f"\ncProfile of {args.profile!r}:\n{out.getvalue()}")


if __name__ == "__main__":
    main()
