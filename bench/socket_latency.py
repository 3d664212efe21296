"""Commit-to-delivery latency of change events to many sockets, through Redis, across two ASGI
worker processes (as in production).

Starts two daphne workers sharing PostgreSQL and Redis, opens N sockets split between them,
then commits writes one at a time from this process and times, for every socket, from the
commit to the event's arrival. Everything runs on this machine, on loopback.

    createdb -h 127.0.0.1 -U postgres careteams_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench
    export REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/socket_latency.py --sockets 12 1000 --events 40
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careteams.settings")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from careteams import changes  # noqa: E402
from careteams.asgi_workers import asgi_workers  # noqa: E402
from careteams.models import Membership, Role, Team, User  # noqa: E402
from scheduling.models import Shift  # noqa: E402

PORTS = (8101, 8102)


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def commit_write(team: Team, member: Membership) -> tuple[int, float]:
    """One write, committed; returns its seq and the moment the commit returned."""
    committed: list[float] = []
    with transaction.atomic():
        now = dt.datetime.now(dt.UTC)
        shift = Shift.objects.create(
            team=team, member=member, start=now, end=now + dt.timedelta(hours=7)
        )
        # Registered before record()'s own hook, so it runs first, right after COMMIT.
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        change = changes.record(team=team, entity="shift", obj=shift, actor=None)
    return change.seq, committed[0]


async def measure(team: Team, member: Membership, sockets: int, events: int) -> list[float]:
    user = member.user
    cookies = [await asyncio.to_thread(session_for, user) for _ in range(sockets)]
    arrivals: dict[int, list[float]] = {}
    connections = []
    for n, cookie in enumerate(cookies):
        ws = await websockets.connect(
            f"ws://127.0.0.1:{PORTS[n % 2]}/ws/teams/{team.id}/?cursor={team.last_change_seq}",
            additional_headers={"Cookie": f"sessionid={cookie}", "Origin": "http://localhost"},
            max_queue=None,
            ping_interval=None,  # 1,000 sockets take a while to open; no keepalive needed here
        )
        assert json.loads(await ws.recv())["type"] == "live"
        connections.append(ws)

    async def listen(ws: websockets.ClientConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "change":
                arrivals.setdefault(message["seq"], []).append(time.perf_counter())

    listeners = [asyncio.create_task(listen(ws)) for ws in connections]
    commits: dict[int, float] = {}
    for _ in range(events):
        seq, at = await asyncio.to_thread(commit_write, team, member)
        commits[seq] = at
        await asyncio.sleep(0.1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(map(len, arrivals.values())) < sockets * events:
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()
    for ws in connections:
        await ws.close()
    delivered = sum(map(len, arrivals.values()))
    if delivered != sockets * events:
        short = {seq: sockets - len(arrivals.get(seq, [])) for seq in commits}
        raise RuntimeError(
            f"only {delivered} of {sockets * events} deliveries arrived; missing per seq: "
            f"{ {seq: n for seq, n in short.items() if n} }"
        )
    return [(t - commits[seq]) * 1000 for seq, times in arrivals.items() for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, nargs="+", default=[12, 1000])
    parser.add_argument("--events", type=int, default=40)
    args = parser.parse_args()
    if not settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):
        sys.exit("Set REDIS_URL: the benchmark measures delivery through Redis.")
    stamp = time.time()
    team = Team.objects.create(name=f"bench sockets {stamp}")
    user = User.objects.create_user(f"bench-{stamp}@bench.test", None, first_name="Bench")
    member = Membership.objects.create(user=user, team=team, role=Role.CARE_WORKER)
    print(f"2 daphne workers, Redis channel layer, {args.events} events per run")
    print("sockets | deliveries | p50 ms | p99 ms | max ms")
    with asgi_workers(list(PORTS), {"DEBUG": "1", "LOG_LEVEL": "WARNING"}):
        for count in args.sockets:
            team.refresh_from_db()
            latencies = asyncio.run(measure(team, member, count, args.events))
            q = statistics.quantiles(latencies, n=100)
            print(
                f"{count:7d} | {len(latencies):10d} | {q[49]:6.1f} | {q[98]:6.1f} | "
                f"{max(latencies):6.1f}"
            )


if __name__ == "__main__":
    main()
