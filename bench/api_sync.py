"""Offline sync over the API: the time to pull 1,000 changes and to push 100 mutations.

Pulls are timed with the read log (one AccessEvent per client a pull carries: with the default
--clients 1000 every change is of a different client, 1,000 rows a pull, the worst case) and,
alternating with them, without it, to show what the read log costs.

Requests go through the whole Django stack in-process (middleware, token auth, ninja, the
feed's scoping, services, the database), without a network or an ASGI server in front.

    createdb -h 127.0.0.1 -U postgres careteams_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench \
        .venv/bin/python bench/api_sync.py --runs 30

Without DATABASE_URL it runs on the SQLite file of settings (migrate it first).
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careteams.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.utils import timezone  # noqa: E402

from careteams import access_log, changes  # noqa: E402
from careteams.models import Membership, Role, Team, User  # noqa: E402
from clients.models import Client  # noqa: E402
from mobile_api import tokens  # noqa: E402


def setup(feed_size: int, client_count: int) -> tuple[Team, Client, str]:
    stamp = uuid.uuid4().hex[:8]
    team = Team.objects.create(name=f"bench api {stamp}")
    user = User.objects.create_user(f"bench-{stamp}@example.test", None, first_name="Bench")
    Membership.objects.create(user=user, team=team, role=Role.REGISTERED_NURSE)
    client = Client.objects.create(team=team, given_name="Dafydd", family_name="Llŷr")
    with transaction.atomic():
        rows = [
            Client.objects.create(team=team, given_name=f"C{n}", family_name="Łoś")
            for n in range(min(client_count, feed_size))
        ]
        for n in range(feed_size):
            row = rows[n % len(rows)]
            changes.record(team=team, entity="client", obj=row, actor=user, client_id=row.id)
    return team, client, tokens.token_issue(user=user, name="bench").token


def _no_read_log(**kwargs: object) -> None:
    """Stands in for access_log.reads_record in the pulls timed without the read log."""


def quantiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100)
    return q[49] * 1000, q[98] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--mutations", type=int, default=100)
    parser.add_argument(
        "--clients", type=int, default=1000, help="The clients the changes are spread over."
    )
    args = parser.parse_args()
    settings.API_WRITE_RATE = (1_000_000, 60)
    team, client, token = setup(args.changes, args.clients)
    http = HttpClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    # One untimed request first: the first one in a process builds ninja's views and schemas.
    http.get(f"/api/v1/sync/{team.id}/changes", {"after": 0, "limit": 1})
    logged_read = access_log.reads_record
    pulls: dict[bool, list[float]] = {True: [], False: []}
    for run in range(args.runs * 2):
        logging = run % 2 == 0
        access_log.reads_record = logged_read if logging else _no_read_log
        started = time.perf_counter()
        response = http.get(f"/api/v1/sync/{team.id}/changes", {"after": 0, "limit": args.changes})
        pulls[logging].append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        assert len(response.json()["changes"]) == args.changes
    access_log.reads_record = logged_read

    pushes: list[float] = []
    for _ in range(args.runs):
        now = timezone.now() - dt.timedelta(minutes=5)
        batch = [
            {
                "mutation_id": str(uuid.uuid4()),
                "kind": "note.create",
                "recorded_at": now.isoformat(),
                "data": {"id": str(uuid.uuid4()), "client_id": str(client.id), "body": f"N{n}"},
            }
            for n in range(args.mutations)
        ]
        body = json.dumps({"mutations": batch})
        started = time.perf_counter()
        response = http.post(
            f"/api/v1/sync/{team.id}/mutations", body, content_type="application/json"
        )
        pushes.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        assert {r["status"] for r in response.json()["results"]} == {"applied"}

    vendor = connections["default"].vendor
    print(f"database: {vendor}; runs: {args.runs}; clients in the feed: {args.clients}")
    print("operation | p50 ms | p99 ms")
    for label, samples in (
        (f"pull {args.changes} changes, read log", pulls[True]),
        (f"pull {args.changes} changes, no read log", pulls[False]),
        (f"push {args.mutations} mutations", pushes),
    ):
        p50, p99 = quantiles(samples)
        print(f"{label} | {p50:.1f} | {p99:.1f}")


if __name__ == "__main__":
    main()
