"""The team's settings, its members, the rotating roles' terms and the history of changes."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careteams import access, registry, timeutil
from careteams.access import AnyUser
from careteams.errors import DomainError
from careteams.models import Change, Membership, Team, TeamRole
from careteams.selectors import team_for_member
from teamwork.models import RoleTerm

# A term is due to rotate this many days before it ends: time for the team to choose.
ROTATION_NOTICE_DAYS = 14


def team_get(*, user: AnyUser, team_id: uuid.UUID) -> Team:
    """The team, for its members only (coaches read figures, not the team's workings)."""
    return team_for_member(user=user, team_id=team_id)


def may_manage(*, user: AnyUser, team: Team) -> bool:
    try:
        access.require_manager_of(user, team)
    except DomainError:  # NotFound or NotAllowed alike mean "no"
        return False
    return True


def member_get(*, user: AnyUser, team: Team, membership_id: uuid.UUID | str) -> Membership:
    members = Membership.objects.active().filter(team=team).select_related("user", "team")
    return access.get_visible(members.filter(team__in=access.member_teams(user)), membership_id)


def members_of(*, user: AnyUser, team: Team) -> list[Membership]:
    return list(
        access.members_visible_to(user)
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


@dataclass(frozen=True)
class TermView:
    term: RoleTerm
    today: dt.date

    @property
    def days_left(self) -> int:
        return (self.term.ends_on - self.today).days

    @property
    def current(self) -> bool:
        return self.term.ended_on is None and self.term.starts_on <= self.today

    @property
    def upcoming(self) -> bool:
        return self.term.ended_on is None and self.term.starts_on > self.today

    @property
    def overdue(self) -> bool:
        return self.current and self.days_left < 0

    @property
    def due(self) -> bool:
        """Due to rotate: ending within the notice period, or already past its end."""
        return self.current and self.days_left <= ROTATION_NOTICE_DAYS


def _terms(queryset: Any, today: dt.date) -> list[TermView]:
    return [TermView(t, today) for t in queryset.select_related("member__user")]


@dataclass(frozen=True)
class Roles:
    team: Team
    today: dt.date
    terms: list[TermView]  # current and upcoming, by role
    past: list[TermView]
    members: list[Membership]
    may_manage: bool

    @property
    def due(self) -> list[TermView]:
        return [t for t in self.terms if t.due]

    @property
    def vacant(self) -> list[str]:
        held = {t.term.role for t in self.terms if t.current}
        return [str(label) for value, label in TeamRole.choices if value not in held]


def roles_of(*, user: AnyUser, team_id: uuid.UUID) -> Roles:
    team = team_get(user=user, team_id=team_id)
    today = timeutil.local_today(team.zone)
    terms = RoleTerm.objects.filter(team=team)
    return Roles(
        team=team,
        today=today,
        terms=_terms(terms.filter(ended_on__isnull=True).order_by("role", "starts_on"), today),
        past=_terms(terms.filter(ended_on__isnull=False).order_by("-ended_on")[:30], today),
        members=members_of(user=user, team=team),
        may_manage=may_manage(user=user, team=team),
    )


def terms_due_for(*, member: Membership, today: dt.date) -> list[TermView]:
    """The member's own terms due to rotate (their My day shows them)."""
    terms = RoleTerm.objects.filter(
        member=member,
        ended_on__isnull=True,
        starts_on__lte=today,
        ends_on__lte=today + dt.timedelta(days=ROTATION_NOTICE_DAYS),
    ).order_by("ends_on")
    return [TermView(t, today) for t in terms]


def term_get(*, user: AnyUser, team: Team, term_id: uuid.UUID | str) -> RoleTerm:
    terms = RoleTerm.objects.filter(team=team, team__in=access.member_teams(user))
    return access.get_visible(terms.select_related("member__user", "team"), term_id)


# History -------------------------------------------------------------------------------------

HISTORY_ENTITIES = ("team", "membership", "role_term")
HISTORY_LENGTH = 100
LABELS = {
    "team": gettext_lazy("Team settings"),
    "membership": gettext_lazy("Member"),
    "role_term": gettext_lazy("Role term"),
}


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: dt.datetime
    what: str
    who: str
    summary: str
    version: int


def _summary(entity: str, data: dict[str, Any], names: dict[str, str]) -> str:
    if entity == "team":
        role = data.get("managed_by_role") or ""
        words = _(
            "name %(name)s, limit %(limit)s carers per client, holidays %(holidays)s, "
            "changed by %(role)s"
        )
        return words % {
            "name": data.get("name"),
            "limit": data.get("continuity_limit"),
            "holidays": data.get("holiday_subdivision"),
            "role": TeamRole(role).label if role in TeamRole.values else _("any member"),
        }
    if entity == "membership":
        skills = ", ".join(data.get("skills") or []) or _("no skills listed")
        roles = ", ".join(data.get("team_roles") or []) or _("no team roles")
        who = names.get(str(data.get("id")), _("a member"))
        if data.get("ended_at"):
            who = _("%(name)s (left)") % {"name": who}
        return _("%(who)s: %(hours)s h a week; %(skills)s; %(roles)s") % {
            "who": who,
            "hours": data.get("contracted_hours"),
            "skills": skills,
            "roles": roles,
        }
    who = names.get(str(data.get("member_id")), _("a member"))
    role = data.get("role") or ""
    label = TeamRole(role).label if role in TeamRole.values else role
    values = {"role": label, "who": who, "start": data.get("starts_on"), "end": data.get("ends_on")}
    if data.get("ended_on"):
        words = _("%(role)s: %(who)s, %(start)s to %(end)s, ended %(ended)s")
        return words % {**values, "ended": data["ended_on"]}
    return _("%(role)s: %(who)s, %(start)s to %(end)s") % values


def history_of(*, user: AnyUser, team_id: uuid.UUID) -> tuple[Team, list[HistoryEntry]]:
    """The latest changes to the team's settings, members and role terms, from the feed (the
    record of who changed what): three queries whatever the length."""
    team = team_get(user=user, team_id=team_id)
    rows = list(
        Change.objects.filter(team=team, entity__in=HISTORY_ENTITIES)
        .select_related("actor")
        .order_by("-seq")[:HISTORY_LENGTH]
    )
    names = {
        str(m.pk): m.user.get_full_name() or m.user.email
        for m in Membership.objects.filter(team=team).select_related("user")
    }
    entries = [
        HistoryEntry(
            seq=row.seq,
            at=row.created_at,
            what=str(LABELS[row.entity]),
            who=(row.actor.get_full_name() or row.actor.email) if row.actor else _("The system"),
            summary=_summary(row.entity, registry.get(row.entity).strip(row.data), names),
            version=row.version,
        )
        for row in rows
    ]
    return team, entries
