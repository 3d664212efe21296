"""Morning-peak bench (issue 29): carers of many teams doing their morning through the API, as
the tablet app does, while planners reshuffle their weeks and family members read, against the
app served as in production (bench/load/stack.py), at rising rates of carers starting.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_scale1000   # the scale world
    export REDIS_URL=redis://127.0.0.1:6379/4
    .venv/bin/python bench/load/morning.py --rates 6000,12000,24000 --minutes 2 \\
        --out bench/results/morning-1000.json

A carer's morning (one "sequence"): their day (my day, the visit cards), a sync pull, a live
socket (ticket, then the team socket, read until the morning ends), then for each of their
first `--visits` visits: open its card, check in, mark two tasks done, write a note about it,
check out; then a note pushed as an offline mutation and a last sync pull. `--think` seconds
pass between steps (compressed: a real carer spends minutes between them; the requests and the
writes are the same, the sockets open at once are fewer). Carers start at an even pace of
`--rates` sequences an hour, each rate for `--minutes`; each carer does one morning (their
visits are done after it), so the world must have as many carers with visits today as the
rates start (the scale world: about 12 a team).

Beside them, `--planners` planners (one a team) each take a carer off a visit of the coming
days and put them back, again and again, reading the day of the week board after each change
(the API week of one day), a change every 5 `--think`s; and `--readers` family members read
their client's page every 10. Writes invalidate what the app keeps, as a real morning's do.

For each rate: sustained requests a second, p50 and p99 of each kind of request, answers other
than 2xx and failures, the app's, PostgreSQL's and the runner's CPU per request, and the carers
it carries: the highest rate at which every kind's p99 stayed under 300 ms with no error.
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import morning_report, results, stack  # noqa: E402
from bench.load.morning_http import Connection, Failed, Tally  # noqa: E402
from bench.load.run import commit, django_as_served  # noqa: E402

P99_GOAL_MS = 300.0
# A planner changes the week every few steps of a carer, a family member reads less often still.
PLANNER_PAUSES = 5
READER_PAUSES = 10


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="3000,6000,12000,24000", help="sequences an hour")
    parser.add_argument("--minutes", type=float, default=2.0, help="at each rate (2)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between steps (1)")
    parser.add_argument("--visits", type=int, default=3, help="visits of each morning (3)")
    parser.add_argument("--planners", type=int, default=10, help="(10)")
    parser.add_argument("--readers", type=int, default=20, help="family members (20)")
    parser.add_argument("--workers", type=int, default=2, help="HTTP worker processes (2)")
    parser.add_argument("--http", choices=("asgi", "wsgi"), default="wsgi", help="(wsgi)")
    parser.add_argument("--timeout", type=float, default=30.0, help="a request's, s (30)")
    parser.add_argument("--no-sockets", action="store_true", help="carers open no live socket")
    parser.add_argument("--out", type=Path, help="write the result to this .json and a .md")
    args = parser.parse_args(argv)
    args.rates = [int(r) for r in args.rates.split(",") if r]
    if not args.rates or min(args.rates) < 1 or args.minutes <= 0 or args.visits < 1:
        parser.error("--rates, --minutes and --visits must be positive")
    return args


class Device:
    """One person's tablet: a connection, a token and a pause between steps. `base` is the
    served app's address; bench/load/profile_morning.py passes a connection of its own that asks
    the app in its own process instead."""

    def __init__(
        self,
        base: str,
        token: str,
        tally: Tally,
        args: argparse.Namespace,
        connection: Any | None = None,
    ) -> None:
        url = urlsplit(base)
        self.connection = connection or Connection(
            url.hostname or "", url.port or 80, tally, args.timeout
        )
        self.base, self.token, self.think = base, token, args.think

    async def ask(self, kind: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return await self.connection.request(kind, method, path, token=self.token, body=body)

    async def pause(self) -> None:
        await asyncio.sleep(self.think)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


async def _socket(device: Device, team: str, ticket: str, pulled: Any, stop: asyncio.Event) -> None:
    """The team socket for the length of the morning: its changes read and dropped."""
    import websockets

    query = urlencode(
        {"ticket": ticket, "cursor": pulled["next_cursor"], "incarnation": pulled["incarnation"]}
    )
    url = device.base.replace("http", "ws", 1) + f"/ws/teams/{team}/?{query}"
    tally = device.connection.tally
    started = time.perf_counter()
    try:
        async with websockets.connect(url, open_timeout=device.connection.timeout) as socket:
            # Opened when the server's first message ("live", after the replay) has come.
            await asyncio.wait_for(socket.recv(), device.connection.timeout)
            tally.add("socket open", (time.perf_counter() - started) * 1000, 200)
            while not stop.is_set():
                try:
                    await asyncio.wait_for(socket.recv(), 1.0)
                except TimeoutError:
                    continue
    except (OSError, websockets.WebSocketException, TimeoutError):
        tally.fail("socket")


async def _visit(device: Device, team: str, card: dict[str, Any]) -> None:
    visit = f"/api/v1/teams/{team}/visits/{card['id']}"
    status, card = await device.ask("visit card", "GET", f"{visit}/card")
    if status != 200:
        return
    await device.pause()
    status, done = await device.ask(
        "check in",
        "POST",
        f"{visit}/check-in",
        {"version": card["version"], "confirm": True, "reason": "Morning bench"},
    )
    if status != 200:
        return
    version = done["version"]
    for task in [t for t in card["tasks"] if t.get("outcome") is None][:2]:
        await device.pause()
        status, after = await device.ask(
            "task outcome",
            "POST",
            f"{visit}/task-outcomes",
            {"id": str(uuid.uuid4()), "task_key": task["key"], "outcome": "done"},
        )
        if status == 201:
            version = after["version"]
    await device.pause()
    await device.ask(
        "note",
        "POST",
        f"/api/v1/clients/{card['client']['id']}/notes",
        {"id": str(uuid.uuid4()), "body": "Settled and comfortable.", "visit_id": card["id"]},
    )
    await device.pause()
    await device.ask("check out", "POST", f"{visit}/check-out", {"version": version})


async def morning(
    base: str, carer: Any, tally: Tally, args: argparse.Namespace, connection: Any | None = None
) -> None:
    device = Device(base, carer.token, tally, args, connection)
    team = str(carer.team_id)
    stop = asyncio.Event()
    socket = None
    try:
        await device.ask("me", "GET", "/api/v1/me")
        await device.ask("my day", "GET", f"/api/v1/teams/{team}/my-day")
        status, day = await device.ask("my day cards", "GET", f"/api/v1/teams/{team}/my-day/visits")
        pull = urlencode({"after": carer.cursor, "incarnation": carer.incarnation})
        status, pulled = await device.ask("sync pull", "GET", f"/api/v1/sync/{team}/changes?{pull}")
        if not args.no_sockets and status == 200:
            # The ticket on the device's connection, the socket on one of its own beside it.
            made, ticket = await device.ask("socket ticket", "POST", "/api/v1/socket-ticket")
            if made == 201:
                socket = asyncio.create_task(_socket(device, team, ticket["ticket"], pulled, stop))
        cards = [c for c in (day or {}).get("visits", []) if c.get("status") == "planned"]
        client = None
        for card in cards[: args.visits]:
            await device.pause()
            await _visit(device, team, card)
            client = card["client"]["id"]
        await device.pause()
        if client is not None:
            note = {"id": str(uuid.uuid4()), "client_id": client, "body": "Handed over."}
            mutation = {
                "mutation_id": str(uuid.uuid4()),
                "kind": "note.create",
                "recorded_at": _now(),
                "data": note,
            }
            status, pushed = await device.ask(
                "sync push", "POST", f"/api/v1/sync/{team}/mutations", {"mutations": [mutation]}
            )
            if status == 200 and pushed["results"][0]["status"] != "applied":
                tally.refuse("sync push")
        if status == 200:
            pull = urlencode({"after": pulled["next_cursor"], "incarnation": pulled["incarnation"]})
            await device.ask("sync pull", "GET", f"/api/v1/sync/{team}/changes?{pull}")
    except Failed:
        pass
    finally:
        stop.set()
        if socket is not None:
            await socket
        await device.connection.close()


async def planning(
    base: str, planner: Any, tally: Tally, args: argparse.Namespace, stop: asyncio.Event
) -> None:
    """Take a carer off a visit of the coming days, read the day, put them back, read again."""
    device = Device(base, planner.token, tally, args)
    team = str(planner.team_id)
    n = 0
    while not stop.is_set():
        visit_id, member_id = planner.places[n % len(planner.places)]
        n += 1
        path = f"/api/v1/teams/{team}/visits/{visit_id}"
        try:
            status, visit = await device.ask("planner: visit", "GET", path)
            if status != 200:
                continue
            monday = dt.date.fromisoformat(visit["planned_start"][:10])
            monday -= dt.timedelta(days=monday.weekday())
            day = visit["planned_start"][:10]
            status, _ = await device.ask(
                "planner: take off",
                "DELETE",
                f"{path}/carers/{member_id}?version={visit['version']}",
            )
            week = f"/api/v1/teams/{team}/week/{monday.isoformat()}?day={day}"
            await device.ask("API week of one day", "GET", week)
            await asyncio.sleep(args.think * PLANNER_PAUSES)
            if status in (200, 204):
                status, visit = await device.ask("planner: visit", "GET", path)
                await device.ask(
                    "planner: put on",
                    "POST",
                    f"{path}/carers",
                    {"member_id": str(member_id), "version": visit["version"]},
                )
                await device.ask("API week of one day", "GET", week)
            await asyncio.sleep(args.think * PLANNER_PAUSES)
        except Failed:
            await asyncio.sleep(args.think)
    await device.connection.close()


async def reading(
    base: str, reader: Any, tally: Tally, args: argparse.Namespace, stop: asyncio.Event
) -> None:
    device = Device(base, reader.token, tally, args)
    while not stop.is_set():
        with contextlib.suppress(Failed):
            await device.ask("family page", "GET", f"/api/v1/family/clients/{reader.client_id}")
        await asyncio.sleep(args.think * READER_PAUSES)
    await device.connection.close()


async def at_rate(
    base: str, rate: int, carers: list[Any], people: Any, args: argparse.Namespace
) -> tuple[Tally, float, int]:
    """Start `rate` mornings an hour for `--minutes`; wait for the last to end."""
    tally = Tally()
    stop = asyncio.Event()
    others = [asyncio.create_task(planning(base, p, tally, args, stop)) for p in people.planners]
    others += [asyncio.create_task(reading(base, r, tally, args, stop)) for r in people.readers]
    gap = 3600 / rate
    count = min(len(carers), int(args.minutes * 60 / gap))
    started = time.perf_counter()
    mornings = []
    for n, carer in enumerate(carers[:count]):
        delay = started + n * gap - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        mornings.append(asyncio.create_task(morning(base, carer, tally, args)))
    # A morning that broke on something unforeseen counts as a failure, and the rest go on.
    for outcome in await asyncio.gather(*mornings, return_exceptions=True):
        if isinstance(outcome, Exception):
            tally.fail(f"broken morning ({type(outcome).__name__})")
    stop.set()
    await asyncio.gather(*others)
    return tally, time.perf_counter() - started, count


def measure(args: argparse.Namespace) -> dict[str, Any]:
    env = django_as_served()
    from bench.load import morning_people

    wanted = sum(int(r * args.minutes / 60) for r in args.rates)
    print(f"Signing in up to {wanted} carers, planners and readers ...", flush=True)
    people = morning_people.sign_in(carers=wanted, planners=args.planners, readers=args.readers)
    if not people.carers:
        sys.exit("No carer has a planned visit today: build the scale world again (demo_data).")
    run = Path(tempfile.mkdtemp(prefix="morningbench-"))
    meta = {
        "carers": len(people.carers),
        "carer_teams": len({c.team_id for c in people.carers}),
        "planners": len(people.planners),
        "readers": len(people.readers),
        "think_s": args.think,
        "visits": args.visits,
        "minutes": args.minutes,
        "workers": args.workers,
        "http": args.http,
        "sockets": not args.no_sockets,
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
    }
    rates = []
    try:
        with stack.serve(run, env, args.http, args.workers) as (base, served):
            left = list(people.carers)
            for rate in args.rates:
                served.check_alive()
                app, database = served.app_cpu(), stack.postgres_cpu()
                runner = time.process_time()
                tally, seconds, count = asyncio.run(at_rate(base, rate, left, people, args))
                left = left[count:]
                found = morning_report.summarise(
                    tally,
                    seconds=seconds,
                    app_cpu=served.app_cpu() - app,
                    db_cpu=stack.postgres_cpu() - database,
                    runner_cpu=time.process_time() - runner,
                )
                found.update({"rate": rate, "sequences": count})
                rates.append(found)
                print(morning_report.line(found), flush=True)
                if count < int(rate * args.minutes / 60):
                    print("Out of carers with visits today: the rates after this are left out.")
                    break
    finally:
        morning_people.sign_out(people)
        shutil.rmtree(run, ignore_errors=True)
    return {"meta": meta, "rates": rates, "carried": morning_report.carried(rates, P99_GOAL_MS)}


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    if args.http == "wsgi" and (why := stack.gunicorn_missing()):
        sys.exit(why)
    if stack.nginx_binary() is None:
        sys.exit("nginx is missing: run bench/load/setup as root first.")
    result = stack.run_guarded(lambda: measure(args))
    results.publish(result, morning_report.markdown(result), args.out)


if __name__ == "__main__":
    main()
