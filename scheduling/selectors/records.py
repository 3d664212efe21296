"""One record of a team's rota by id, scoped: a record of another team is NotFound (a 404)."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

from careteams import access
from careteams.access import AnyUser
from careteams.models import Membership, Team
from careteams.selectors import team_for_member, team_members
from clients import access as clients_access
from scheduling import access as scheduling_access
from scheduling.models import (
    Absence,
    PlanRun,
    RotaWeek,
    Shift,
    Visit,
    VisitAssignment,
    VisitPattern,
)


def member_of_team(*, user: AnyUser, team: Team, member_id: uuid.UUID) -> Membership | None:
    """A current member of the team, or None (a stale choice, or someone of another team)."""
    return team_members(user=user, team=team).filter(pk=member_id).first()


def shift_get(*, user: AnyUser, team: Team, shift_id: uuid.UUID) -> Shift:
    return access.get_visible(
        scheduling_access.shifts_visible_to(user).filter(team=team).select_related("member__user"),
        shift_id,
    )


def absence_get(*, user: AnyUser, team: Team, absence_id: uuid.UUID) -> Absence:
    return access.get_visible(
        scheduling_access.absences_visible_to(user)
        .filter(team=team)
        .select_related("member__user"),
        absence_id,
    )


def _team_visit(visits: QuerySet[Visit], team: Team, visit_id: uuid.UUID) -> Visit:
    visit = access.get_visible(visits.filter(team=team), visit_id)
    # The team it was found in: the services ask for `visit.team`, one query more otherwise.
    visit.team = team
    return visit


def visit_get(*, user: AnyUser, team: Team, visit_id: uuid.UUID) -> Visit:
    visits = (
        scheduling_access.visits_visible_to(user)
        .select_related("client", "pattern")
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
    )
    return _team_visit(visits, team, visit_id)


def visit_to_change(*, user: AnyUser, team: Team, visit_id: uuid.UUID) -> Visit:
    """The visit a write is about, scoped as `visit_get`, without its carers: the write locks
    the visit and reads what it needs under the lock (a check-in, a check-out, a task's
    outcome: a morning's most frequent requests)."""
    visits = scheduling_access.visits_visible_to(user).select_related("client")
    return _team_visit(visits, team, visit_id)


def clients_of_team(*, user: AnyUser, team: Team) -> QuerySet[Any]:
    return (
        clients_access.clients_visible_to(user)
        .filter(team=team)
        .order_by("family_name", "given_name")
    )


def patterns_of_team(*, user: AnyUser, team: Team) -> QuerySet[VisitPattern]:
    return (
        VisitPattern.objects.filter(client__in=clients_of_team(user=user, team=team))
        .select_related("client")
        .order_by("client__family_name", "client__given_name", "window_start")
    )


def pattern_get(*, user: AnyUser, team: Team, pattern_id: uuid.UUID) -> VisitPattern:
    return access.get_visible(patterns_of_team(user=user, team=team), pattern_id)


def rota_week_get(*, team: Team, monday: dt.date) -> RotaWeek | None:
    return RotaWeek.objects.filter(team=team, week_start=monday).first()


def plan_run_get(*, user: AnyUser, team_id: uuid.UUID, run_id: uuid.UUID) -> PlanRun:
    """A run of the user's own team; another team's is a 404."""
    team = team_for_member(user=user, team_id=team_id)
    return access.get_visible(PlanRun.objects.filter(team=team).select_related("team"), run_id)
