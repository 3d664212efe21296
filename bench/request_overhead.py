"""Request overhead: the time of one request through the whole Django stack (middleware,
session or token auth, scoping, the view, the template or JSON), and how much of it is SQL.

N requests in-process through Django's test client (no server, no network), for API my day and
page my day of a demo member with visits that day, and each path's query count. "SQL ms" is
the wall time inside the database driver, "other ms" the rest (the ORM building queries, the
view, rendering); "CPU ms" is this process's CPU time per request, which other processes on a
busy machine disturb much less than wall time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python manage.py demo_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python bench/request_overhead.py --requests 200

Without DATABASE_URL it runs on the SQLite file of settings (demo_data it first).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django's test client names the host "testserver".
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import tokens  # noqa: E402
from careteams.models import Membership  # noqa: E402
from scheduling.models import VisitAssignment  # noqa: E402


class SqlClock:
    """Adds up the time spent in the database driver (execute_wrapper)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def busiest_member() -> tuple[Membership, str]:
    """The active member with the most visits on one day, and that day."""
    row = (
        VisitAssignment.objects.filter(member__ended_at__isnull=True)
        .values("member_id", "visit__planned_start__date")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("No visits: run `manage.py demo_data` first.")
    member = Membership.objects.select_related("user", "team").get(pk=row["member_id"])
    return member, row["visit__planned_start__date"].isoformat()


def measure(get: Callable[[], Any], requests: int) -> dict[str, float]:
    for _ in range(5):  # warm: templates compiled, the session's bookkeeping, the pool
        response = get()
        assert response.status_code == 200, (response.status_code, response.content[:300])
    clock = SqlClock()
    times = []
    cpu_started = time.process_time()
    with connection.execute_wrapper(clock):
        for _ in range(requests):
            started = time.perf_counter()
            response = get()
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    cpu = time.process_time() - cpu_started
    total = sum(times)
    return {
        "ms": 1000 * total / requests,
        "p50": 1000 * statistics.median(times),
        "sql_ms": 1000 * clock.seconds / requests,
        "cpu_ms": 1000 * cpu / requests,
        "queries": clock.queries / requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    member, day = busiest_member()
    browser = HttpClient()
    browser.force_login(member.user)
    token = tokens.token_issue(user=member.user, name="bench").token
    api_url = f"/api/v1/teams/{member.team_id}/my-day?day={day}"
    page_url = reverse("scheduling:my-day", kwargs={"team_id": member.team_id}) + f"?day={day}"
    paths = {
        "API my day": lambda: browser.get(api_url, headers={"Authorization": f"Bearer {token}"}),
        "page my day": lambda: browser.get(page_url),
    }
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{engine}, {member.user} on {day}, {args.requests} requests each")
    heads = ("ms/request", "p50 ms", "SQL ms", "other ms", "CPU ms", "queries")
    print(f"{'path':<14} " + " ".join(f"{h:>10}" for h in heads))
    for name, get in paths.items():
        r = measure(get, args.requests)
        cells = (r["ms"], r["p50"], r["sql_ms"], r["ms"] - r["sql_ms"], r["cpu_ms"], r["queries"])
        print(f"{name:<14} " + " ".join(f"{c:>10.2f}" for c in cells))


if __name__ == "__main__":
    main()
