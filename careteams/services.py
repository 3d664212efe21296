"""Writes about people and teams. Each one others must hear about goes through changes.record."""

import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, changes, limits
from careteams.errors import DomainError
from careteams.models import CoachLink, HolidayRegion, Language, Membership, Team, TeamRole, User
from careteams.skills import unknown_skills
from careteams.versioning import versioned_save, versioned_write

PHONE_CHARACTERS = re.compile(r"[0-9 +()-]+")


def membership_end(*, membership: Membership, version: int, actor: User) -> Membership:
    """A leaver: from this moment the membership opens nothing. Their pages and API calls are
    scoped by active memberships, and their open sockets close once this commits."""
    with transaction.atomic():
        with versioned_write(
            Membership.objects.select_related("team"),
            pk=membership.pk,
            version=version,
            entity="membership",
            actor=actor,
            guard=lambda current: access.require_may_end_membership(actor, current),
            update_fields=["ended_at"],
        ) as current:
            if current.ended_at is not None:
                raise DomainError(_("This person has already left the team."))
            current.ended_at = timezone.now()
        # After the change's own event: an open socket sends it, then closes.
        changes.access_changed(user_id=current.user_id)
    return current


@dataclass(frozen=True)
class TeamDetails:
    name: str
    timezone: str = "Europe/London"
    holiday_country: str = "GB"
    holiday_subdivision: str = HolidayRegion.ENGLAND
    continuity_limit: int = 4
    managed_by_role: str = ""
    phone: str = ""
    phone_hours: str = ""
    late_grace_minutes: int = limits.LATE_GRACE_MINUTES_DEFAULT
    language: str = Language.ENGLISH
    bilingual_notices: bool = False


# The team's settings its members change themselves (the settings page and the API list these,
# in this order); the timezone and holiday country stay with the site's administrators.
TEAM_SETTINGS_FIELDS = (
    "name",
    "holiday_subdivision",
    "continuity_limit",
    "phone",
    "phone_hours",
    "late_grace_minutes",
    "language",
    "bilingual_notices",
    "managed_by_role",
)
CONTINUITY_LIMIT_MAX = 20
TEAM_NAME_MAX = 120


def _team_details_check(details: TeamDetails) -> None:
    """The same refusals whichever door the values came through."""
    if not details.name.strip():
        raise DomainError(_("Give the team a name."), field="name")
    if len(details.name) > TEAM_NAME_MAX:
        raise DomainError(
            _("Keep the name to %(limit)s characters or fewer.") % {"limit": TEAM_NAME_MAX},
            field="name",
        )
    if details.holiday_subdivision not in HolidayRegion.values:
        raise DomainError(
            _("Choose England, Wales, Scotland or Northern Ireland."),
            field="holiday_subdivision",
        )
    if not 1 <= details.continuity_limit <= CONTINUITY_LIMIT_MAX:
        raise DomainError(
            _("The limit of carers per client is from 1 to %(limit)s.")
            % {"limit": CONTINUITY_LIMIT_MAX},
            field="continuity_limit",
        )
    if details.language not in Language.values:
        raise DomainError(_("Choose English or Cymraeg."), field="language")
    if details.managed_by_role and details.managed_by_role not in TeamRole.values:
        raise DomainError(
            _("Choose one of the team's roles, or any member."), field="managed_by_role"
        )
    _team_contact_check(details)


def _team_contact_check(details: TeamDetails) -> None:
    if len(details.phone) > limits.PHONE_MAX:
        raise DomainError(limits.too_long(limits.PHONE_MAX), field="phone")
    if details.phone and not PHONE_CHARACTERS.fullmatch(details.phone):
        raise DomainError(
            _("Enter a phone number: digits, spaces, +, ( and ) only."), field="phone"
        )
    if len(details.phone_hours) > limits.PHONE_HOURS_MAX:
        raise DomainError(limits.too_long(limits.PHONE_HOURS_MAX), field="phone_hours")
    if not 0 <= details.late_grace_minutes <= limits.LATE_GRACE_MINUTES_MAX:
        raise DomainError(
            _("Choose 0 to %(limit)s minutes.") % {"limit": limits.LATE_GRACE_MINUTES_MAX},
            field="late_grace_minutes",
        )


def team_details_of(team: Team) -> TeamDetails:
    """The team's details as stored (the starting point of a change to some of them)."""
    return TeamDetails(**{name: getattr(team, name) for name in TeamDetails.__dataclass_fields__})


def team_create(*, details: TeamDetails, actor: User | None) -> Team:
    with transaction.atomic():
        team = Team.objects.create(**asdict(details))
        changes.record(team=team, entity="team", obj=team, actor=actor)
    return team


def team_update(*, team: Team, version: int, details: TeamDetails, actor: User) -> Team:
    """The team's settings, changed by its members (or the holders of the role it chose)."""
    _team_details_check(details)
    with versioned_write(
        Team.objects.all(),
        pk=team.pk,
        version=version,
        entity="team",
        actor=actor,
        guard=lambda current: access.require_manager_of(actor, current),
        update_fields=list(asdict(details)),
    ) as current:
        for name, value in asdict(details).items():
            setattr(current, name, value)
    return current


CONTRACTED_HOURS_MAX = Decimal(60)  # the table's own check says the same


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
    """A member's role, skills, contracted hours and team roles, changed by the team."""
    if bad := unknown_skills(details.skills):
        raise DomainError(
            _("Unknown skills: %(skills)s.") % {"skills": ", ".join(bad)}, field="skills"
        )
    if not Decimal(0) <= Decimal(details.contracted_hours) <= CONTRACTED_HOURS_MAX:
        raise DomainError(
            _("Contracted hours are from 0 to %(limit)s a week.") % {"limit": CONTRACTED_HOURS_MAX},
            field="contracted_hours",
        )
    if Decimal(details.contracted_hours) != Decimal(details.contracted_hours).quantize(
        Decimal("0.1")
    ):
        raise DomainError(_("Give hours to one decimal place."), field="contracted_hours")
    if any(role not in TeamRole.values for role in details.team_roles):
        raise DomainError(_("Unknown team role."), field="team_roles")
    with versioned_write(
        Membership.objects.select_related("team"),
        pk=membership.pk,
        version=version,
        entity="membership",
        actor=actor,
        guard=lambda current: _may_update_membership(current, actor),
        update_fields=list(asdict(details)),
    ) as current:
        for name, value in asdict(details).items():
            setattr(current, name, value)
    return current


def _may_update_membership(membership: Membership, actor: User) -> None:
    access.require_manager_of(actor, membership.team)
    if membership.ended_at is not None:
        raise DomainError(_("This person has left the team."))


def membership_roles_set(*, membership: Membership, team_roles: list[str], actor: User) -> None:
    """The rotating roles a member holds now, kept in step with their role terms
    (teamwork.services.roles): called inside that service's transaction, after its checks."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("membership_roles_set() belongs inside a role term's transaction.")
    current = Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
    roles = [role for role in TeamRole.values if role in team_roles]
    if roles == list(current.team_roles or []):
        return
    current.team_roles = roles
    versioned_save(current, entity="membership", actor=actor, update_fields=["team_roles"])


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
            raise DomainError(_("This coach no longer coaches the team."))
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
    counts as late: part of the team's settings, changed by the same rules (team_update)."""
    details = replace(
        team_details_of(Team.objects.get(pk=team.pk)),
        phone=phone.strip(),
        phone_hours=phone_hours.strip(),
        late_grace_minutes=late_grace_minutes,
    )
    return team_update(team=team, version=version, details=details, actor=actor)
