"""The people of the morning-peak bench (bench/load/morning.py), made in the database before the
workers start (Django set up with the workers' SECRET_KEY: device tokens are bound to it).

- Carers: members with planned visits today (in their team's time zone) that nobody has
  checked in to, each with a device token and a checked sync cursor SYNC_BEHIND changes behind
  their team's head. Each carer does one morning: their visits are done after it, so a run needs
  as many carers as it starts sequences (the scale world of 1,000 teams has about 12,000).
- Planners: one member of each of the first teams, with the visits of the coming days that have
  one carer: the planner takes the carer off and puts them back, as a team reshuffling its week.
- Family: readers given access to a client of their own through the services (invited by a
  member, accepted), revoked when the bench ends (`sign_out`).
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from accounts import policy, tokens
from bench.load.credentials import DEVICE_NAME, SYNC_BEHIND, revoke_leftovers
from careteams import timeutil
from careteams.incarnation import cursor_at, feed_position
from careteams.models import Membership, Role, Team, User
from clients.models import Client, ConsentBasis, FamilyAccess, Relationship
from clients.services.family import family_accept, family_invite, family_revoke
from scheduling.models import Visit, VisitAssignment, VisitStatus

FAMILY_DOMAIN = "bench-family.careteams.test"
PLANNER_VISITS = 20


@dataclass(frozen=True)
class Carer:
    email: str
    team_id: uuid.UUID
    token: str
    token_id: uuid.UUID
    cursor: str
    incarnation: str


@dataclass(frozen=True)
class Planner:
    email: str
    team_id: uuid.UUID
    token: str
    token_id: uuid.UUID
    # (visit id, member id) pairs: a visit of the coming days and its one carer.
    places: tuple[tuple[uuid.UUID, uuid.UUID], ...]


@dataclass(frozen=True)
class Reader:
    email: str
    client_id: uuid.UUID
    token: str
    token_id: uuid.UUID
    access_id: uuid.UUID


@dataclass
class People:
    carers: list[Carer] = field(default_factory=list)
    planners: list[Planner] = field(default_factory=list)
    readers: list[Reader] = field(default_factory=list)


def _token(user: User) -> tokens.Issued:
    return tokens.token_issue(user=user, name=DEVICE_NAME, with_second_factor=policy.has_totp(user))


def _teams_today() -> dict[uuid.UUID, tuple[dt.datetime, dt.datetime]]:
    return {
        team.id: timeutil.day_bounds(team.zone, timeutil.local_today(team.zone))
        for team in Team.objects.all()
    }


def carers_today(count: int) -> list[Membership]:
    """Up to `count` members with planned visits today that nobody has checked in to, as many
    teams as possible first (one member a team in turn)."""
    by_team: dict[uuid.UUID, list[Membership]] = {}
    for team_id, (start, end) in _teams_today().items():
        member_ids = (
            VisitAssignment.objects.filter(
                visit__team_id=team_id,
                visit__status=VisitStatus.PLANNED,
                visit__planned_start__gte=start,
                visit__planned_start__lt=end,
            )
            .values_list("member_id", flat=True)
            .distinct()
        )
        found = Membership.objects.active().filter(id__in=member_ids, user__is_active=True)
        by_team[team_id] = list(found.select_related("user", "team").order_by("user__email"))
    picked: list[Membership] = []
    depth = 0
    while len(picked) < count and any(depth < len(m) for m in by_team.values()):
        for members in by_team.values():
            if depth < len(members) and len(picked) < count:
                picked.append(members[depth])
        depth += 1
    return picked


def _carer(membership: Membership) -> Carer:
    issued = _token(membership.user)
    head, incarnation = feed_position(team_id=membership.team_id)
    behind = max(0, head - SYNC_BEHIND)
    cursor = cursor_at(team_id=membership.team_id, seq=behind) if behind else "0"
    return Carer(
        email=membership.user.email,
        team_id=membership.team_id,
        token=issued.token,
        token_id=issued.device.id,
        cursor=cursor,
        incarnation=incarnation,
    )


def _planner(team: Team, busy: set[uuid.UUID]) -> Planner | None:
    """A registered nurse of `team` (who may change the week), with visits after today that
    have one carer, who is not one of the bench's carers."""
    nurse = (
        Membership.objects.active()
        .filter(team=team, role=Role.REGISTERED_NURSE, user__is_active=True)
        .exclude(id__in=busy)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if nurse is None:
        return None
    _, end = timeutil.day_bounds(team.zone, timeutil.local_today(team.zone))
    places = []
    visits = Visit.objects.filter(
        team=team, status=VisitStatus.PLANNED, planned_start__gte=end, carers_needed=1
    ).prefetch_related("assignments")
    for visit in visits.order_by("planned_start")[: PLANNER_VISITS * 2]:
        carers = [a.member_id for a in visit.assignments.all()]
        if len(carers) == 1 and carers[0] not in busy:
            places.append((visit.id, carers[0]))
    if not places:
        return None
    issued = _token(nurse.user)
    return Planner(
        email=nurse.user.email,
        team_id=team.id,
        token=issued.token,
        token_id=issued.device.id,
        places=tuple(places[:PLANNER_VISITS]),
    )


def _reader(n: int, client: Client, nurse: User) -> Reader:
    email = f"reader{n:04d}@{FAMILY_DOMAIN}"
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": "Bench",
            "last_name": f"Reader {n}",
            "password": make_password(None),
        },
    )
    _, link = family_invite(
        client=client,
        email=email,
        relationship=Relationship.values[0],
        consent_basis=ConsentBasis.values[0],
        actor=nurse,
    )
    access = family_accept(token=link, user=user)
    issued = _token(user)
    return Reader(
        email=email,
        client_id=client.id,
        token=issued.token,
        token_id=issued.device.id,
        access_id=access.id,
    )


def sign_in(*, carers: int, planners: int, readers: int) -> People:
    revoke_leftovers()
    people = People(carers=[_carer(m) for m in carers_today(carers)])
    busy_teams = list(dict.fromkeys(c.team_id for c in people.carers))
    busy_members = set(
        Membership.objects.filter(user__email__in=[c.email for c in people.carers]).values_list(
            "id", flat=True
        )
    )
    for team in Team.objects.filter(id__in=busy_teams[: planners * 2]):
        planner = _planner(team, busy_members)
        if planner is not None and len(people.planners) < planners:
            people.planners.append(planner)
    nurses = {
        m.team_id: m.user
        for m in Membership.objects.active()
        .filter(team_id__in=busy_teams, role=Role.REGISTERED_NURSE)
        .select_related("user")
    }
    clients = Client.objects.filter(team_id__in=list(nurses)).order_by("team_id", "id")
    for n, client in enumerate(clients[:readers]):
        people.readers.append(_reader(n, client, nurses[client.team_id]))
    return people


def sign_out(people: People) -> None:
    """Revoke the bench's device tokens and the family access it gave."""
    revoke_leftovers()
    for reader in people.readers:
        access = FamilyAccess.objects.select_related("granted_by").get(pk=reader.access_id)
        if access.revoked_at is None:
            family_revoke(access=access, version=access.version, actor=access.granted_by)
