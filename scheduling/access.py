"""Who may see which shifts, absences and visits: built on the core's scoping
(careteams/access.py), with the same promise. A record outside these querysets does not exist
for the user: callers raise `errors.NotFound` (a 404), never a 403 that confirms it."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from careteams import access
from careteams.access import AnyUser
from scheduling.models import Absence, Shift, Visit, VisitStatus


def shifts_visible_to(user: AnyUser) -> QuerySet[Shift]:
    return Shift.objects.filter(access.visible_team_filter(user))


def absences_visible_to(user: AnyUser) -> QuerySet[Absence]:
    return Absence.objects.filter(access.visible_team_filter(user))


def visits_visible_to(user: AnyUser) -> QuerySet[Visit]:
    """Visits with their client's identity: for members of the visit's team only."""
    return Visit.objects.filter(team_id__in=access.member_scope(user))


COACH_VISIT_FIELDS = ("id", "team_id", "planned_start", "planned_end", "status", "carers_needed")


def visits_for_coach(user: AnyUser) -> QuerySet[Visit, dict[str, Any]]:
    """Coaches see the shape of the work, never who the client is: only these fields leave."""
    rows: QuerySet[Visit, dict[str, Any]] = Visit.objects.filter(
        team_id__in=access.coached_scope(user)
    ).values(*COACH_VISIT_FIELDS)
    return rows


def upcoming_visits_for_family(user: AnyUser, *, now: dt.datetime | None = None) -> QuerySet[Visit]:
    """A client's coming visits, for the client and their family (day, time, carer's name)."""
    return Visit.objects.filter(
        client_id__in=access.family_scope(user),
        planned_end__gte=now or timezone.now(),
    ).exclude(status=VisitStatus.CANCELLED)
