"""Reads for the team's client pages, always starting from careteams.access's scoped querysets."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from careteams import access, access_log
from careteams.access import AnyUser
from careteams.access_log import ReadEntry
from careteams.models import Door, Team
from clients import access as clients_access
from clients import hooks, nhs_number, postcode
from clients.charts import Chart, ratings_chart
from clients.hooks import VisitLink
from clients.models import (
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    Note,
    OutcomeRating,
    ProblemStatus,
    RiskFlag,
)
from clients.omaha_signs import signs_for
from clients.rules import RECENT_NOTES, UPCOMING_VISITS
from clients.selectors.check_in_locations import CheckInLocation, check_in_locations_to_offer

# The record shows the latest task outcomes; older ones are in the feed and the API.
RECENT_TASK_OUTCOMES = 30


def client_get(*, user: AnyUser, client_id: uuid.UUID) -> Client:
    """A client of one of the user's teams (full record), or NotFound."""
    queryset = clients_access.clients_visible_to(user).select_related(
        "team", "primary_nurse__user", "second_nurse__user"
    )
    return access.get_visible(queryset, client_id)


def problem_get(*, client: Client, problem_id: uuid.UUID) -> CareProblem:
    """A problem of a client the caller already holds through client_get."""
    problem = access.get_visible(CareProblem.objects.filter(client=client), problem_id)
    problem.client = client
    return problem


def note_get(*, user: AnyUser, client: Client, note_id: uuid.UUID | str) -> Note:
    """A note of this client, for amending; another client's note does not exist here."""
    return access.get_visible(clients_access.notes_visible_to(user).filter(client=client), note_id)


def visit_get(*, user: AnyUser, client: Client, visit_id: uuid.UUID | str) -> VisitLink:
    """A visit of this client the user may see (the rota's scoping), or NotFound."""
    return hooks.visits().get(user, client, visit_id)


def emergency_contact_get(*, client: Client, contact_id: uuid.UUID) -> EmergencyContact:
    return access.get_visible(EmergencyContact.objects.filter(client=client), contact_id)


def intervention_get(*, problem: CareProblem, intervention_id: uuid.UUID) -> Intervention:
    return access.get_visible(Intervention.objects.filter(problem=problem), intervention_id)


def family_access_get(*, client: Client, access_id: uuid.UUID) -> FamilyAccess:
    return access.get_visible(FamilyAccess.objects.filter(client=client), access_id)


def read_logged(*, user: AnyUser, client: Client, what: str, door: str = Door.PAGE) -> None:
    """Who read which record, through which door: the team, client and family may ask."""
    access_log.access_event_record(
        user=user, client_id=client.id, team_id=client.team_id, what=what, door=door
    )


def key_safe_readable(*, user: AnyUser, client: Client) -> bool:
    """Whether this person may read (and so change) the client's key-safe code."""
    return clients_access.key_safe_visible_to(user, client)


def key_safe_read(*, user: AnyUser, client: Client, door: str = Door.PAGE) -> str:
    """The key-safe code when this person may read it ("" else); each reading is logged."""
    if not client.key_safe_code or not key_safe_readable(user=user, client=client):
        return ""
    read_logged(user=user, client=client, what=access_log.KEY_SAFE_READ, door=door)
    return client.key_safe_code


def clients_search(*, user: AnyUser, team: Team, query: str) -> QuerySet[Client]:
    """The team's clients by name, NHS number (spaces or not) or postcode (any case)."""
    clients = (
        clients_access.clients_visible_to(user)
        .filter(team=team)
        .select_related("primary_nurse__user", "second_nurse__user")
        .order_by("family_name", "given_name")
    )
    query = query.strip()
    if not query:
        return clients
    digits = nhs_number.normalise(query)
    condition = Q()
    for word in query.split():
        condition &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    if digits.isdigit():
        condition |= Q(nhs_number__startswith=digits)
    code = postcode.normalise(query)
    condition |= Q(postcode__istartswith=code)
    if " " not in code:
        condition |= Q(postcode__istartswith=f"{code} ")
    return clients.filter(condition)


@dataclass
class ProblemView:
    problem: CareProblem
    signs: list[str]
    interventions: list[Intervention]
    ratings: list[OutcomeRating]
    chart: Chart | None

    @property
    def latest(self) -> OutcomeRating | None:
        return self.ratings[-1] if self.ratings else None


def problem_view(problem: CareProblem) -> ProblemView:
    """Uses the problem's prefetched interventions and ratings (see care_plan_problems)."""
    ratings = sorted(problem.ratings.all(), key=lambda r: (r.rated_on, r.id.hex))
    known = signs_for(problem.problem_code)
    return ProblemView(
        problem=problem,
        signs=[known.get(code, code) for code in problem.signs_symptoms],
        interventions=[i for i in problem.interventions.all() if i.active],
        ratings=ratings,
        chart=ratings_chart(ratings),
    )


def _with_plan(problems: QuerySet[CareProblem]) -> QuerySet[CareProblem]:
    return problems.prefetch_related(
        Prefetch("interventions", queryset=Intervention.objects.order_by("category", "id")),
        Prefetch("ratings", queryset=OutcomeRating.objects.select_related("rated_by")),
    )


def care_plan_problem(problem: CareProblem) -> ProblemView:
    """One problem with its interventions and ratings: three queries."""
    fresh = _with_plan(CareProblem.objects.filter(pk=problem.pk)).get()
    fresh.client = problem.client
    return problem_view(fresh)


def care_plan_problems(client: Client) -> list[ProblemView]:
    """Active problems first, then resolved; three queries whatever the size of the plan."""
    problems = _with_plan(CareProblem.objects.filter(client=client)).order_by(
        "status", "problem_code"
    )
    views = []
    for problem in problems:
        problem.client = client
        views.append(problem_view(problem))
    return views


def notes_of(*, user: AnyUser, client: Client, limit: int | None = RECENT_NOTES) -> list[Note]:
    """Newest first, each with its author, the note it amends, its problems and whether a later
    note amends it: two queries whatever the number of notes."""
    notes = (
        clients_access.notes_visible_to(user)
        .filter(client=client)
        .select_related("author", "amends")
        .prefetch_related("problems")
        .annotate(
            is_amended=Exists(Note.objects.filter(amends=OuterRef("pk"))),
            visit_start=hooks.visits().note_visit_start(),
        )
        .order_by("-recorded_at", "-received_at")
    )
    return list(notes[:limit] if limit else notes)


def upcoming_visits(*, user: AnyUser, client: Client, now: dt.datetime | None = None) -> list[Any]:
    """The rota's visits (scheduling/client_visits.py), with their carers."""
    return hooks.visits().upcoming(user, client, now or timezone.now(), UPCOMING_VISITS)


@dataclass
class ClientRecord:
    client: Client
    problems: list[ProblemView]
    notes: list[Note]
    visits: list[Any]  # the rota's Visit rows (upcoming_visits)
    family: list[FamilyAccess] = field(default_factory=list)
    reads: list[ReadEntry] = field(default_factory=list)
    contacts: list[EmergencyContact] = field(default_factory=list)
    outcomes: list[Any] = field(default_factory=list)  # the rota's VisitTaskOutcome rows
    # Shared check-in locations the team may confirm as the client's home (with consent).
    locations: list[CheckInLocation] = field(default_factory=list)
    key_safe_code: str = ""  # "" unless this reader may read it (key_safe_read)

    @property
    def risk_flags(self) -> list[str]:
        return [str(RiskFlag(f).label) for f in self.client.risk_flags if f in RiskFlag.values]

    @property
    def address_lines(self) -> list[str]:
        c = self.client
        return [line for line in (c.address_line_1, c.address_line_2, c.town, c.postcode) if line]

    @property
    def active_problems(self) -> list[ProblemView]:
        return [p for p in self.problems if p.problem.status == ProblemStatus.ACTIVE]

    @property
    def resolved_problems(self) -> list[ProblemView]:
        return [p for p in self.problems if p.problem.status == ProblemStatus.RESOLVED]


def client_record(*, user: AnyUser, client_id: uuid.UUID) -> ClientRecord:
    """The whole record page in a fixed number of queries."""
    client = client_get(user=user, client_id=client_id)
    read_logged(user=user, client=client, what="record")
    return ClientRecord(
        client=client,
        problems=care_plan_problems(client),
        notes=notes_of(user=user, client=client),
        visits=upcoming_visits(user=user, client=client),
        family=list(
            FamilyAccess.objects.filter(client=client, revoked_at__isnull=True).select_related(
                "person"
            )
        ),
        reads=access_log.access_events_for_client(user=user, client=client),
        contacts=list(EmergencyContact.objects.filter(client=client).order_by("order", "name")),
        outcomes=task_outcomes_of(client),
        locations=check_in_locations_to_offer(client),
        key_safe_code=key_safe_read(user=user, client=client),
    )


def task_outcomes_of(client: Client) -> list[Any]:
    """What was done on which visit, by whom: the outcomes that stand (a later outcome of the
    same task supersedes an earlier one), newest visit first."""
    return hooks.visits().task_outcomes(client, RECENT_TASK_OUTCOMES)
