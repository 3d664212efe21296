"""Signed-in members for the load bench, made straight in the database (Django must be set up
with the same SECRET_KEY as the workers: sessions and device tokens are bound to it).

Members of the scale world (`manage.py demo_data --teams N`: m01.t0001@scale.careteams.test, ...)
when there is one, else any active members of any team (the plain demo). Teams are shuffled
(fixed seed) and members taken one per team in turn, so that the first users are of as many
different teams as there are.
"""

import datetime as dt
import importlib
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import QuerySet

from accounts import policy, tokens
from accounts.signals import EPOCH, SEEN_AT, SIGNED_IN_AT
from careteams import timeutil
from careteams.incarnation import cursor_at, feed_position
from careteams.models import Membership, Team
from clients.models import Client

SCALE_DOMAIN = "@scale.careteams.test"
DEVICE_NAME = "load bench"
CLIENTS_PER_USER = 3
# The sync pull starts this many changes behind the team's head (the issue's "100 changes").
SYNC_BEHIND = 100


@dataclass(frozen=True)
class BenchUser:
    """One signed-in member and the ids of what they ask for."""

    email: str
    team_id: uuid.UUID
    session_key: str
    token: str
    token_id: uuid.UUID
    client_ids: tuple[uuid.UUID, ...]
    monday: dt.date
    today: dt.date
    sync_after: str  # a checked cursor (careteams.incarnation), SYNC_BEHIND behind the head
    incarnation: str


def _memberships() -> QuerySet[Membership]:
    active = Membership.objects.active().filter(user__is_active=True)
    scale = active.filter(user__email__endswith=SCALE_DOMAIN)
    return (scale if scale.exists() else active).select_related("user", "team")


def pick_members(count: int, seed: int = 16) -> list[Membership]:
    """Up to `count` memberships of different users, one team after another."""
    by_team: dict[uuid.UUID, list[Membership]] = {}
    for membership in _memberships().order_by("team_id", "user__email"):
        by_team.setdefault(membership.team_id, []).append(membership)
    teams = sorted(by_team)
    random.Random(seed).shuffle(teams)
    picked: list[Membership] = []
    seen: set[uuid.UUID] = set()
    depth = 0
    while len(picked) < count and any(depth < len(by_team[t]) for t in teams):
        for team_id in teams:
            members = by_team[team_id]
            if depth < len(members) and members[depth].user_id not in seen:
                picked.append(members[depth])
                seen.add(members[depth].user_id)
                if len(picked) == count:
                    break
        depth += 1
    return picked


def _session(membership: Membership) -> str:
    """A page session as django.contrib.auth.login and accounts.signals.stamp_session leave it."""
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    user = membership.user
    now = int(dt.datetime.now(dt.UTC).timestamp())
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = now
    store[SEEN_AT] = now
    store[EPOCH] = policy.session_epoch(user)
    store.create()
    assert store.session_key is not None
    return str(store.session_key)


def _clients(team: Team, seed: int) -> tuple[uuid.UUID, ...]:
    ids = list(Client.objects.filter(team=team, status="active").values_list("id", flat=True))
    if not ids:
        ids = list(Client.objects.filter(team=team).values_list("id", flat=True))
    random.Random(seed).shuffle(ids)
    return tuple(ids[:CLIENTS_PER_USER])


def _cursor(team: Team, head: int) -> str:
    behind = max(0, head - SYNC_BEHIND)
    return cursor_at(team_id=team.id, seq=behind) if behind else "0"


def sign_in(memberships: list[Membership]) -> list[BenchUser]:
    users = []
    for n, membership in enumerate(memberships):
        user, team = membership.user, membership.team
        # With the second factor when the account has one: the bench skips the code, not the rule.
        issued = tokens.token_issue(
            user=user, name=DEVICE_NAME, with_second_factor=policy.has_totp(user)
        )
        head, incarnation = feed_position(team_id=team.id)
        users.append(
            BenchUser(
                email=user.email,
                team_id=team.id,
                session_key=_session(membership),
                token=issued.token,
                token_id=issued.device.id,
                client_ids=_clients(team, seed=n),
                monday=timeutil.monday_of(timeutil.local_today(team.zone)),
                today=timeutil.local_today(team.zone),
                sync_after=_cursor(team, head),
                incarnation=incarnation,
            )
        )
    return users


def sign_out(users: list[BenchUser]) -> None:
    """End the bench's sessions and device tokens."""
    store_class = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    for user in users:
        store_class(session_key=user.session_key).delete()
    revoke_leftovers(token_ids=[user.token_id for user in users])


def revoke_leftovers(token_ids: list[uuid.UUID] | None = None) -> int:
    """Revoke the bench's device tokens (these, or all still live from runs that were killed),
    through the service, so that anything opened with them closes as it would for a person."""
    devices = tokens.live_tokens().filter(name=DEVICE_NAME).select_related("user")
    if token_ids is not None:
        devices = devices.filter(id__in=token_ids)
    count = 0
    for device in devices:
        tokens.token_revoke(user=device.user, token_id=device.id)
        count += 1
    return count


def world_size() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "clients": Client.objects.count(),
        "members": Membership.objects.active().count(),
    }
