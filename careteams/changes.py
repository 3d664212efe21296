"""The change feed: one mechanism for audit, real-time events and offline sync.

Every service calls `record()` inside its transaction. The team row is locked while the next
sequence number is taken, so sequence order equals commit order: a reader that has seen seq N
has seen everything up to N. The real-time event is sent only after the transaction commits.
A bulk load that writes its rows in bulk (the scale world) appends their feed through the one
bulk path, `record_many()`, which keeps the same invariants.
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, models, transaction

from careteams import hooks, incarnation, registry
from careteams.events import event_send
from careteams.models import Change, ChangeOp, Team, User
from careteams.registry import EntityName
from careteams.serialize import stored_values


def team_group(team_id: uuid.UUID | str) -> str:
    """The channel group every open page and tablet of a team listens on."""
    return f"team-{team_id}"


def record(
    *,
    team: Team,
    entity: EntityName,
    obj: models.Model,
    op: str = ChangeOp.UPSERT,
    actor: User | None,
    client_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
    plan_input: bool | None = None,
) -> Change:
    """Append `obj`'s new state to `team`'s feed. Must run inside the writing transaction.

    `entity` must be registered (`careteams.registry`); the record is written as its
    registration serialises it, and `data`, when a service computes it, is stripped of the
    server-only fields alike, so those never reach the feed."""
    declared = registry.get(entity)
    if not isinstance(obj, declared.model):
        raise registry.UnknownEntity(
            f"{entity!r} records are {declared.model.__name__}, not {type(obj).__name__}."
        )
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("changes.record() must be called inside the write's transaction.")
    if op not in ChangeOp.values:
        raise ValueError(f"Unknown change op {op!r}.")
    # A writer that knows this change leaves what the plan reads as it was says so
    # (`plan_input=False`); otherwise the kind's declaration answers.
    plan_input = declared.plan_input if plan_input is None else plan_input
    seq = _next_seq(team, plan_input=plan_input)
    if plan_input:
        plan_changed_on_commit(team_id=team.pk)
    change = Change.objects.create(
        team_id=team.pk,
        seq=seq,
        entity=entity,
        entity_id=obj.pk,
        op=op,
        version=getattr(obj, "version", 1),
        data={}
        if op == ChangeOp.DELETE
        else (declared.serialise(obj) if data is None else declared.strip(data)),
        actor=actor,
        client_id=client_id,
    )
    event = {
        "team": str(team.pk),
        "seq": seq,
        "cursor": incarnation.cursor_text({f: getattr(change, f) for f in incarnation.CHECKED}),
        "entity": entity,
        "id": str(obj.pk),
        "op": op,
    }
    if client_id is not None:
        event["client"] = str(client_id)
    transaction.on_commit(lambda: send_event(event))
    return change


def _next_seq(team: Team, *, plan_input: bool) -> int:
    """Move `team`'s head on by one and return it, in one statement: the UPDATE locks the team
    row until the transaction ends (as SELECT … FOR UPDATE did, and against it), and on
    PostgreSQL a writer that waited for that lock increments the committed head, so seqs stay
    contiguous and in commit order. One round trip and no ORM query to compile: `record` runs
    for every write (the demo world's 8,700 of them), and this was two of its three queries.
    A change of a kind the team's plan is derived from moves `plan_seq` to the same number in
    the same statement, so the plan's position is in commit order too."""
    database = transaction.get_connection()
    table = database.ops.quote_name(Team._meta.db_table)
    column = database.ops.quote_name(Team._meta.get_field("last_change_seq").column)
    plan = database.ops.quote_name(Team._meta.get_field("plan_seq").column)
    key = database.ops.quote_name(Team._meta.pk.column)
    # Both sides of each SET read the row as it was: plan_seq takes the new head.
    moves = f", {plan} = {column} + 1" if plan_input else ""
    with database.cursor() as cursor:
        # The table and columns are the model's own names, quoted: no input reaches the text.
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1{moves} WHERE {key} = %s "  # noqa: S608
            f"RETURNING {column}",
            [Team._meta.pk.get_db_prep_value(team.pk, database)],
        )
        seq = int(cursor.fetchone()[0])
    team.last_change_seq = seq
    if plan_input:
        team.plan_seq = seq
    return seq


@dataclass(frozen=True)
class _PlanChanged:
    """The after-commit call of `plan_changed_on_commit`, comparable so that a transaction of
    several changes of one team queues it once."""

    team_id: uuid.UUID

    def __call__(self) -> None:
        hooks.plan_changed(team_id=self.team_id)


def plan_changed_on_commit(*, team_id: uuid.UUID) -> None:
    """After the running transaction commits, tell the apps that keep results derived from the
    team's plan (careteams/hooks.py `plan_changed`). Once per transaction and team is enough:
    they catch up with every change since their results. Robust: a failing hook is logged by
    Django and never fails the committed write."""
    call = _PlanChanged(team_id)
    # Django drops a callback queued inside a savepoint that rolls back, so one still queued
    # here will run if this change commits.
    queued = transaction.get_connection().run_on_commit
    if any(entry[1] == call for entry in queued):
        return
    transaction.on_commit(call, robust=True)


class TeamBusy(Exception):
    """The team row's lock was not had within the time allowed: another write holds it."""


# PostgreSQL's SQLSTATE for lock_not_available, which lock_timeout raises.
LOCK_NOT_AVAILABLE = "55P03"


def team_lock(*, team: Team, timeout: float) -> None:
    """Take `team`'s row lock (the one `record` takes) for the running transaction, waiting at
    most `timeout` seconds: raises TeamBusy after that, and the transaction is then unusable.

    For a writer of many records (a sync push) that must answer before the proxy gives up:
    `record` alone would wait up to the statement timeout, once per write. On PostgreSQL the
    bound is `lock_timeout`, SET LOCAL, so it also bounds every later lock wait of the same
    transaction; SQLite has no row locks (a transaction takes the whole database)."""
    database = transaction.get_connection()
    if not database.in_atomic_block:
        raise RuntimeError("changes.team_lock() must be called inside the write's transaction.")
    try:
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                # set_config(…, true) is SET LOCAL with a parameter.
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)",
                    [f"{max(1, round(timeout * 1000))}ms"],
                )
        Team.objects.select_for_update().filter(pk=team.pk).values_list("pk").get()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise TeamBusy(str(team.pk)) from error
        raise


# While a bulk load runs: the last event of each team, sent when the load ends.
_held: ContextVar[dict[str, dict[str, Any]] | None] = ContextVar("held_events", default=None)


@contextmanager
def events_coalesced() -> Iterator[None]:
    """A bulk load (the demo's thousands of writes) tells each team once, with its last change:
    a socket that sees a gap replays the rest from the feed, so nothing is missed."""
    held: dict[str, dict[str, Any]] = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        for event in held.values():
            send_event(event)


def send_event(event: dict[str, Any]) -> None:
    """Tell the team's open pages about a committed change. A hint only: the feed is the truth,
    so it is handed to careteams/events.py, which never makes the write wait for Redis."""
    held = _held.get()
    if held is not None:
        held[event["team"]] = event
        return
    event_send(group=team_group(event["team"]), message={"type": "change", **event})


def user_group(user_id: uuid.UUID | str) -> str:
    """Each user's sockets listen here for changes to what they may see."""
    return f"user-{user_id}"


def access_changed(*, user_id: uuid.UUID) -> None:
    """After the running transaction commits, the user's open sockets re-check their access (a
    leaver's or a revoked family member's sockets close). Must run inside that transaction."""
    transaction.on_commit(
        lambda: event_send(group=user_group(user_id), message={"type": "access.changed"})
    )


@dataclass(frozen=True)
class Pending:
    """One write's feed entry, made by `pending` when the write happens and appended by
    `record_many`: serialised then, so a later version of the same object in the same load does
    not rewrite what an earlier one recorded."""

    entity: EntityName
    entity_id: uuid.UUID
    op: str
    version: int
    data: str  # the entry's data as JSON text, as `record` would store it
    actor_id: uuid.UUID | None
    client_id: uuid.UUID | None
    at: dt.datetime


def pending(
    *,
    entity: EntityName,
    obj: models.Model,
    actor: User | None,
    at: dt.datetime,
    op: str = ChangeOp.UPSERT,
    client_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> Pending:
    """What `record` would append for `obj` as it is now, at the moment `at`, for
    `record_many`. Serialised through the registry as `record` does: the registration's
    serialisation, or the service's own `data` stripped of the server-only fields alike."""
    declared = registry.get(entity)
    if not isinstance(obj, declared.model):
        raise registry.UnknownEntity(
            f"{entity!r} records are {declared.model.__name__}, not {type(obj).__name__}."
        )
    if op not in ChangeOp.values:
        raise ValueError(f"Unknown change op {op!r}.")
    if op == ChangeOp.DELETE:
        text = "{}"
    elif data is not None:
        text = json.dumps(declared.strip(data), cls=DjangoJSONEncoder)
    elif declared.computed is not None:
        text = json.dumps(declared.serialise(obj), cls=DjangoJSONEncoder)
    else:
        # `serialise` gives the same text, after parsing it back: a bulk load's hot path skips
        # that step.
        text = json.dumps(declared.strip(stored_values(obj)), cls=DjangoJSONEncoder)
    return Pending(
        entity=entity,
        entity_id=obj.pk,
        op=op,
        version=getattr(obj, "version", 1),
        data=text,
        actor_id=actor.pk if actor is not None else None,
        client_id=client_id,
        at=at,
    )


def record_many(*, team: Team, entries: Iterable[Pending]) -> int:
    """Append many writes to `team`'s feed at once; returns how many. The one bulk path of the
    feed, for a load that writes its rows in bulk rather than through the services one by one
    (the scale world); must run inside the transaction that writes those rows.

    The feed's invariants hold as for `record`: under the team row's lock the entries take the
    next seqs, contiguous, in the order of their moments (ties in the order given: the order
    the writes would have committed in); `team.last_change_seq` moves to the last; each entry
    is stored as `pending` serialised it, created at its own moment; and after the commit the
    team's pages are told once, of the last change (events coalesced: a socket that sees the
    gap replays the rest from the feed)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("changes.record_many() must be called inside the write's transaction.")
    ordered = sorted(entries, key=lambda entry: entry.at)
    if not ordered:
        return 0
    locked = Team.objects.select_for_update().only("last_change_seq").get(pk=team.pk)
    first = locked.last_change_seq + 1
    _insert(
        [
            (
                team.pk,
                seq,
                e.entity,
                e.entity_id,
                e.op,
                e.version,
                e.data,
                e.actor_id,
                e.client_id,
                e.at,
            )
            for seq, e in enumerate(ordered, start=first)
        ]
    )
    last = first + len(ordered) - 1
    planned = [
        seq for seq, e in enumerate(ordered, start=first) if registry.get(e.entity).plan_input
    ]
    moved: dict[str, int] = {"last_change_seq": last}
    if planned:
        moved["plan_seq"] = planned[-1]
        team.plan_seq = planned[-1]
        plan_changed_on_commit(team_id=team.pk)
    Team.objects.filter(pk=team.pk).update(**moved)
    team.last_change_seq = last
    tail = ordered[-1]
    event = {
        "team": str(team.pk),
        "seq": last,
        "cursor": incarnation.cursor_at(team_id=team.pk, seq=last),
        "entity": tail.entity,
        "id": str(tail.entity_id),
        "op": tail.op,
    }
    if tail.client_id is not None:
        event["client"] = str(tail.client_id)
    transaction.on_commit(lambda: send_event(event))
    return len(ordered)


# The feed's columns, in the order of `record_many`'s rows.
_COLUMNS = (
    "team",
    "seq",
    "entity",
    "entity_id",
    "op",
    "version",
    "data",
    "actor",
    "client_id",
    "created_at",
)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """The feed rows in one stream: PostgreSQL's COPY, else one executemany. Written as values,
    not model instances, so that each keeps its moment (Django stamps `created_at` with the
    wall clock on insert) and its data goes in as the JSON text `pending` made."""
    database = transaction.get_connection()
    by_name = {field.name: field for field in Change._meta.concrete_fields}
    fields = [by_name[name] for name in _COLUMNS]
    table = database.ops.quote_name(Change._meta.db_table)
    columns = ", ".join(database.ops.quote_name(field.column) for field in fields)
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        values = [
            [
                value if field.name == "data" else field.get_db_prep_save(value, database)
                for field, value in zip(fields, row, strict=True)
            ]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(fields))
        # The table and columns are the model's own names, quoted: no input reaches the text.
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            values,
        )
