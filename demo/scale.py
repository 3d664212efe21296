"""The scale world: `manage.py demo_data --teams N` adds teams of the demo's shape, in bulk.

Each team is `Scale team 0001` … in Europe/London, with twelve members (m01 its planning nurse;
`m01.t0001@scale.careteams.test`, the demo's password), about fifty clients with Omaha care
plans, this week's patterns, shifts, visits and carers, a few notes, and the feed those writes
would have left. The demo proper replays history through the services (seconds a team); here
the same records are built in memory and inserted in bulk (`scale_feed`), a few teams per
transaction, so a crash leaves whole teams only and a rerun adds just the missing ones.
"""

import datetime as dt
import multiprocessing
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import django
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.utils import timezone

from careteams.models import Team
from clients.models import Client
from demo.clients import nhs_numbers
from demo.context import DEMO_PASSWORD, SEED, Clock, Context
from demo.people import TEAM_SPECS
from demo.scale_feed import Batch
from demo.scale_team import (
    MAX_CLIENTS,
    MAX_TEAMS,
    TEAM_NAME,
    build_caseload,
    build_people,
    nhs_candidates,
)
from demo.scale_week import build_week

TEAMS_PER_BATCH = 10
MEMBERS = 12
CLIENTS = 50


@dataclass(frozen=True)
class ScaleSummary:
    created: int
    existing: int
    changes: int
    seconds: float


def _demo_numbers() -> set[str]:
    """The NHS numbers the demo's own clients get (each team's stream starts with them), kept
    free so that `demo_data` still loads next to a scale world."""
    taken: set[str] = set()
    for spec in TEAM_SPECS:
        rng = random.Random(f"{SEED}:{spec.key}")
        ctx = Context(rng=rng, now=timezone.now(), password_hash="", clock=Clock(timezone.now()))
        taken.update(nhs_numbers(ctx, 20))
    return taken


def _numbers(teams: list[int], clients: int, reserved: set[str]) -> dict[int, list[str]]:
    """Each team's NHS numbers: its block's valid numbers, less any already recorded."""
    blocks = {number: nhs_candidates(number) for number in teams}
    wanted = [digits for block in blocks.values() for digits in block]
    used = set(Client.objects.filter(nhs_number__in=wanted).values_list("nhs_number", flat=True))
    found = {}
    for number, block in blocks.items():
        free = [digits for digits in block if digits not in used | reserved]
        found[number] = random.Random(f"{SEED}:scale-nhs:{number}").sample(free, clients)
    return found


def missing_teams(teams: int) -> list[int]:
    names = set(Team.objects.filter(name__startswith="Scale team ").values_list("name", flat=True))
    return [n for n in range(1, teams + 1) if TEAM_NAME.format(n) not in names]


@dataclass(frozen=True)
class _Job:
    numbers: tuple[int, ...]
    now: dt.datetime
    members: int
    clients: int
    password_hash: str
    reserved: frozenset[str]


def _build_batch(job: _Job) -> int:
    """A few teams in one transaction: a crash leaves whole teams only. Returns the number of
    changes written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A lost commit after a crash is a team the next run adds again: no need to wait
            # for each batch's WAL to reach the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        nhs = _numbers(list(job.numbers), job.clients, set(job.reserved))
        batch = Batch()
        for number in job.numbers:
            world = build_people(
                number,
                now=job.now,
                members=job.members,
                password_hash=job.password_hash,
                batch=batch,
            )
            build_caseload(world, count=job.clients, numbers=nhs[number], batch=batch)
            build_week(world, batch)
        return batch.save()


def build_scale_world(
    *,
    teams: int,
    members: int = MEMBERS,
    clients: int = CLIENTS,
    jobs: int = 1,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScaleSummary:
    """Add the scale teams 1..`teams` that are not there yet; the others are left as they are.
    With `jobs` > 1, that many processes build batches side by side (each its own connection)."""
    if not 1 <= teams <= MAX_TEAMS:
        raise ValueError(f"--teams goes from 1 to {MAX_TEAMS}.")
    if not 2 <= members <= 99:
        raise ValueError("--members-per-team goes from 2 to 99.")
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"--clients-per-team goes from 1 to {MAX_CLIENTS}.")
    if not 1 <= jobs <= 16:
        raise ValueError("--jobs goes from 1 to 16.")
    started = time.monotonic()
    moment = now or timezone.now()
    todo = missing_teams(teams)
    # Hashing takes a deliberate fraction of a second: once for every member of every team.
    password_hash = make_password(DEMO_PASSWORD)
    reserved = frozenset(_demo_numbers())
    work = [
        _Job(
            tuple(todo[i : i + TEAMS_PER_BATCH]), moment, members, clients, password_hash, reserved
        )
        for i in range(0, len(todo), TEAMS_PER_BATCH)
    ]
    changes = done = 0
    if jobs == 1 or len(work) < 2:
        results: Iterable[int] = map(_build_batch, work)
        changes, done = _collect(results, work, progress, len(todo))
    else:
        # Fresh processes (not forked ones): the parent's connection pool must not be shared.
        connections.close_all()
        context = multiprocessing.get_context("spawn")
        # Each worker sets Django up before it unpickles its first batch (which imports models).
        with context.Pool(jobs, initializer=django.setup) as pool:
            changes, done = _collect(pool.imap(_build_batch, work), work, progress, len(todo))
    if done and connection.vendor == "postgresql":
        # Bulk loads leave the planner without statistics until autovacuum's analyze comes
        # round (never, where autovacuum is off): with none, a client's care plan at 1,000
        # teams took 40 ms a query on sequential scans instead of a millisecond on its index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ScaleSummary(
        created=done,
        existing=teams - len(todo),
        changes=changes,
        seconds=time.monotonic() - started,
    )


def _collect(
    results: Iterable[int],
    work: list[_Job],
    progress: Callable[[int, int], None] | None,
    total: int,
) -> tuple[int, int]:
    changes = done = 0
    for job, written in zip(work, results, strict=True):
        changes += written
        done += len(job.numbers)
        if progress is not None:
            progress(done, total)
    return changes, done
