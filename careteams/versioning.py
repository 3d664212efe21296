"""Optimistic concurrency: every write names the version it was based on.

`versioned_write` is the one sequence every change to a versioned record follows: lock the row,
check the writer's version, let the service change it, raise the version, save, and append the
change to the feed, all in one transaction. A refusal raised inside the block (a DomainError, a
Conflict) rolls the whole write back, feed entry included."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import models, transaction

from careteams import changes, registry
from careteams.errors import Conflict
from careteams.models import ChangeOp, User
from careteams.registry import EntityName
from careteams.serialize import model_data


class Versioned(Protocol):
    version: int


def check_version(obj: Any, *, expected: int) -> None:
    """Refuse a write based on a stale copy, returning the server's state with the conflict."""
    if expected != obj.version:
        raise Conflict(
            f"This was changed by someone else (now version {obj.version}, "
            f"you had version {expected}). Review the current details and try again.",
            current=model_data(obj),
        )


def bump(obj: Versioned) -> None:
    obj.version += 1


def change_record(
    *, entity: EntityName, obj: models.Model, actor: User | None, op: str = ChangeOp.UPSERT
) -> None:
    """Append `obj` to the feed of its team, with its client, as its kind declares them
    (`registry.Entity.team_of`, `client_of`). Inside the write's transaction."""
    declared = registry.get(entity)
    changes.record(
        team=declared.team_of(obj),
        entity=entity,
        obj=obj,
        op=op,
        actor=actor,
        client_id=declared.client_of(obj),
    )


@contextmanager
def versioned_write[M: models.Model](
    queryset: "models.QuerySet[M]",
    *,
    pk: Any,
    version: int,
    entity: EntityName,
    actor: User | None,
) -> Iterator[M]:
    """Lock the record `pk` of `queryset` and check it is still at `version`; yield it for the
    service to change; then raise its version, save it and record the change.

        with versioned_write(HelpRequest.objects.select_related("team"), pk=request.pk,
                             version=version, entity="help_request", actor=actor) as current:
            current.answer = answer

    Whatever else the service writes inside the block (a message, a notification) commits or
    rolls back with it."""
    with transaction.atomic():
        # Only the record's own row: a joined, nullable relation cannot be locked on PostgreSQL.
        current = queryset.select_for_update(of=("self",)).get(pk=pk)
        check_version(current, expected=version)
        yield current
        bump(current)  # type: ignore[arg-type]  # every registered versioned model has `version`
        current.save()
        change_record(entity=entity, obj=current, actor=actor)
