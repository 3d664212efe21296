"""Reads for the family and the client: the plain-language plan, coming visits, shared notes.

Nothing else leaves: no codes or scores, no access notes, no unshared note, no other client.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch

from careteams import access, access_log
from careteams.access import AnyUser
from careteams.access_log import ReadEntry
from careteams.models import Door
from clients import access as clients_access
from clients import hooks, plain_language
from clients.hooks import PlainVisit
from clients.models import CareProblem, Client, Intervention, Note, ProblemStatus
from clients.rules import RECENT_NOTES, UPCOMING_VISITS
from clients.selectors.records import read_logged


@dataclass(frozen=True)
class PlainHelp:
    kind: str
    what: str
    how_often: str


@dataclass(frozen=True)
class PlainProblem:
    name: str
    help: list[PlainHelp]
    since: dt.date
    resolved: bool


@dataclass(frozen=True)
class PlainNote:
    id: uuid.UUID
    written_at: dt.datetime
    author: str
    body: str
    amends: uuid.UUID | None
    amended: bool


@dataclass(frozen=True)
class FamilyView:
    client_id: uuid.UUID
    team_id: uuid.UUID
    cursor: int  # the team's feed position when read: live updates follow from here
    name: str
    team_name: str
    timezone: str
    # The team's language (the PDF's, for a reader who has not chosen one) and whether its
    # notices for the public are in both languages (careteams.bilingual).
    team_language: str
    bilingual: bool
    problems: list[PlainProblem]
    visits: list[PlainVisit]
    notes: list[PlainNote]
    reads: list[ReadEntry]


def plain_problems(client: Client) -> list[PlainProblem]:
    problems = (
        CareProblem.objects.filter(client=client)
        .prefetch_related(
            Prefetch(
                "interventions",
                queryset=Intervention.objects.filter(active=True).order_by("category", "id"),
            )
        )
        .order_by("status", "problem_code")
    )
    return [
        PlainProblem(
            name=plain_language.problem_name(p.problem_code),
            help=[
                PlainHelp(
                    kind=plain_language.category_words(i.category),
                    what=i.care_description,
                    how_often=i.frequency,
                )
                for i in p.interventions.all()
            ],
            since=p.identified_on,
            resolved=p.status == ProblemStatus.RESOLVED,
        )
        for p in problems
    ]


def family_client_get(*, user: AnyUser, client_id: uuid.UUID) -> Client:
    """A client the user may read the family view of (family with live access, or themself)."""
    return access.get_visible(
        clients_access.clients_in_family_view(user).select_related("team"), client_id
    )


def family_view(*, user: AnyUser, client_id: uuid.UUID, door: str = Door.PAGE) -> FamilyView:
    client = family_client_get(user=user, client_id=client_id)
    read_logged(user=user, client=client, what="family view", door=door)
    notes = (
        clients_access.notes_visible_to(user)
        .filter(client=client, shareable=True)
        .select_related("author")
        .annotate(is_amended=Exists(Note.objects.filter(amends=OuterRef("pk"))))
        .order_by("-recorded_at")[:RECENT_NOTES]
    )
    return FamilyView(
        client_id=client.id,
        team_id=client.team_id,
        cursor=client.team.last_change_seq,
        name=client.preferred_name or client.given_name,
        team_name=client.team.name,
        timezone=client.team.timezone,
        team_language=client.team.language,
        bilingual=client.team.bilingual_notices,
        reads=access_log.access_events_for_client(user=user, client=client),
        problems=plain_problems(client),
        visits=hooks.visits().family_upcoming(user, client, UPCOMING_VISITS),
        notes=[
            PlainNote(
                id=n.id,
                written_at=n.recorded_at,
                author=n.author.first_name,
                body=n.body,
                amends=n.amends_id,
                amended=n.is_amended,
            )
            for n in notes
        ],
    )


def family_today(*, user: AnyUser, view: FamilyView) -> Any:
    """Beside the plain view, today's visits as they happen (the rota's:
    scheduling/selectors/family_today.py); anyone but the client and their family: NotFound."""
    return hooks.visits().family_today(user, view.client_id, view.timezone)
