"""Reads for the people-and-teams pages, scoped through careteams.access."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from careteams import access, hooks, timeutil
from careteams.access import AnyUser
from careteams.errors import DomainError
from careteams.models import Membership, Team, User


def landing_url_name(user: AnyUser) -> str:
    """Where a user lands after signing in: team members on their day (what they came for on a
    tablet, as the rota app registers it in careteams/hooks.py), coaches on their teams, families
    on their view."""
    if access.member_teams(user).exists():
        return hooks.member_landing()
    if access.coached_teams(user).exists():
        return "coach-home"
    if access.has_family_view(user):
        return "family-home"
    return "no-access"


@dataclass(frozen=True)
class TeamOverview:
    team: Team
    members: list[Membership]
    today: dt.date
    visits_today: int
    unassigned_today: int
    is_member: bool
    # Whether the user may mark colleagues as left; anyone may say it of themselves.
    may_end_others: bool


def team_overview(*, user: User, team_id: uuid.UUID) -> TeamOverview:
    team = access.get_visible(access.teams_visible_to(user), team_id)
    today = timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, today)
    # The day's visits, as the rota app counts them (careteams/hooks.py).
    counts = hooks.team_day_facts(team, start, end)
    members = list(Membership.objects.active().filter(team=team).select_related("user"))
    return TeamOverview(
        team=team,
        members=members,
        today=today,
        visits_today=counts.get("visits", 0),
        unassigned_today=counts.get("unassigned", 0),
        is_member=any(m.user_id == user.pk for m in members),
        may_end_others=_allowed(access.require_may_end_colleagues, user, team),
    )


def coached_teams_summary(*, user: AnyUser) -> QuerySet[Team]:
    return access.coached_teams(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    )


def family_clients(*, user: AnyUser) -> QuerySet[Any]:
    return access.family_view_clients(user).only("id", "given_name", "family_name", "team_id")


def notices_bilingual(*, team_ids: set[uuid.UUID]) -> bool:
    """Whether any of these teams shows its notices for the public in both languages (a family
    page that lists clients of several teams: careteams.bilingual)."""
    return Team.objects.filter(id__in=team_ids, bilingual_notices=True).exists()


def team_for_member(*, user: AnyUser, team_id: uuid.UUID) -> Team:
    """A team the user works in: members only (coaches read figures and the rota PDF)."""
    return access.member_team(user, team_id)


def team_members(*, user: AnyUser, team: Team) -> QuerySet[Membership]:
    """The team's current members, by name: the one list every page and form offers."""
    return (
        access.members_visible_to(user)
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


def membership_for_member(
    *, user: AnyUser, team_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership:
    """A current member of one of the user's own teams (coaches read teams; they do not staff)."""
    memberships = (
        Membership.objects.active()
        .filter(team_id=team_id, team__in=access.member_teams(user))
        .select_related("user", "team")
    )
    return access.get_visible(memberships, membership_id)


def may_end_membership(*, user: AnyUser, membership: Membership) -> bool:
    """Whether this user may mark this member as left (access.require_may_end_membership)."""
    return _allowed(access.require_may_end_membership, user, membership)


def _allowed[T](check: Callable[[AnyUser, T], None], user: AnyUser, target: T) -> bool:
    try:
        check(user, target)
    except DomainError:  # NotFound or NotAllowed alike mean "no"
        return False
    return True
