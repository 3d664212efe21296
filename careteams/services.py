"""Writes about people and teams. Each one others must hear about goes through changes.record."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from careteams import access, changes
from careteams.errors import DomainError
from careteams.models import CoachLink, HolidayRegion, Membership, Team, User
from careteams.versioning import bump, check_version


def membership_end(*, membership: Membership, version: int, actor: User) -> Membership:
    """A leaver: from this moment the membership opens nothing. Their pages and API calls are
    scoped by active memberships, and their open sockets close once this commits."""
    access.require_member_of(actor, membership.team_id)
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
        )
        check_version(current, expected=version)
        if current.ended_at is not None:
            raise DomainError("This person has already left the team.")
        current.ended_at = timezone.now()
        bump(current)
        current.save(update_fields=["ended_at", "version"])
        changes.record(team=current.team, entity="membership", obj=current, actor=actor)
        changes.access_changed(user_id=current.user_id)
    return current


@dataclass(frozen=True)
class TeamDetails:
    name: str
    timezone: str = "Europe/London"
    holiday_country: str = "GB"
    holiday_subdivision: str = HolidayRegion.ENGLAND
    continuity_limit: int = 4


def team_create(*, details: TeamDetails, actor: User | None) -> Team:
    with transaction.atomic():
        team = Team.objects.create(**asdict(details))
        changes.record(team=team, entity="team", obj=team, actor=actor)
    return team


def team_update(*, team: Team, version: int, details: TeamDetails, actor: User) -> Team:
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        check_version(current, expected=version)
        for name, value in asdict(details).items():
            setattr(current, name, value)
        bump(current)
        current.save(update_fields=[*asdict(details), "version"])
        changes.record(team=current, entity="team", obj=current, actor=actor)
    return current


@dataclass(frozen=True)
class MembershipDetails:
    role: str
    contracted_hours: Decimal = Decimal(0)
    skills: list[str] = field(default_factory=list)
    team_roles: list[str] = field(default_factory=list)


def membership_create(
    *, team: Team, user: User, details: MembershipDetails, actor: User | None
) -> Membership:
    """A new member (the invitation path is accounts.services.team_invitation_accept)."""
    with transaction.atomic():
        membership = Membership.objects.create(team=team, user=user, **asdict(details))
        changes.record(team=team, entity="membership", obj=membership, actor=actor)
        changes.access_changed(user_id=user.pk)
    return membership


def membership_update(
    *, membership: Membership, version: int, details: MembershipDetails, actor: User
) -> Membership:
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
        )
        check_version(current, expected=version)
        for name, value in asdict(details).items():
            setattr(current, name, value)
        bump(current)
        current.save(update_fields=[*asdict(details), "version"])
        changes.record(team=current.team, entity="membership", obj=current, actor=actor)
    return current


def coach_link_create(*, coach: User, team: Team, actor: User | None) -> CoachLink:
    """Coach links are not in the feed (devices do not hold them), but they open a team's rota
    to the coach: their open sockets re-check their access once this commits."""
    with transaction.atomic():
        link = CoachLink.objects.create(coach=coach, team=team)
        changes.access_changed(user_id=coach.pk)
    return link


def coach_link_end(*, link: CoachLink, actor: User) -> CoachLink:
    with transaction.atomic():
        current = CoachLink.objects.select_for_update().get(pk=link.pk)
        if current.ended_at is not None:
            raise DomainError("This coach no longer coaches the team.")
        current.ended_at = timezone.now()
        current.save(update_fields=["ended_at"])
        changes.access_changed(user_id=current.coach_id)
    return current
