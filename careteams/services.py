"""Writes about people and teams. Each one others must hear about goes through changes.record."""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from careteams import access, changes, limits
from careteams.errors import DomainError
from careteams.models import CoachLink, HolidayRegion, Membership, Team, User
from careteams.versioning import bump, check_version

PHONE_CHARACTERS = re.compile(r"[0-9 +()-]+")


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


def team_contact_update(
    *,
    team: Team,
    version: int,
    phone: str,
    phone_hours: str,
    late_grace_minutes: int,
    actor: User,
) -> Team:
    """How families and carers reach the team, and how long after a visit's latest start it
    counts as late. Kept apart from team_update so neither form blanks the other's fields."""
    access.require_member_of(actor, team.pk)
    phone, phone_hours = phone.strip(), phone_hours.strip()
    if len(phone) > limits.PHONE_MAX:
        raise DomainError(limits.too_long(limits.PHONE_MAX), field="phone")
    if phone and not PHONE_CHARACTERS.fullmatch(phone):
        raise DomainError("Enter a phone number: digits, spaces, +, ( and ) only.", field="phone")
    if len(phone_hours) > limits.PHONE_HOURS_MAX:
        raise DomainError(limits.too_long(limits.PHONE_HOURS_MAX), field="phone_hours")
    if not 0 <= late_grace_minutes <= limits.LATE_GRACE_MINUTES_MAX:
        raise DomainError(
            f"Choose 0 to {limits.LATE_GRACE_MINUTES_MAX} minutes.", field="late_grace_minutes"
        )
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        check_version(current, expected=version)
        current.phone, current.phone_hours = phone, phone_hours
        current.late_grace_minutes = late_grace_minutes
        bump(current)
        current.save(update_fields=["phone", "phone_hours", "late_grace_minutes", "version"])
        changes.record(team=current, entity="team", obj=current, actor=actor)
    return current
