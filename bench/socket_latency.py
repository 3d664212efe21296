"""Commit-to-delivery latency of change events to many sockets, through Redis, across daphne
worker processes (as in production).

Starts `--workers` daphne workers sharing PostgreSQL and Redis and opens sockets split between
them, then commits writes from this process at `--rate` writes a second for `--seconds` and
times, for every socket, from the commit to the event's arrival. Two shapes:

- `--sockets 12 1000`: that many sockets on one team, every write to that team;
- `--mix 1000 12`: 1,000 teams with 12 sockets each (12,000 sockets), each write to a team
  picked at random.

Everything runs on this machine, on loopback: the client's own work (receiving every frame)
shares the cores with the workers, so treat figures as noisy and compare runs made together.

    createdb -h 127.0.0.1 -U postgres careteams_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/careteams_bench
    export REDIS_URL=redis://127.0.0.1:6379/0
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/socket_latency.py --sockets 12 1000 --rate 10 --seconds 4
    .venv/bin/python bench/socket_latency.py --mix 1000 12 --rate 5 --seconds 10
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import signal
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from careteams import changes  # noqa: E402
from careteams.models import Membership, Role, Team, User  # noqa: E402
from config.asgi_workers import asgi_workers, free_port  # noqa: E402
from scheduling.models import Shift  # noqa: E402

NAME = "bench sockets {}"
OPENING_AT_ONCE = 20
# A worker busy opening sockets may miss daphne's handshake timeout, or its channel layer's
# REDIS_EVENT_TIMEOUT (a close with 4503): that socket tries again, as a client would.
OPEN_ATTEMPTS = 5


def workers_cpu() -> float:
    """CPU seconds used so far by this process's child processes (the daphne workers): a
    figure that, unlike the latencies, hardly depends on what else the machine is doing."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key


def bench_teams(count: int) -> list[Membership]:
    """`count` teams of one member each, made once and kept for later runs."""
    names = [NAME.format(n) for n in range(count)]
    have = set(Team.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [name for name in names if name not in have]
    with transaction.atomic():
        teams = Team.objects.bulk_create([Team(name=name) for name in missing])
        users = User.objects.bulk_create(
            [User(email=f"bench-{team.pk}@bench.test", first_name="Bench") for team in teams]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, team=team, role=Role.CARE_WORKER)
                for team, user in zip(teams, users, strict=True)
            ]
        )
    members = Membership.objects.filter(team__name__in=names).select_related("team", "user")
    return sorted(members, key=lambda m: int(m.team.name.rsplit(" ", 1)[1]))


def commit_write(member: Membership) -> tuple[int, float]:
    """One write, committed; returns its seq and the moment the commit returned."""
    committed: list[float] = []
    with transaction.atomic():
        # Shifts of one member may not overlap: each write starts at a minute of its own (one
        # in a billion; whole days drawn at random met again within a few runs).
        start = dt.datetime(2100, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            minutes=random.randrange(10**9)
        )
        shift = Shift.objects.create(
            team=member.team, member=member, start=start, end=start + dt.timedelta(minutes=1)
        )
        # Registered before record()'s own hook, so it runs first, right after COMMIT.
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        change = changes.record(team=member.team, entity="shift", obj=shift, actor=None)
    return change.seq, committed[0]


class Run:
    def __init__(self, members: list[Membership], per_team: int, ports: list[int]) -> None:
        self.members, self.per_team, self.ports = members, per_team, ports
        self.arrivals: dict[tuple[str, int], list[float]] = defaultdict(list)
        self.commits: dict[tuple[str, int], float] = {}
        self.cpu_per_write = 0.0

    async def open(self) -> list[tuple[str, websockets.ClientConnection]]:
        cookies = await asyncio.to_thread(lambda: [session_for(m.user) for m in self.members])
        gate = asyncio.Semaphore(OPENING_AT_ONCE)
        heads = {str(m.team.pk): m.team.last_change_seq for m in self.members}

        async def one(n: int) -> tuple[str, websockets.ClientConnection]:
            member, cookie = self.members[n // self.per_team], cookies[n // self.per_team]
            team = str(member.team.pk)
            port = self.ports[n % len(self.ports)]
            async with gate:
                for attempt in range(OPEN_ATTEMPTS):
                    try:
                        return team, await self.open_one(port, team, heads[team], cookie)
                    except (OSError, websockets.InvalidHandshake, websockets.ConnectionClosed):
                        if attempt == OPEN_ATTEMPTS - 1:
                            raise
                        await asyncio.sleep(1)
            raise AssertionError("unreachable")

        return list(
            await asyncio.gather(*(one(n) for n in range(len(self.members) * self.per_team)))
        )

    @staticmethod
    async def open_one(port: int, team: str, head: int, cookie: str) -> websockets.ClientConnection:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/teams/{team}/?cursor={head}",
            additional_headers={
                "Cookie": f"sessionid={cookie}",
                "Origin": f"http://127.0.0.1:{port}",
            },
            max_queue=None,
            ping_interval=None,  # thousands of sockets take a while to open
            open_timeout=60,
        )
        assert json.loads(await ws.recv())["type"] == "live"
        return ws

    async def listen(self, team: str, ws: websockets.ClientConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "change":
                self.arrivals[team, message["seq"]].append(time.perf_counter())

    async def measure(self, rate: float, seconds: float, wait: float) -> list[float]:
        connections = await self.open()
        listeners = [asyncio.create_task(self.listen(team, ws)) for team, ws in connections]
        cpu = workers_cpu()
        started = time.perf_counter()
        writes = int(rate * seconds)
        for n in range(writes):
            member = random.choice(self.members)
            seq, at = await asyncio.to_thread(commit_write, member)
            self.commits[str(member.team.pk), seq] = at
            await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.perf_counter()))
        expected = writes * self.per_team
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and self.delivered() < expected:
            await asyncio.sleep(0.1)
        self.cpu_per_write = (workers_cpu() - cpu) / writes
        for task in listeners:
            task.cancel()
        await asyncio.gather(*(ws.close() for _, ws in connections))
        if self.delivered() != expected:
            raise RuntimeError(f"only {self.delivered()} of {expected} deliveries arrived")
        return [
            (t - self.commits[key]) * 1000 for key, times in self.arrivals.items() for t in times
        ]

    def delivered(self) -> int:
        return sum(len(self.arrivals[key]) for key in self.commits if key in self.arrivals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, nargs="*", default=[], help="on one team")
    parser.add_argument("--mix", type=int, nargs=2, metavar=("TEAMS", "PER_TEAM"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=10, help="writes a second")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--wait", type=float, default=30, help="for the last deliveries, s")
    args = parser.parse_args()
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if not backend.startswith("channels_redis"):
        sys.exit("Set REDIS_URL: the benchmark measures delivery through Redis.")
    runs = [(1, count) for count in args.sockets] + ([tuple(args.mix)] if args.mix else [])
    if not runs:
        sys.exit("Say --sockets N [N …] and/or --mix TEAMS PER_TEAM.")
    members = bench_teams(max(teams for teams, _ in runs))
    ports = [free_port() for _ in range(args.workers)]
    # Stopped by a signal (a `timeout`), still stop the workers on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    print(
        f"{args.workers} daphne workers, {backend}, "
        f"{args.rate:g} writes/s for {args.seconds:g} s per run"
    )
    print("teams | sockets | deliveries | p50 ms | p99 ms | max ms | workers' CPU ms per write")
    with asgi_workers(ports, {"DEBUG": "1", "LOG_LEVEL": "WARNING"}):
        for teams, per_team in runs:
            for member in members[:teams]:
                member.team.refresh_from_db(fields=["last_change_seq"])
            run = Run(members[:teams], per_team, ports)
            latencies = asyncio.run(run.measure(args.rate, args.seconds, args.wait))
            q = statistics.quantiles(latencies, n=100)
            print(
                f"{teams:5d} | {teams * per_team:7d} | {len(latencies):10d} | {q[49]:6.1f} | "
                f"{q[98]:6.1f} | {max(latencies):6.1f} | {run.cpu_per_write * 1000:.1f}"
            )


if __name__ == "__main__":
    main()
