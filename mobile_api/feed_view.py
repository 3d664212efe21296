"""The change feed as one viewer may hold it on a device (careteams.feed scopes; this redacts).

Members get each record as stored. Coaches get the rota, with visits stripped of who the client
is. Family and the client get their client's records in the plain shape of the family view;
records they can no longer see (a cancelled visit, a stopped intervention, a client whose
access was revoked) arrive as deletions, so the device drops them.
"""

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any

from careteams import access, feed
from careteams.errors import DomainError, NotFound
from careteams.incarnation import feed_position
from careteams.models import User
from clients import plain_language
from clients.models import FamilyAccess

COACH_FIELDS = {
    "visit": frozenset(access.COACH_VISIT_FIELDS) | {"version"},
    "visit_assignment": frozenset({"id", "visit_id", "member_id", "version"}),
}
FAMILY_FIELDS = {
    "client": ("id", "team_id", "version"),
    "visit": (
        "id",
        "client_id",
        "planned_start",
        "planned_end",
        "window_start",
        "window_end",
        "status",
        "version",
    ),
    "note": ("id", "client_id", "body", "recorded_at", "amends_id", "version"),
    "care_problem": ("id", "client_id", "status", "identified_on", "resolved_on", "version"),
    "intervention": ("id", "problem_id", "frequency", "care_description", "version"),
}


class Resync(DomainError):
    """The device's cursor is not one of this feed's (another incarnation, or past the head,
    e.g. after a restore): it must drop its copy and pull afresh from 0, never skip ahead."""

    status = 409
    title = problem_title = "Resync needed"


def _family(entity: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The family's shape of one record, or None when they no longer see it."""
    if entity == "visit" and data.get("status") == "cancelled":
        return None
    if entity == "intervention" and not data.get("active", True):
        return None
    shown = {k: data.get(k) for k in FAMILY_FIELDS.get(entity, ())}
    if entity == "client":
        shown["name"] = data.get("preferred_name") or data.get("given_name", "")
    if entity == "care_problem":
        shown["name"] = plain_language.problem_name(str(data.get("problem_code", "")))
    if entity == "intervention":
        shown["kind"] = plain_language.category_words(str(data.get("category", "")))
    return shown


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
        if (fields := COACH_FIELDS.get(row["entity"])) is not None:
            change["data"] = {k: v for k, v in row["data"].items() if k in fields}
    elif viewer.kind == feed.ViewerKind.FAMILY and row["op"] == "upsert":
        shown = None if row["client_id"] in gone else _family(row["entity"], row["data"])
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


def changes_after(
    *, user: User, team_id: uuid.UUID, after: int, limit: int, incarnation: str | None = None
) -> dict[str, Any]:
    """Up to `limit` changes after `after` that the user may see, in order, and the cursor to
    ask from next: it moves over changes the user may not see, so none is asked for twice.
    A cursor other than 0 must be of the current incarnation (careteams/incarnation.py)."""
    viewer = feed.feed_viewer(user=user, team_id=team_id)
    if viewer is None:
        raise NotFound()
    head, current = feed_position(team_id=team_id)
    if after and incarnation != current:
        raise Resync(
            "This cursor belongs to another incarnation of the feed (the server's database "
            "was restored) or came without one: drop your copy and pull afresh from 0.",
            field="incarnation",
        )
    if after > head:
        raise Resync(
            f"The cursor {after} is past the feed's head {head}: drop your copy and pull "
            "afresh from 0.",
            field="after",
        )
    gone = _revoked_clients(user, viewer)
    scope = dataclasses.replace(viewer, client_ids=viewer.client_ids | gone)
    rows = list(
        feed.changes_visible_to(scope)
        .filter(seq__gt=after, seq__lte=head)
        .order_by("seq")
        .values("seq", "entity", "entity_id", "op", "version", "client_id", "data", "created_at")[
            : limit + 1
        ]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "changes": [as_seen(viewer, row, gone) for row in rows],
        "next_cursor": rows[-1]["seq"] if has_more else head,
        "has_more": has_more,
        "head": head,
        "incarnation": current,
    }
