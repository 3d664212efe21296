"""Who may see which clients and notes, and who may hold a key-safe code: built on the core's
scoping (careteams/access.py), with the same promise. A record outside these querysets does not
exist for the user: callers raise `errors.NotFound` (a 404), never a 403 that confirms it.

This app holds the clients, so it declares the family view's scope to the core (`install`, from
`ClientsConfig.ready`): a person's live family access, and a client's own account.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from careteams import access, access_log, timeutil
from careteams.access import AnyUser
from careteams.models import Role, Team, User
from clients import hooks
from clients.models import Client, FamilyAccess, Note


def _family_sources(user: User) -> Sequence[tuple[QuerySet[Any, Any], str]]:
    """Each on an index: family access by person, the client's own account by its user."""
    return (
        (FamilyAccess.objects.filter(person=user, revoked_at__isnull=True), "client_id"),
        (Client.objects.filter(user=user), "id"),
    )


def _family_ids(user: User) -> QuerySet[Any, Any]:
    via_family = FamilyAccess.objects.filter(person=user, revoked_at__isnull=True).values(
        "client_id"
    )
    return Client.objects.filter(Q(id__in=via_family) | Q(user=user)).values("id")


def install() -> None:
    """Declare the family view to the core; a saved client or family access changes it; and
    every client loaded in a request is a read for the read log (careteams/access_log.py)."""
    access.register_family_scope(access.FamilyScope(sources=_family_sources, ids=_family_ids))
    for model in (FamilyAccess, Client):
        access.forget_scopes_on_save(model)
    access_log.watch_client_reads(Client)


# Clients -----------------------------------------------------------------------------------


def clients_visible_to(user: AnyUser) -> QuerySet[Client]:
    """Clients whose full record the user may read and write: those of the user's teams."""
    return Client.objects.filter(team_id__in=access.member_scope(user))


def clients_in_family_view(user: AnyUser) -> QuerySet[Client]:
    return Client.objects.filter(id__in=access.family_scope(user))


def notes_visible_to(user: AnyUser) -> QuerySet[Note]:
    """Every note of the team's clients for members; shared notes only for family and client."""
    return Note.objects.filter(
        Q(client__team_id__in=access.member_scope(user))
        | Q(client_id__in=access.family_scope(user), shareable=True)
    )


# The key safe ------------------------------------------------------------------------------

# The team's nurses hold the caseload, so they may open any of its clients' doors.
NURSE_ROLES = frozenset({Role.REGISTERED_NURSE, Role.NURSING_ASSOCIATE})


def key_safe_client_ids(
    user: AnyUser, team: Team, client_ids: Iterable[uuid.UUID], *, now: dt.datetime | None = None
) -> frozenset[uuid.UUID]:
    """Of these clients of the team, those whose key-safe code the user may read: every one for
    the team's nurses; for other members, the clients they are on a visit to today (in the
    team's time zone). Coaches, family, the client and other teams: none. A code opens a door,
    so a carer holds it only on the day they need it."""
    wanted = frozenset(client_ids)
    member = access.membership_of(user, team)
    if member is None or not wanted:
        return frozenset()
    if member.role in NURSE_ROLES:
        return wanted
    start, end = timeutil.day_bounds(team.zone, timeutil.local_today(team.zone, now=now))
    return frozenset(hooks.visits().member_visiting(member, team, wanted, start, end))


def key_safe_visible_to(user: AnyUser, client: Client, *, now: dt.datetime | None = None) -> bool:
    return client.id in key_safe_client_ids(user, client.team, [client.id], now=now)
