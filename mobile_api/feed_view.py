"""The change feed as one viewer may hold it on a device (careteams.feed scopes; this redacts).

Members get each record as stored. Coaches get the rota, with visits stripped of who the client
is. Family and the client get their client's records in the plain shape of the family view;
records they can no longer see (a cancelled visit, a stopped intervention, a client whose
access was revoked) arrive as deletions, so the device drops them. What each viewer may hold
of each kind is declared with the kind, in careteams.registry.
"""

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from careteams import feed, registry
from careteams.errors import DomainError, NotFound
from careteams.incarnation import (
    CHECKED,
    Cursor,
    cursor_at,
    cursor_holds,
    cursor_text,
    feed_position,
)
from careteams.models import User
from clients.models import FamilyAccess


class Resync(DomainError):
    """The device's cursor is not one of this feed's (another incarnation, or past the head,
    e.g. after a restore): it must drop its copy and pull afresh from 0, never skip ahead."""

    status = 409
    title = "Resync needed"
    problem_title = _("Resync needed")


def as_seen(
    viewer: feed.FeedViewer, row: Mapping[str, Any], gone: frozenset[uuid.UUID]
) -> dict[str, Any]:
    change = {
        "seq": row["seq"],
        "entity": row["entity"],
        "id": row["entity_id"],
        "op": row["op"],
        "version": row["version"],
        "client": row["client_id"],
        "data": row["data"],
        "at": row["created_at"],
    }
    if viewer.kind == feed.ViewerKind.COACH:
        change["client"] = None
        change["data"] = registry.get(row["entity"]).coach_view(row["data"])
    elif viewer.kind == feed.ViewerKind.FAMILY and row["op"] == "upsert":
        family = registry.get(row["entity"]).family
        shown = None if row["client_id"] in gone or family is None else family.shape(row["data"])
        change["data"] = shown or {}
        if shown is None:
            change["op"] = "delete"
    return change


def _revoked_clients(user: User, viewer: feed.FeedViewer) -> frozenset[uuid.UUID]:
    """Clients of this team the user followed as family once but may not now."""
    if viewer.kind != feed.ViewerKind.FAMILY:
        return frozenset()
    ids = FamilyAccess.objects.filter(
        person=user, client__team_id=viewer.team_id, revoked_at__isnull=False
    ).values_list("client_id", flat=True)
    return frozenset(ids) - viewer.client_ids


def _refusal(
    team_id: uuid.UUID, cursor: Cursor, incarnation: str | None, position: tuple[int, str]
) -> Resync | None:
    """Why the feed cannot continue from this cursor, if it cannot (docs/sync.md, "Resync")."""
    head, current = position
    if cursor.seq and incarnation != current:
        return Resync(
            "This cursor belongs to another incarnation of the feed (the server's database "
            "was restored) or came without one: drop your copy and pull afresh from 0.",
            field="incarnation",
        )
    if cursor.seq > head:
        return Resync(
            f"The cursor {cursor.seq} is past the feed's head {head}: drop your copy and pull "
            "afresh from 0.",
            field="after",
        )
    if not cursor_holds(team_id=team_id, cursor=cursor):
        return Resync(
            f"The feed's change {cursor.seq} is not the one this cursor was given after (the "
            "server's database was restored), or the cursor is a bare number, which cannot "
            "be checked: drop your copy and pull afresh from 0.",
            field="after",
        )
    return None


def changes_after(
    *, user: User, team_id: uuid.UUID, after: Cursor, limit: int, incarnation: str | None = None
) -> dict[str, Any]:
    """Up to `limit` changes after the cursor `after` that the user may see, in order, and the
    cursor to ask from next: it moves over changes the user may not see, so none is asked for
    twice. A cursor other than 0 must be of the current incarnation (careteams/incarnation.py)
    and still stand after the change it was given after."""
    viewer = feed.feed_viewer(user=user, team_id=team_id)
    if viewer is None:
        raise NotFound()
    head, current = feed_position(team_id=team_id)
    if (refusal := _refusal(team_id, after, incarnation, (head, current))) is not None:
        raise refusal
    gone = _revoked_clients(user, viewer)
    scope = dataclasses.replace(viewer, client_ids=viewer.client_ids | gone)
    rows = list(
        feed.changes_visible_to(scope)
        .filter(seq__gt=after.seq, seq__lte=head)
        .order_by("seq")
        .values(*CHECKED, "op", "client_id", "data")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows and (has_more or rows[-1]["seq"] == head) else None
    return {
        "changes": [as_seen(viewer, row, gone) for row in rows],
        "next_cursor": cursor_text(last) if last else cursor_at(team_id=team_id, seq=head),
        "has_more": has_more,
        "head": head,
        "incarnation": current,
    }
