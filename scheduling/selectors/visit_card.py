"""The visit card: what a carer needs on the doorstep, the visit's tasks with their outcomes,
who is attending, and whether it is late or missed (issue 13). One card or a whole day of them
in a fixed number of queries, whatever the number of visits.

Tasks (scheduling/rules/tasks.py): the client's active interventions due at this kind of visit,
then the visit's own tasks (`Visit.tasks`, copied from its pattern). Outcomes are keyed by task.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from careteams import access, timeutil
from careteams.access import AnyUser
from careteams.errors import NotFound
from careteams.models import Membership, Team
from careteams.selectors import team_for_member
from clients import access as clients_access
from clients.models import Client, EmergencyContact, Intervention, Note, ProblemStatus
from scheduling import access as scheduling_access
from scheduling.models import Visit, VisitAssignment, VisitStatus
from scheduling.rules.lateness import Timing, due_at, visit_timing
from scheduling.rules.tasks import PlannedIntervention, Schedule, Task, tasks_for_visit
from scheduling.selectors.week import membership_in
from scheduling.visit_models import MissedVisit, VisitAttendance, VisitTaskOutcome


def planned_intervention(intervention: Intervention) -> PlannedIntervention:
    label = intervention.care_description.strip() or str(intervention)
    return PlannedIntervention(
        id=intervention.id,
        label=label,
        schedule=Schedule(
            parts=frozenset(intervention.visit_parts or []),
            weekdays=frozenset(intervention.visit_weekdays or []),
            every_days=intervention.every_days,
            every_days_from=intervention.every_days_from,
        ),
    )


def interventions_by_client(client_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """Each client's active interventions of active problems, in care plan order: one query."""
    found: dict[uuid.UUID, list[PlannedIntervention]] = defaultdict(list)
    rows = (
        Intervention.objects.filter(
            problem__client_id__in=list(client_ids),
            active=True,
            problem__status=ProblemStatus.ACTIVE,
        )
        .select_related("problem")
        .order_by("problem__problem_code", "category", "target", "id")
    )
    for intervention in rows:
        found[intervention.problem.client_id].append(planned_intervention(intervention))
    return found


def tasks_of(visit: Visit, team: Team, interventions: Sequence[PlannedIntervention]) -> list[Task]:
    return tasks_for_visit(
        local_start=visit.planned_start.astimezone(team.zone),
        interventions=interventions,
        own_tasks=list(visit.tasks or []),
    )


def visit_tasks(visit: Visit) -> list[Task]:
    """The checklist of one visit (the services check outcomes against it)."""
    planned = interventions_by_client([visit.client_id]).get(visit.client_id, [])
    return tasks_of(visit, visit.team, planned)


@dataclass
class TaskState:
    task: Task
    outcome: VisitTaskOutcome | None  # the one that stands (the latest)
    history: list[VisitTaskOutcome]  # every outcome recorded, oldest first

    @property
    def key(self) -> str:
        return self.task.key

    @property
    def label(self) -> str:
        return self.task.label


@dataclass
class VisitCard:
    visit: Visit
    client: Client
    emergency_contacts: list[EmergencyContact]
    tasks: list[TaskState]
    attendances: list[VisitAttendance]  # withdrawn ones included, marked
    carers: list[VisitAssignment]
    timing: Timing
    due_at: dt.datetime
    has_visit_note: bool
    last_note: Note | None
    missed: MissedVisit | None
    team: Team
    extra: dict[str, Any] = field(default_factory=dict)
    # "" unless the reader may hold it today (clients.access.key_safe_client_ids).
    key_safe_code: str = ""

    @property
    def live_attendances(self) -> list[VisitAttendance]:
        return [a for a in self.attendances if a.withdrawn_at is None]

    @property
    def tasks_open(self) -> int:
        return sum(1 for t in self.tasks if t.outcome is None)

    @property
    def address(self) -> str:
        c = self.client
        return ", ".join(p for p in (c.address_line_1, c.address_line_2, c.town, c.postcode) if p)

    @property
    def map_link(self) -> str:
        """A standard geo URI: the tablet's map app opens it at the address."""
        return f"geo:0,0?q={quote(self.address)}" if self.address else ""


def _visits(user: AnyUser, team: Team) -> QuerySet[Visit]:
    return (
        scheduling_access.visits_visible_to(user)
        .filter(team=team)
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "assignments", queryset=VisitAssignment.objects.select_related("member__user")
            ),
            Prefetch(
                "attendances",
                queryset=VisitAttendance.objects.select_related("member__user").order_by(
                    "checked_in_at"
                ),
            ),
            Prefetch(
                "task_outcomes",
                queryset=VisitTaskOutcome.objects.select_related("recorded_by").order_by(
                    "received_at", "id"
                ),
            ),
            Prefetch("missed_reasons", queryset=MissedVisit.objects.order_by("received_at")),
        )
    )


def _cards(user: AnyUser, team: Team, visits: list[Visit], now: dt.datetime) -> list[VisitCard]:
    client_ids = {v.client_id for v in visits}
    planned = interventions_by_client(client_ids)
    contacts: dict[uuid.UUID, list[EmergencyContact]] = defaultdict(list)
    for contact in EmergencyContact.objects.filter(client_id__in=client_ids):
        contacts[contact.client_id].append(contact)
    notes = clients_access.notes_visible_to(user)
    latest = notes.filter(client=OuterRef("pk")).order_by("-recorded_at", "-id").values("id")[:1]
    last_notes = {
        n.client_id: n
        for n in notes.filter(
            id__in=Client.objects.filter(id__in=client_ids)
            .annotate(last=Subquery(latest))
            .values("last")
        ).select_related("author")
    }
    with_note = set(
        notes.filter(visit_id__in=[v.id for v in visits]).values_list("visit_id", flat=True)
    )
    key_safe = clients_access.key_safe_client_ids(user, team, client_ids, now=now)
    cards = []
    for visit in visits:
        outcomes: dict[str, list[VisitTaskOutcome]] = defaultdict(list)
        for outcome in visit.task_outcomes.all():
            outcomes[outcome.task_key].append(outcome)
        tasks = [
            TaskState(t, outcomes[t.key][-1] if outcomes[t.key] else None, outcomes[t.key])
            for t in tasks_of(visit, team, planned.get(visit.client_id, []))
        ]
        missed = list(visit.missed_reasons.all())
        cards.append(
            VisitCard(
                visit=visit,
                client=visit.client,
                emergency_contacts=contacts.get(visit.client_id, []),
                tasks=tasks,
                attendances=list(visit.attendances.all()),
                carers=list(visit.assignments.all()),
                timing=visit_timing(
                    planned_start=visit.planned_start,
                    window_end=visit.window_end,
                    grace_minutes=team.late_grace_minutes,
                    zone=team.zone,
                    now=now,
                    checked_in_at=visit.checked_in_at,
                ),
                due_at=due_at(
                    planned_start=visit.planned_start,
                    window_end=visit.window_end,
                    grace_minutes=team.late_grace_minutes,
                ),
                has_visit_note=visit.id in with_note,
                last_note=last_notes.get(visit.client_id),
                missed=missed[-1] if missed else None,
                team=team,
                key_safe_code=visit.client.key_safe_code if visit.client_id in key_safe else "",
            )
        )
    return cards


def visit_card(
    *, user: AnyUser, team_id: uuid.UUID, visit_id: uuid.UUID, now: dt.datetime | None = None
) -> VisitCard:
    """One visit's card, for a member of its team (anyone else: NotFound)."""
    team = team_for_member(user=user, team_id=team_id)
    visit = access.get_visible(_visits(user, team), visit_id)
    return _cards(user, team, [visit], now or timezone.now())[0]


@dataclass
class MyDayCards:
    team: Team
    member: Membership
    day: dt.date
    cards: list[VisitCard]
    cursor: int


def my_day_cards(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> MyDayCards:
    """The signed-in member's visits of a day (today in the team's time zone), as cards:
    visits they are on, and those they attended as an extra carer."""
    team = team_for_member(user=user, team_id=team_id)
    member = membership_in(user=user, team=team)
    day = day or timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, day)
    mine = (
        VisitAssignment.objects.filter(member=member)
        .values("visit_id")
        .union(VisitAttendance.objects.filter(member=member).values("visit_id"))
    )
    visits = list(
        _visits(user, team)
        .filter(planned_start__gte=start, planned_start__lt=end, id__in=mine)
        .order_by("planned_start")
    )
    return MyDayCards(
        team, member, day, _cards(user, team, visits, now or timezone.now()), team.last_change_seq
    )


@dataclass
class TeamDayCards:
    team: Team
    day: dt.date
    cards: list[VisitCard]  # every visit of the day but the cancelled, in order
    cursor: int

    @property
    def late(self) -> list[VisitCard]:
        """Late and not yet attended: whom to call (the carers on it, the team phone)."""
        return [c for c in self.cards if c.timing == Timing.LATE and not c.live_attendances]

    @property
    def missed(self) -> list[VisitCard]:
        return [c for c in self.cards if c.timing == Timing.MISSED]


def team_day_cards(
    *,
    user: AnyUser,
    team_id: uuid.UUID,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> TeamDayCards:
    """The team's visits of a day (today in the team's time zone) as cards, for the team's
    today page: who is where, which visits are late or missed. Members only."""
    team = team_for_member(user=user, team_id=team_id)
    day = day or timeutil.local_today(team.zone)
    start, end = timeutil.day_bounds(team.zone, day)
    visits = list(
        _visits(user, team)
        .filter(planned_start__gte=start, planned_start__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("planned_start")
    )
    return TeamDayCards(
        team, day, _cards(user, team, visits, now or timezone.now()), team.last_change_seq
    )


@dataclass
class TaskRecordRow:
    visit_id: uuid.UUID
    visit_start: dt.datetime
    task_label: str
    outcome: str
    reason: str
    note: str
    by: str
    recorded_at: dt.datetime
    received_at: dt.datetime
    superseded: bool


def client_task_outcomes(
    *,
    user: AnyUser,
    client_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    limit: int = 100,
) -> list[TaskRecordRow]:
    """For the client record: what was done on which visit, by whom, newest first (superseded
    outcomes included and marked). Members of the client's team only."""
    clients = clients_access.clients_visible_to(user).filter(pk=client_id)
    if team_id is not None:
        clients = clients.filter(team_id=team_id)
    if not clients.exists():
        raise NotFound()
    rows = (
        VisitTaskOutcome.objects.filter(visit__client_id=client_id)
        .select_related("visit", "recorded_by")
        .annotate(
            later=Subquery(
                VisitTaskOutcome.objects.filter(supersedes=OuterRef("pk")).values("id")[:1]
            )
        )
        .order_by("-visit__planned_start", "task_key", "-received_at")[:limit]
    )
    return [
        TaskRecordRow(
            visit_id=o.visit_id,
            visit_start=o.visit.planned_start,
            task_label=o.task_label,
            outcome=o.outcome,
            reason=o.reason,
            note=o.note,
            by=o.recorded_by.get_full_name() or o.recorded_by.email,
            recorded_at=o.recorded_at,
            received_at=o.received_at,
            superseded=o.later is not None,
        )
        for o in rows
    ]
