"""The change feed: one mechanism for audit, real-time events and offline sync.

Every service calls `record()` inside its transaction. The team row is locked while the next
sequence number is taken, so sequence order equals commit order: a reader that has seen seq N
has seen everything up to N. The real-time event is sent only after the transaction commits.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import OperationalError, models, transaction

from careteams import incarnation, registry
from careteams.events import event_send
from careteams.models import Change, ChangeOp, Team, User
from careteams.registry import EntityName


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
    locked = Team.objects.select_for_update().only("last_change_seq").get(pk=team.pk)
    seq = locked.last_change_seq + 1
    Team.objects.filter(pk=team.pk).update(last_change_seq=seq)
    team.last_change_seq = seq
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
