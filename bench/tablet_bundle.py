"""Keeping a carer's day on the tablet: the pages one by one (as the tablet did) against the one
bundle (tablet/bundle.py), made afresh, from the cache, and the 304 of a repeat.

The world: a team whose carer has `--visits` visits today and as many tomorrow, spread over
`--clients` clients with an active care problem each; the tablet keeps My day (three URLs), each
visit's card, check-out and note page, each client's record and problem page (about 70 pages
with the defaults). Requests go through the whole Django stack in-process (middleware, session,
views, templates, the database), without a network or a server in front; bytes are the bodies as
sent (the bundle gzip-compressed, as the tablet's browser asks for it; the pages as they are).

    DATABASE_URL=sqlite:////tmp/careteams_bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/careteams_bench.sqlite3 .venv/bin/python bench/tablet_bundle.py

Without DATABASE_URL it runs on the SQLite file of settings (migrate it first).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.utils import timezone  # noqa: E402

from careteams.models import Membership, Role, Team, User  # noqa: E402
from clients.models import Client  # noqa: E402
from clients.services import care_plan  # noqa: E402
from scheduling.models import Visit, VisitAssignment  # noqa: E402
from tablet.selectors import keep_for  # noqa: E402


def world(visits: int, clients: int) -> tuple[Team, User]:
    stamp = uuid.uuid4().hex[:8]
    team = Team.objects.create(name=f"bench tablet {stamp}")
    nurse = User.objects.create_user(f"bench-n-{stamp}@example.test", None, first_name="Nia")
    carer = User.objects.create_user(f"bench-c-{stamp}@example.test", None, first_name="Cai")
    Membership.objects.create(user=nurse, team=team, role=Role.REGISTERED_NURSE)
    member = Membership.objects.create(user=carer, team=team, role=Role.CARE_WORKER)
    people = [
        Client.objects.create(team=team, given_name=f"Client {n}", family_name="Łoś")
        for n in range(clients)
    ]
    today = timezone.localdate(timezone=team.zone)
    for person in people:
        care_plan.problem_add(
            client=person,
            problem_code="22",
            scope="individual",
            severity="actual",
            signs_symptoms=["01"],
            identified_on=today - dt.timedelta(days=7),
            actor=nurse,
        )
    for day in range(2):
        for n in range(visits):
            start = dt.datetime.combine(
                today + dt.timedelta(days=day), dt.time(8 + n % 10, 0), tzinfo=team.zone
            )
            visit = Visit.objects.create(
                team=team,
                client=people[n % clients],
                planned_start=start,
                planned_end=start + dt.timedelta(minutes=30),
                tasks=["Tea", "Medication prompt"],
            )
            VisitAssignment.objects.create(visit=visit, member=member)
    return team, carer


def timed(runs: int, one: Callable[[], int]) -> tuple[float, int]:
    """The median seconds of `runs` runs, and the bytes of the last."""
    seconds, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = one()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--visits", type=int, default=8, help="a day, today and tomorrow")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    team, carer = world(args.visits, args.clients)
    http = HttpClient(HTTP_HOST="localhost")
    http.force_login(carer)
    urls = keep_for(user=carer, team_id=team.id).urls
    bundle = f"/tablet/teams/{team.id}/bundle.json"

    def pages() -> int:
        size = 0
        for url in urls:
            response = http.get(url)
            assert response.status_code == 200, (url, response.status_code)
            size += len(response.content)
        return size

    def fetch_bundle(fresh: bool, etag: str = "") -> int:
        if fresh:
            cache.clear()
        headers = {"Accept-Encoding": "gzip"} | ({"If-None-Match": etag} if etag else {})
        response = http.get(bundle, headers=headers)
        assert response.status_code in (200, 304), response.status_code
        return len(response.content)

    etag = http.get(bundle)["ETag"]
    rows = [
        (f"{len(urls)} pages one by one", *timed(args.runs, pages), len(urls)),
        ("bundle, made", *timed(args.runs, lambda: fetch_bundle(True)), 1),
        ("bundle, from the cache", *timed(args.runs, lambda: fetch_bundle(False)), 1),
        ("bundle, 304 (same ETag)", *timed(args.runs, lambda: fetch_bundle(False, etag)), 1),
    ]
    print(f"{'what':<26} {'median ms':>10} {'bytes':>10} {'requests':>9}")
    for name, seconds, size, requests in rows:
        print(f"{name:<26} {seconds * 1000:>10.1f} {size:>10,} {requests:>9}")
    plain = len(http.get(bundle).content)
    print(f"(the bundle without compression: {plain:,} bytes)")


if __name__ == "__main__":
    main()
