"""Offline sync over the API: the time to pull 1,000 changes and to push 100 mutations.

Pushes run in chunks of each of `--chunks` mutations a transaction (mobile_api.push.CHUNK; 1
is the old way, a transaction and an event per mutation; `50@0.05` is 50, or fewer once a
chunk has run 0.05 s, CHUNK_SECONDS), taking turns run by run so that the machine's load falls
on each alike. While they run, another member of the same team writes one
note at a time through the API, to show what the team row's lock, held for a whole chunk, costs
other writers; each of its writes counts for the push under way when it started, and the same
writer alone (`--writer` seconds, before the pushes) gives its baseline.

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
    # push only, before (a transaction per mutation) and after, with a writer beside it:
    DATABASE_URL=... .venv/bin/python bench/api_sync.py --runs 20 --pulls 0 --chunks 1,10,50,50@0.05

Without DATABASE_URL it runs on the SQLite file of settings (migrate it first).
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client as HttpClient  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import tokens  # noqa: E402
from careteams import access_log, changes  # noqa: E402
from careteams.models import Membership, Role, Team, User  # noqa: E402
from clients.models import Client  # noqa: E402
from mobile_api import push  # noqa: E402


def setup(feed_size: int, client_count: int) -> tuple[Team, Client, str, str]:
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
    writer = User.objects.create_user(f"bench-w-{stamp}@example.test", None, first_name="W")
    Membership.objects.create(user=writer, team=team, role=Role.REGISTERED_NURSE)
    return (
        team,
        client,
        tokens.token_issue(user=user, name="bench").token,
        tokens.token_issue(user=writer, name="bench writer").token,
    )


def note_batch(client: Client, size: int) -> str:
    now = timezone.now() - dt.timedelta(minutes=5)
    batch = [
        {
            "mutation_id": str(uuid.uuid4()),
            "kind": "note.create",
            "recorded_at": now.isoformat(),
            "data": {"id": str(uuid.uuid4()), "client_id": str(client.id), "body": f"N{n}"},
        }
        for n in range(size)
    ]
    return json.dumps({"mutations": batch})


class Writer(threading.Thread):
    """Another member of the team writing one note at a time (its own connection), as a
    colleague's tablet online would, until told to stop."""

    def __init__(self, team: Team, client: Client, token: str) -> None:
        super().__init__(daemon=True)
        self.url = f"/api/v1/clients/{client.id}/notes"
        self.http = HttpClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
        self.samples: dict[str, list[float]] = {}
        self.stopping = threading.Event()
        self.during = ""  # the chunks of the push under way ("": none)

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                body = json.dumps({"id": str(uuid.uuid4()), "body": "Online."})
                during, started = self.during, time.perf_counter()
                response = self.http.post(self.url, body, content_type="application/json")
                # Counted for the push under way when it started ("": none, or alone).
                self.samples.setdefault(during, []).append(time.perf_counter() - started)
                assert response.status_code in (200, 201), response.content
                time.sleep(0.01)
        finally:
            connections.close_all()

    def stop(self) -> dict[str, list[float]]:
        self.stopping.set()
        self.join()
        return self.samples


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
    parser.add_argument("--pulls", type=int, default=None, help="Pull runs (default: --runs).")
    parser.add_argument(
        "--chunks",
        default=f"1,{push.CHUNK}@{push.CHUNK_SECONDS}",
        help="Mutations a transaction[@seconds at most], each in turn.",
    )
    parser.add_argument("--writer", type=float, default=3.0, help="Seconds of the lone writer.")
    parser.add_argument(
        "--clients", type=int, default=1000, help="The clients the changes are spread over."
    )
    args = parser.parse_args()
    settings.API_WRITE_RATE = (1_000_000, 60)
    chunks = args.chunks.split(",")
    pull_runs = args.runs if args.pulls is None else args.pulls
    team, client, token, writer_token = setup(args.changes, args.clients)
    http = HttpClient(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    # One untimed request first: the first one in a process builds ninja's views and schemas.
    http.get(f"/api/v1/sync/{team.id}/changes", {"after": 0, "limit": 1})
    logged_read = access_log.reads_record
    pulls: dict[bool, list[float]] = {True: [], False: []}
    for run in range(pull_runs * 2):
        logging = run % 2 == 0
        access_log.reads_record = logged_read if logging else _no_read_log
        started = time.perf_counter()
        response = http.get(f"/api/v1/sync/{team.id}/changes", {"after": 0, "limit": args.changes})
        pulls[logging].append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        assert len(response.json()["changes"]) == args.changes
    access_log.reads_record = logged_read

    http.post(f"/api/v1/sync/{team.id}/mutations", note_batch(client, 1), "application/json")
    alone = Writer(team, client, writer_token)
    alone.start()
    time.sleep(args.writer)
    writer_alone = alone.stop()

    pushes: dict[str, list[float]] = {size: [] for size in chunks}
    beside = Writer(team, client, writer_token)
    beside.start()
    for _ in range(args.runs):
        for size in chunks:
            count, _, seconds = size.partition("@")
            push.CHUNK, push.CHUNK_SECONDS = int(count), float(seconds or "inf")
            beside.during = size
            body = note_batch(client, args.mutations)
            started = time.perf_counter()
            response = http.post(
                f"/api/v1/sync/{team.id}/mutations", body, content_type="application/json"
            )
            pushes[size].append(time.perf_counter() - started)
            beside.during = ""
            assert response.status_code == 200, response.content
            assert {r["status"] for r in response.json()["results"]} == {"applied"}
            time.sleep(0.05)
    writer_beside = beside.stop()

    vendor = connections["default"].vendor
    print(f"database: {vendor}; runs: {args.runs}; clients in the feed: {args.clients}")
    print(f"load average: {' '.join(f'{n:.1f}' for n in os.getloadavg())}")
    print("operation | p50 ms | p99 ms")
    lone = writer_alone.get("", [])
    timed = [(f"one note by another member, alone ({len(lone)} writes)", lone)]
    for size in chunks:
        during = writer_beside.get(size, [])
        timed += [
            (f"push {args.mutations} mutations, {size} a transaction", pushes[size]),
            (f"one note by another member, beside it ({len(during)} writes)", during),
        ]
    if pull_runs:
        timed[:0] = [
            (f"pull {args.changes} changes, read log", pulls[True]),
            (f"pull {args.changes} changes, no read log", pulls[False]),
        ]
    for label, samples in timed:
        if len(samples) < 2:
            print(f"{label} | - | -")
            continue
        p50, p99 = quantiles(samples)
        print(f"{label} | {p50:.1f} | {p99:.1f}")


if __name__ == "__main__":
    main()
