"""Optimistic concurrency: every write names the version it was based on.

`versioned_write` is the one sequence every change to a versioned record follows: lock the row,
check the writer's version, let the service change it, raise the version, save, and append the
change to the feed, all in one transaction. `versioned_delete` is the same for a record that
goes. A refusal raised inside the block (a DomainError, a Conflict) rolls the whole write back,
feed entry included.

Their two halves, `locked_at_version` and `versioned_save`, are for the writes whose record
changes only sometimes (a second reason for a missed visit leaves the visit as it is), and
`versioned_save` for a record changed under its parent's lock (a carer's attendance of the
visit locked and checked).

`personal_locked` and `personal_save` are the same lock, check and raise for a person's own record
that no team's feed carries (where they start their day): no feed entry, and a conflict that
carries no record (the person's own page reads it again)."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext

from careteams import changes, registry
from careteams.errors import Conflict
from careteams.models import ChangeOp, User
from careteams.registry import EntityName


class Versioned(Protocol):
    version: int


def _check_version(obj: Any, *, expected: int, entity: EntityName) -> None:
    """Refuse a write based on a stale copy, returning the server's state with the conflict, as
    the feed carries it: a device never receives a server-only field (a key-safe code, a link's
    hash) this way either."""
    if expected != obj.version:
        raise Conflict(
            gettext(
                "This was changed by someone else (now version %(now)s, you had version "
                "%(yours)s). Review the current details and try again."
            )
            % {"now": obj.version, "yours": expected},
            current=registry.get(entity).serialise(obj),
        )


def _bump(obj: Versioned) -> None:
    obj.version += 1


def change_record(
    *,
    entity: EntityName,
    obj: models.Model,
    actor: User | None,
    op: str = ChangeOp.UPSERT,
    plan_input: bool | None = None,
) -> None:
    """Append `obj` to the feed of its team, with its client, as its kind declares them
    (`registry.Entity.team_of`, `client_of`). Inside the write's transaction. `plan_input`:
    `changes.record`'s."""
    declared = registry.get(entity)
    changes.record(
        team=declared.team_of(obj),
        entity=entity,
        obj=obj,
        op=op,
        actor=actor,
        client_id=declared.client_of(obj),
        plan_input=plan_input,
    )


def locked_at_version[M: models.Model](
    queryset: "models.QuerySet[M]",
    *,
    pk: Any,
    version: int,
    entity: EntityName,
    guard: Callable[[M], None] | None = None,
) -> M:
    """The record `pk` of `queryset`, locked for the running transaction, refused (Conflict)
    unless still at `version`. `guard` checks the locked record first: who may write it is
    answered before its version, so a stranger never sees the record a conflict carries."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("versioning.locked_at_version() must be called inside a transaction.")
    # Only the record's own row: a joined, nullable relation cannot be locked on PostgreSQL.
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    if guard is not None:
        guard(current)
    _check_version(current, expected=version, entity=entity)
    return current


def versioned_save(
    obj: models.Model,
    *,
    entity: EntityName,
    actor: User | None,
    update_fields: Sequence[str] | None = None,
    plan_input: bool | None = None,
) -> None:
    """Raise `obj`'s version, save it (only `update_fields` and the version, when given) and
    append it to the feed. Inside the write's transaction, its row locked."""
    _bump(obj)  # type: ignore[arg-type]  # every registered versioned model has `version`
    obj.save(update_fields=None if update_fields is None else [*update_fields, "version"])
    change_record(entity=entity, obj=obj, actor=actor, plan_input=plan_input)


@contextmanager
def versioned_write[M: models.Model](
    queryset: "models.QuerySet[M]",
    *,
    pk: Any,
    version: int,
    entity: EntityName,
    actor: User | None,
    guard: Callable[[M], None] | None = None,
    update_fields: Sequence[str] | None = None,
    plan_input: bool | None = None,
) -> Iterator[M]:
    """Lock the record `pk` of `queryset` and check it is still at `version`; yield it for the
    service to change; then raise its version, save it and record the change.

        with versioned_write(HelpRequest.objects.select_related("team"), pk=request.pk,
                             version=version, entity="help_request", actor=actor) as current:
            current.answer = answer

    Whatever else the service writes inside the block (a message, a notification) commits or
    rolls back with it, and comes before the record's own entry in the feed. `guard`,
    `update_fields` and `plan_input`: `locked_at_version`, `versioned_save`, `changes.record`."""
    with transaction.atomic():
        current = locked_at_version(queryset, pk=pk, version=version, entity=entity, guard=guard)
        yield current
        versioned_save(
            current,
            entity=entity,
            actor=actor,
            update_fields=update_fields,
            plan_input=plan_input,
        )


@contextmanager
def versioned_delete[M: models.Model](
    queryset: "models.QuerySet[M]",
    *,
    pk: Any,
    version: int,
    entity: EntityName,
    actor: User | None,
    guard: Callable[[M], None] | None = None,
) -> Iterator[M]:
    """Like `versioned_write`, for a record that goes: after the block, its deletion is
    recorded and the row deleted. What the block writes (the entries of records that go with
    it, a notification) comes first in the feed."""
    with transaction.atomic():
        current = locked_at_version(queryset, pk=pk, version=version, entity=entity, guard=guard)
        yield current
        change_record(entity=entity, obj=current, actor=actor, op=ChangeOp.DELETE)
        current.delete()


def personal_locked[M: models.Model](
    queryset: "models.QuerySet[M]", *, pk: Any, version: int, conflict: str
) -> M:
    """A person's own record, locked for the running transaction, refused (Conflict with the
    words `conflict`) unless still at `version`. DoesNotExist when it has gone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("versioning.personal_locked() must be called inside a transaction.")
    current = queryset.select_for_update().get(pk=pk)
    if current.version != version:  # type: ignore[attr-defined]  # a versioned model
        raise Conflict(conflict)
    return current


def personal_save(obj: models.Model, *, update_fields: Sequence[str]) -> None:
    """Raise the version of a person's own record and save it: never to a feed. Inside the
    write's transaction, its row locked and checked (`personal_locked`)."""
    _bump(obj)  # type: ignore[arg-type]  # a versioned model
    obj.save(update_fields=[*update_fields, "version"])
