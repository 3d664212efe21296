"""What a carer's tablet keeps for working offline: their own visits of today and tomorrow,
and the pages of those visits' clients only (never another client's). And the notes that
arrived late from a former member's tablet, listed for the team."""

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from careteams import access
from careteams.access import AnyUser
from careteams.models import Membership
from careteams.selectors import team_for_member
from clients import access as clients_access
from clients.models import CareProblem, Note, ProblemStatus
from scheduling import selectors as rota
from scheduling.models import Visit, VisitStatus
from scheduling.rules.tasks import Task
from scheduling.selectors.visit_card import interventions_by_client, tasks_of

DAYS_KEPT = 2  # today and tomorrow


@dataclass(frozen=True)
class KeptVisit:
    visit: Visit
    card: str
    check_out: str
    note: str
    record: str
    tasks: tuple[Task, ...]  # so that tasks can be ticked after an offline check-in


@dataclass(frozen=True)
class Keep:
    team_id: uuid.UUID
    zone: ZoneInfo
    days: tuple[dt.date, ...]
    my_day: tuple[str, ...]
    visits: tuple[KeptVisit, ...]
    problems: tuple[str, ...]  # the problem pages of those clients, where outcomes are rated

    @property
    def urls(self) -> list[str]:
        urls = list(self.my_day)
        for kept in self.visits:
            urls += [kept.card, kept.check_out, kept.note]
        # One record page per client, however many of their visits are kept.
        urls += sorted({kept.record for kept in self.visits})
        return urls + list(self.problems)


def keep_for(*, user: AnyUser, team_id: uuid.UUID) -> Keep:
    """The carer's own visits (assigned to them, not cancelled) of today and tomorrow in the
    team's time zone, through My day's scoping; a non-member gets a 404 from it."""
    first = rota.my_day(user=user, team_id=team_id)
    today = first.day
    days = tuple(today + dt.timedelta(days=n) for n in range(DAYS_KEPT))
    visits = list(first.visits)
    for day in days[1:]:
        visits += rota.my_day(user=user, team_id=team_id, day=day).visits
    visits = [v for v in visits if v.status != VisitStatus.CANCELLED]
    planned = interventions_by_client({v.client_id for v in visits})
    problems = (
        CareProblem.objects.filter(
            client__team__in=access.member_teams(user),
            client_id__in={v.client_id for v in visits},
            status=ProblemStatus.ACTIVE,
        )
        .order_by("client_id", "problem_code")
        .values_list("client_id", "id")
    )
    base = reverse("scheduling:my-day", kwargs={"team_id": team_id})
    my_day = (base, *(f"{base}?day={day.isoformat()}" for day in days))
    kept = tuple(
        KeptVisit(
            visit=visit,
            card=reverse(
                "scheduling:visit-card", kwargs={"team_id": team_id, "visit_id": visit.id}
            ),
            check_out=reverse(
                "scheduling:visit-check-out", kwargs={"team_id": team_id, "visit_id": visit.id}
            ),
            note=reverse("clients:note-new", kwargs={"client_id": visit.client_id})
            + f"?visit={visit.id}",
            record=reverse("clients:client-detail", kwargs={"client_id": visit.client_id}),
            tasks=tuple(tasks_of(visit, first.team, planned.get(visit.client_id, []))),
        )
        for visit in visits
    )
    return Keep(
        team_id=team_id,
        zone=first.team.zone,
        days=days,
        my_day=my_day,
        visits=kept,
        problems=tuple(
            reverse("clients:problem-detail", kwargs={"client_id": c, "problem_id": p})
            for c, p in problems
        ),
    )


def local_time(visit: Visit, zone: ZoneInfo) -> str:
    return visit.planned_start.astimezone(zone).strftime("%a %H:%M")


LATE_NOTES_SHOWN = 100


@dataclass(frozen=True)
class LateNote:
    note: Note
    left_at: dt.datetime  # when its author's membership ended: before the note arrived


def late_notes(*, user: AnyUser, team_id: uuid.UUID) -> list[LateNote]:
    """The team's notes written by a member who had left when the note reached the server
    (sent from their tablet afterwards, mobile_api/late.py), newest first: for the team to
    read and follow up. Members of the team only; anyone else gets a 404."""
    team = team_for_member(user=user, team_id=team_id)
    left = Membership.objects.filter(
        team=team,
        user=OuterRef("author"),
        ended_at__lt=OuterRef("received_at"),
        started_at__lte=OuterRef("recorded_at"),
        ended_at__gte=OuterRef("recorded_at"),
    ).order_by("-ended_at")
    notes = (
        clients_access.notes_visible_to(user)
        .filter(team_id=team.id)
        .annotate(left_at=Subquery(left.values("ended_at")[:1]))
        .filter(left_at__isnull=False)
        .select_related("client", "author")
        .order_by("-received_at")[:LATE_NOTES_SHOWN]
    )
    return [LateNote(note=note, left_at=note.left_at) for note in notes]
