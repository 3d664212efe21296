"""Rotating roles held for a term: starting a term (a handover ends the previous holder's) and
ending one. Each keeps the member's `team_roles` in step (careteams.services)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access, changes, services, timeutil
from careteams.errors import DomainError, NotFound
from careteams.models import Membership, Team, TeamRole, User
from careteams.versioning import versioned_save, versioned_write
from teamwork.models import RoleTerm

# A term is from a week to two years: longer is not rotating, shorter is a typo.
TERM_DAYS_MIN = 7
TERM_DAYS_MAX = 730


def _held_roles(member: Membership, today: dt.date) -> list[str]:
    return list(
        RoleTerm.objects.filter(member=member, ended_on__isnull=True, starts_on__lte=today)
        .values_list("role", flat=True)
        .distinct()
    )


def role_term_start(
    *,
    team: Team,
    member: Membership,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: User,
) -> RoleTerm:
    """`member` holds `role` from `starts_on` to `ends_on`. The role's current holder, if any,
    hands over: their term ends the day before (or today, when the new term starts today)."""
    if role not in TeamRole.values:
        raise DomainError(_("Choose one of the team's roles."), field="role")
    if ends_on < starts_on:
        raise DomainError(_("A term ends on or after the day it starts."), field="ends_on")
    if not TERM_DAYS_MIN <= (ends_on - starts_on).days + 1 <= TERM_DAYS_MAX:
        raise DomainError(
            _("A term is from %(days)s days to %(years)s years.")
            % {"days": TERM_DAYS_MIN, "years": TERM_DAYS_MAX // 365},
            field="ends_on",
        )
    with transaction.atomic():
        locked = Team.objects.select_for_update().get(pk=team.pk)
        access.require_manager_of(actor, locked)
        if member.team_id != team.pk or member.ended_at is not None:
            raise NotFound(_("That person is not a member of this team."))
        today = timeutil.local_today(locked.zone)
        if starts_on < today - dt.timedelta(days=TERM_DAYS_MAX):
            raise DomainError(_("That start is too long ago."), field="starts_on")
        handed_over = []
        for previous in RoleTerm.objects.select_for_update().filter(
            team=team, role=role, ended_on__isnull=True, starts_on__lte=starts_on
        ):
            previous.ended_on = max(previous.starts_on, starts_on - dt.timedelta(days=1))
            versioned_save(previous, entity="role_term", actor=actor, update_fields=["ended_on"])
            handed_over.append(previous.member)
        term = RoleTerm.objects.create(
            team=team,
            member=member,
            role=role,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        changes.record(team=locked, entity="role_term", obj=term, actor=actor)
        for person in {*handed_over, member}:
            services.membership_roles_set(
                membership=person, team_roles=_held_roles(person, today), actor=actor
            )
    return term


def role_term_end(*, term: RoleTerm, version: int, actor: User) -> RoleTerm:
    """The holder steps down today (a term is never deleted: the history keeps who held what)."""
    with transaction.atomic():
        with versioned_write(
            RoleTerm.objects.select_related("team", "member"),
            pk=term.pk,
            version=version,
            entity="role_term",
            actor=actor,
            guard=lambda current: access.require_manager_of(actor, current.team),
            update_fields=["ended_on"],
        ) as current:
            if current.ended_on is not None:
                raise DomainError(_("This term has already ended."))
            today = timeutil.local_today(current.team.zone, now=timezone.now())
            current.ended_on = max(current.starts_on, today)
        # The roles held are read from the saved terms: this one's end must be saved first.
        services.membership_roles_set(
            membership=current.member,
            team_roles=_held_roles(current.member, today),
            actor=actor,
        )
    return current
