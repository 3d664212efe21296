"""The week board of a 12-member team with 400 visits: time to answer, and SQL queries.

Renders the page (one day's visits), a day's fragment (a day tab, a live refresh) and one
visit's row (after an assignment, a live refresh of that visit) through Django (middleware,
scoping, rules, template), as a tablet asks for them, on a scratch database:

    DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python bench/week_board.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careteams.settings")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from rota_data import MONDAY, build_team  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    team, user = build_team(members=args.members, visits=args.visits)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = reverse("scheduling:week", kwargs={"team_id": team.id, "week": MONDAY.isoformat()})
    visit = team.visits.order_by("planned_start").first()
    assert visit is not None
    row = reverse(
        "scheduling:visit-row",
        kwargs={"team_id": team.id, "week": MONDAY.isoformat(), "visit_id": visit.id},
    )
    targets = {"page": url, "day": f"{url}?part=day&day={MONDAY.isoformat()}", "row": row}
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # request_started resets connection.queries, so count with a wrapper instead.
    with connection.execute_wrapper(count):
        first = client.get(url)
    assert first.status_code == 200, first.status_code
    timings: dict[str, list[float]] = {name: [] for name in targets}
    sizes: dict[str, int] = {}
    for _ in range(args.runs):
        for name, target in targets.items():
            reset_queries()
            started = time.perf_counter()
            response = client.get(target)
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 200
            sizes[name] = len(response.content)
    print(
        f"database: {connection.vendor}; {args.members} members, {args.visits} visits; "
        f"{len(queries)} queries; page {len(first.content) // 1024} KiB"
    )
    print("request | p50 ms | p95 ms | KiB")
    for name, values in timings.items():
        q = statistics.quantiles(values, n=20)
        print(
            f"{name:7s} | {statistics.median(values) * 1000:6.0f} | {q[18] * 1000:6.0f} | "
            f"{sizes[name] / 1024:5.1f}"
        )


if __name__ == "__main__":
    main()
