"""The visits as the client pages and rules see them, registered with clients' hooks
(clients/hooks.py) from this app's `ready()`: visits are for clients, so this app reads clients
and never the reverse."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.db.models.expressions import BaseExpression

from careteams import access
from careteams.access import AnyUser
from careteams.models import Membership, Team
from clients import hooks
from clients.models import Client
from scheduling import access as scheduling_access
from scheduling.models import Visit, VisitAssignment, VisitStatus


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


def install() -> None:
    hooks.register_visits(
        hooks.VisitReads(
            get=visit_of_client_get,
            note_visit_start=note_visit_start,
            member_visiting=member_visiting,
        )
    )
