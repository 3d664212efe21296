"""The week board of a 12-member team with 400 visits: time to answer, and SQL queries.

Renders the page (one day's visits), a day's fragment (a day tab, a live refresh) and one
visit's row (after an assignment, a live refresh of that visit) through Django (middleware,
scoping, rules, template), as a tablet asks for them; then the API week (whole, and one day)
and the 304 answers of a live refresh and of the API week when nothing changed (If-None-Match).
Repeated reads without a change reuse the week's rule results (cached per feed position);
`--cold` clears the cache before each request to time the first read. `--writer 1` changes the
team's week once a second while the reads are timed (a carer put on and taken off a visit,
through the services, in a thread of its own: its after-commit refresh of the week's results is
timed as the writer's cost), and the reads' p99 is shown: the goal of issue 29 is a p99 of the
page and the API day of 60 ms or less at 1,000 teams. On a scratch database:

    DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/rota-bench.sqlite3 .venv/bin/python bench/week_board.py
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import tokens  # noqa: E402
from bench.rota_data import MONDAY, build_team  # noqa: E402
from careteams.errors import DomainError  # noqa: E402
from careteams.models import Membership, Team, User  # noqa: E402
from scheduling.models import Visit  # noqa: E402
from scheduling.services import visits  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold", action="store_true", help="empty the cache before each request")
    parser.add_argument("--only", default="", help="comma-separated request names to time")
    parser.add_argument(
        "--writer", type=float, default=0.0, help="seconds between the writer's changes (0: none)"
    )
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
    day = f"{url}?part=day&day={MONDAY.isoformat()}"
    api = f"/api/v1/teams/{team.id}/week/{MONDAY.isoformat()}"
    bearer = {"Authorization": f"Bearer {tokens.token_issue(user=user, name='bench').token}"}
    targets: dict[str, tuple[str, dict[str, str]]] = {
        "page": (url, {}),
        "day": (day, {}),
        "row": (row, {}),
        "api week": (api, bearer),
        "api day": (f"{api}?day={MONDAY.isoformat()}", bearer),
    }
    # The same with the tag of the copy just fetched: a live refresh with nothing changed.
    for name, (target, headers) in [*list(targets.items())[2:], ("day", (day, {}))]:
        tag = client.get(target, headers=headers).get("ETag")
        if tag:  # (a version of the app without ETags: no 304 to time)
            targets[f"{name} 304"] = (target, {**headers, "If-None-Match": tag})
    if args.only:
        targets = {k: v for k, v in targets.items() if k in args.only.split(",")}
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # request_started resets connection.queries, so count with a wrapper instead.
    with connection.execute_wrapper(count):
        first = client.get(url)
    assert first.status_code == 200, first.status_code
    timings: dict[str, list[float]] = {name: [] for name in targets}
    # CPU time of this process: on a shared machine, steadier than the wall clock.
    cpu: dict[str, list[float]] = {name: [] for name in targets}
    sizes: dict[str, int] = {}
    writer = Writer(team, user, every=args.writer) if args.writer else None
    for _ in range(args.runs):
        for name, (target, headers) in targets.items():
            if args.cold:
                cache.clear()
            reset_queries()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(target, headers=headers)
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
            assert response.status_code == (304 if "If-None-Match" in headers else 200)
            sizes[name] = len(response.content)
    print(
        f"database: {connection.vendor}; {args.members} members, {args.visits} visits; "
        f"{len(queries)} queries; page {len(first.content) // 1024} KiB"
    )
    print(f"cache: {'emptied before each request' if args.cold else 'kept'}")
    if writer is not None:
        writes = writer.stop()
        print(
            f"writer: {len(writes)} changes, each with its refresh: p50 "
            f"{statistics.median(writes) * 1000:.1f} ms, max {max(writes) * 1000:.1f} ms"
        )
    print("request      | p50 ms | p95 ms | p99 ms | CPU p50 ms | KiB")
    for name, values in timings.items():
        q = statistics.quantiles(values, n=100)
        print(
            f"{name:12s} | {statistics.median(values) * 1000:6.1f} | {q[94] * 1000:6.1f} | "
            f"{q[98] * 1000:6.1f} | {statistics.median(cpu[name]) * 1000:10.1f} | "
            f"{sizes[name] / 1024:5.1f}"
        )


class Writer:
    """Changes the team's week every `every` seconds in a thread of its own: a carer put on a
    visit of the week, then taken off again. Each change's time includes its after-commit
    refresh of the week's kept rule results, which runs in the writer's thread."""

    def __init__(self, team: Team, actor: User, *, every: float) -> None:
        self.team, self.actor, self.every = team, actor, every
        self.times: list[float] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        visit = Visit.objects.filter(team=self.team).order_by("planned_start").first()
        member = Membership.objects.active().filter(team=self.team).order_by("id").last()
        assert visit is not None
        assert member is not None
        try:
            while not self.done.wait(self.every):
                visit.refresh_from_db()
                started = time.perf_counter()
                try:
                    self._change(visit, member)
                except DomainError:
                    continue  # refused (the visit's places are full): try again next time
                self.times.append(time.perf_counter() - started)
        finally:
            connection.close()

    def _change(self, visit: Visit, member: Membership) -> None:
        if visit.assignments.filter(member=member).exists():
            visits.visit_unassign(
                visit=visit, version=visit.version, member=member, actor=self.actor
            )
        else:
            visits.visit_assign(visit=visit, version=visit.version, member=member, actor=self.actor)

    def stop(self) -> list[float]:
        self.done.set()
        self.thread.join()
        return self.times or [0.0]


if __name__ == "__main__":
    main()
