"""Reading a team's change feed as one viewer may see it: for sockets and, later, sync pulls.

A member sees every change of the team; a coach sees the rota's changes without client ids;
family (and the client) see changes about their client only, and of notes only shared ones.
Which kinds each may follow is declared with each kind in `careteams.registry`.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from careteams import access, incarnation, registry
from careteams.models import Change, Team, User


class ViewerKind(StrEnum):
    MEMBER = "member"
    COACH = "coach"
    FAMILY = "family"


@dataclass(frozen=True)
class FeedViewer:
    user_id: uuid.UUID
    team_id: uuid.UUID
    kind: ViewerKind
    client_ids: frozenset[uuid.UUID] = frozenset()


def feed_viewer(*, user: User, team_id: uuid.UUID) -> FeedViewer | None:
    """How `user` may follow `team_id`'s feed, or None when the team does not exist for them."""
    if access.member_teams(user).filter(id=team_id).exists():
        return FeedViewer(user.pk, team_id, ViewerKind.MEMBER)
    if access.coached_teams(user).filter(id=team_id).exists():
        return FeedViewer(user.pk, team_id, ViewerKind.COACH)
    client_ids = frozenset(
        access.family_view_clients(user).filter(team_id=team_id).values_list("id", flat=True)
    )
    if client_ids:
        return FeedViewer(user.pk, team_id, ViewerKind.FAMILY, client_ids)
    return None


def changes_visible_to(viewer: FeedViewer) -> QuerySet[Change]:
    """The team's changes this viewer may follow: the one place the feed's scoping is defined."""
    changes = Change.objects.filter(team_id=viewer.team_id)
    if viewer.kind == ViewerKind.COACH:
        return changes.filter(entity__in=registry.coach_names())
    if viewer.kind == ViewerKind.FAMILY:
        return changes.filter(
            client_id__in=viewer.client_ids, entity__in=registry.family_names()
        ).exclude(_family_withheld())
    return changes


def _family_withheld() -> Q:
    """Changes of a family kind that family may not follow (a note not shared with them)."""
    withheld = Q()
    for entity in registry.entities():
        if entity.family is None:
            continue
        for name, value in entity.family.only_when.items():
            withheld |= Q(entity=entity.name) & ~Q(**{f"data__{name}": value})
    return withheld


def last_seq(*, team_id: uuid.UUID) -> int:
    """The team's committed head: every change up to it is readable now."""
    return Team.objects.filter(id=team_id).values_list("last_change_seq", flat=True).get()


def events_between(*, viewer: FeedViewer, after: int, upto: int) -> list[dict[str, Any]]:
    """The viewer's events with after < seq <= upto, in order."""
    rows = (
        changes_visible_to(viewer)
        .filter(seq__gt=after, seq__lte=upto)
        .order_by("seq")
        .values(*incarnation.CHECKED, "op", "client_id")
    )
    return [
        event_for(
            viewer,
            {
                **row,
                "id": str(row["entity_id"]),
                "client": row["client_id"],
                "cursor": incarnation.cursor_text(row),
            },
        )
        for row in rows
    ]


def event_for(viewer: FeedViewer, change: dict[str, Any]) -> dict[str, Any]:
    """The message a viewer's socket gets for one change it may see."""
    event: dict[str, Any] = {"type": "change", "seq": change["seq"]}
    if "cursor" in change:  # an event from a worker of before cursors carried checks has none
        # The cursor to reconnect with after this change (docs/sync.md, "Cursors").
        event["cursor"] = change["cursor"]
    event.update(entity=change["entity"], id=str(change["id"]), op=change["op"])
    if viewer.kind != ViewerKind.COACH and change.get("client"):
        event["client"] = str(change["client"])
    return event


def without_reading(viewer: FeedViewer, change: dict[str, Any]) -> dict[str, Any] | None:
    """The next live event as the viewer sees it, when that can be told from the event alone:
    the event to send, or None to skip it. Family viewers always read the row (a note's sharing
    is recorded there, not in the event), so this raises for them."""
    if viewer.kind == ViewerKind.FAMILY:
        raise ValueError("family viewers read the feed row")
    if viewer.kind == ViewerKind.COACH and change["entity"] not in registry.coach_names():
        return None
    return event_for(viewer, change)
