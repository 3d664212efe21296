"""Who may see what (docs/architecture.md, "Who may see what").

Every selector starts from these querysets; no view filters by hand. A record outside them does
not exist for the user: callers raise `errors.NotFound` (a 404), never a 403 that confirms it.
All of them are lazy subqueries, so scoping adds no queries per row.
"""

import datetime as dt
import uuid
from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from careteams.errors import NotFound
from careteams.models import AccessEvent, CoachLink, Membership, Team, User
from clients.models import Client, FamilyAccess, Note
from scheduling.models import Absence, Shift, Visit, VisitStatus

# Whom a read is for: a signed-in person or nobody (request.user before sign-in, a socket's
# scope). Every scope below answers "nothing" for the anonymous one.
AnyUser = User | AnonymousUser | None


def _signed_in(user: AnyUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active


def member_team_ids(user: AnyUser) -> QuerySet[Membership, Any]:
    """The teams the user is an active member of, as a subquery of ids."""
    if _signed_in(user):
        return Membership.objects.active().filter(user=user).values("team_id")
    return Membership.objects.none().values("team_id")


def coached_team_ids(user: AnyUser) -> QuerySet[CoachLink, Any]:
    if _signed_in(user):
        return CoachLink.objects.filter(coach=user, ended_at__isnull=True).values("team_id")
    return CoachLink.objects.none().values("team_id")


def member_teams(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.filter(id__in=member_team_ids(user))


def coached_teams(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.filter(id__in=coached_team_ids(user))


def teams_visible_to(user: AnyUser) -> QuerySet[Team]:
    """Teams whose rota and figures the user may read: their own, and those they coach."""
    return Team.objects.filter(Q(id__in=member_team_ids(user)) | Q(id__in=coached_team_ids(user)))


def membership_of(user: AnyUser, team: Team) -> Membership | None:
    if _signed_in(user):
        return Membership.objects.active().filter(user=user, team=team).first()
    return None


def members_visible_to(user: AnyUser) -> QuerySet[Membership]:
    """Active members of the teams the user belongs to or coaches."""
    return Membership.objects.active().filter(team__in=teams_visible_to(user))


# Clients -----------------------------------------------------------------------------------


def clients_visible_to(user: AnyUser) -> QuerySet[Client]:
    """Clients whose full record the user may read and write: those of the user's teams."""
    return Client.objects.filter(team_id__in=member_team_ids(user))


def family_client_ids(user: AnyUser) -> QuerySet[Any, Any]:
    """Clients the user may read the plain-language view of: through live family access, or
    their own record."""
    if not _signed_in(user):
        return Client.objects.none().values("id")
    via_family = FamilyAccess.objects.filter(person=user, revoked_at__isnull=True).values(
        "client_id"
    )
    return Client.objects.filter(Q(id__in=via_family) | Q(user=user)).values("id")


def clients_in_family_view(user: AnyUser) -> QuerySet[Client]:
    return Client.objects.filter(id__in=family_client_ids(user))


def notes_visible_to(user: AnyUser) -> QuerySet[Note]:
    """Every note of the team's clients for members; shared notes only for family and client."""
    return Note.objects.filter(
        Q(client__team_id__in=member_team_ids(user))
        | Q(client_id__in=family_client_ids(user), shareable=True)
    )


def access_events_visible_to(user: AnyUser) -> QuerySet[AccessEvent]:
    """Who read a record: the team, the client and the client's family may know."""
    return AccessEvent.objects.filter(
        Q(team_id__in=member_team_ids(user)) | Q(client_id__in=family_client_ids(user))
    )


# Rota and visits ---------------------------------------------------------------------------


def shifts_visible_to(user: AnyUser) -> QuerySet[Shift]:
    return Shift.objects.filter(team__in=teams_visible_to(user))


def absences_visible_to(user: AnyUser) -> QuerySet[Absence]:
    return Absence.objects.filter(team__in=teams_visible_to(user))


def visits_visible_to(user: AnyUser) -> QuerySet[Visit]:
    """Visits with their client's identity: for members of the visit's team only."""
    return Visit.objects.filter(team_id__in=member_team_ids(user))


COACH_VISIT_FIELDS = ("id", "team_id", "planned_start", "planned_end", "status", "carers_needed")


def visits_for_coach(user: AnyUser) -> QuerySet[Visit, dict[str, Any]]:
    """Coaches see the shape of the work, never who the client is: only these fields leave."""
    rows: QuerySet[Visit, dict[str, Any]] = Visit.objects.filter(
        team_id__in=coached_team_ids(user)
    ).values(*COACH_VISIT_FIELDS)
    return rows


def upcoming_visits_for_family(user: AnyUser, *, now: dt.datetime | None = None) -> QuerySet[Visit]:
    """A client's coming visits, for the client and their family (day, time, carer's name)."""
    return Visit.objects.filter(
        client_id__in=family_client_ids(user),
        planned_end__gte=now or timezone.now(),
    ).exclude(status=VisitStatus.CANCELLED)


def visits_for_family_between(
    user: AnyUser, *, start: dt.datetime, end: dt.datetime
) -> QuerySet[Visit]:
    """A client's visits starting in [start, end), done ones too (the family's "today"), for the
    client and their family: the same fields as the coming visits, never notes or tasks."""
    return Visit.objects.filter(
        client_id__in=family_client_ids(user), planned_start__gte=start, planned_start__lt=end
    ).exclude(status=VisitStatus.CANCELLED)


# Lookups -----------------------------------------------------------------------------------


def get_visible[M: models.Model](queryset: QuerySet[M], pk: uuid.UUID | str) -> M:
    """The record with this id in a scoped queryset, or NotFound (a 404) for any other case,
    malformed ids included, so that a guess tells nothing."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound() from exc


# Writes ------------------------------------------------------------------------------------


def require_member_of(user: AnyUser, team_id: uuid.UUID) -> None:
    """Every write service checks its actor here, whoever called it: a caller that forgot to
    scope the records gets the same NotFound a page gives for another team's record."""
    if _signed_in(user) and user.is_superuser:
        # The site's administrators write through the admin, whose pages only they open;
        # pages and the API still scope them like anyone else (by membership).
        return
    if not member_team_ids(user).filter(team_id=team_id).exists():
        raise NotFound()
