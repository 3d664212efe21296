"""The visits as the client pages and rules see them, registered with clients' hooks
(clients/hooks.py) from this app's `ready()`: visits are for clients, so this app reads clients
and never the reverse."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.expressions import BaseExpression

from careteams import access
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients import hooks
from clients.models import Client, Intervention
from scheduling import access as scheduling_access
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.tasks import Schedule
from scheduling.selectors.family_today import FamilyToday, family_today
from scheduling.visit_models import VisitAttendance, VisitTaskOutcome
from scheduling.words import arrival


def visit_of_client_get(user: AnyUser, client: Client, visit_id: uuid.UUID | str) -> Visit:
    return access.get_visible(
        scheduling_access.visits_visible_to(user).filter(client=client), visit_id
    )


def note_visit_start() -> BaseExpression:
    """For a query of notes: the planned start of each note's visit (null without one)."""
    return Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("planned_start")[:1])


def member_visiting(
    member: Membership,
    team: Team,
    client_ids: frozenset[uuid.UUID],
    start: dt.datetime,
    end: dt.datetime,
) -> Iterable[uuid.UUID]:
    return (
        VisitAssignment.objects.filter(
            member=member,
            visit__team=team,
            visit__client_id__in=client_ids,
            visit__planned_start__gte=start,
            visit__planned_start__lt=end,
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .values_list("visit__client_id", flat=True)
    )


def upcoming(user: AnyUser, client: Client, now: dt.datetime, limit: int) -> list[Visit]:
    visits = (
        scheduling_access.visits_visible_to(user)
        .filter(client=client, planned_end__gte=now)
        .exclude(status=VisitStatus.CANCELLED)
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
        .order_by("planned_start")
    )
    return list(visits[:limit])


def task_outcomes(client: Client, limit: int) -> list[VisitTaskOutcome]:
    """A later outcome of the same task supersedes an earlier one; newest visit first."""
    return list(
        VisitTaskOutcome.objects.filter(visit__client=client, superseded_by__isnull=True)
        .select_related("visit", "recorded_by")
        .order_by("-visit__planned_start", "task_label")[:limit]
    )


def located_check_ins(client: Client) -> QuerySet[VisitAttendance]:
    return VisitAttendance.objects.filter(
        visit__client=client, withdrawn_at__isnull=True, device_latitude__isnull=False
    )


def planned_spans(
    user: AnyUser, team: Team, start: dt.datetime, end: dt.datetime
) -> Iterable[tuple[uuid.UUID, dt.datetime, dt.datetime]]:
    return (
        scheduling_access.visits_visible_to(user)
        .filter(team=team, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .values_list("client_id", "planned_start", "planned_end")
    )


def family_upcoming(user: AnyUser, client: Client, limit: int) -> list[hooks.PlainVisit]:
    visits = (
        scheduling_access.upcoming_visits_for_family(user)
        .filter(client=client)
        .prefetch_related(
            Prefetch("assignments", queryset=VisitAssignment.objects.select_related("member__user"))
        )
        .order_by("planned_start")[:limit]
    )
    return [
        hooks.PlainVisit(
            start=v.planned_start,
            end=v.planned_end,
            window_start=v.window_start,
            window_end=v.window_end,
            carers=[a.member.user.first_name for a in v.assignments.all()],
            arrival=arrival(
                start=v.planned_start,
                window_start=v.window_start,
                window_end=v.window_end,
                zone=client.team.zone,
            ),
        )
        for v in visits
    ]


def family_today_of(user: AnyUser, client_id: uuid.UUID, timezone_name: str) -> FamilyToday:
    return family_today(user=user, client_id=client_id, timezone_name=timezone_name)


def schedule_words(intervention: Intervention) -> str:
    return Schedule(
        parts=frozenset(intervention.visit_parts or []),
        weekdays=frozenset(intervention.visit_weekdays or []),
        every_days=intervention.every_days,
        every_days_from=intervention.every_days_from,
    ).words()


def install() -> None:
    hooks.register_visits(
        hooks.VisitReads(
            get=visit_of_client_get,
            note_visit_start=note_visit_start,
            member_visiting=member_visiting,
            upcoming=upcoming,
            task_outcomes=task_outcomes,
            located_check_ins=located_check_ins,
            planned_spans=planned_spans,
            family_upcoming=family_upcoming,
            family_today=family_today_of,
            schedule_words=schedule_words,
        )
    )
