"""The team's clients, a client's record, care plan and notes (members of the client's team
only; anyone else gets a 404). Reads are logged as reads through the API door."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from careteams import access_log
from careteams import selectors as teams
from careteams.errors import DomainError
from careteams.models import Door
from clients import access as clients_access
from clients.hooks import VisitLink
from clients.models import CareProblem, Client, Note
from clients.selectors import records
from clients.services import notes as note_services
from mobile_api import render, selectors
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.clients import (
    CarePlanOut,
    ClientRecordOut,
    ClientSummaryOut,
    NoteIn,
    NoteOut,
    NotePage,
)
from mobile_api.schemas.types import Text
from mobile_api.security import user_of

router = Router(tags=["Clients"])
READ = error_responses(ERRORS_FOR_READS)
WRITE = error_responses(ERRORS_FOR_WRITES)
NOTES_PER_PAGE = 20


class ClientQuery(Schema):
    q: Text = Field("", max_length=100, description="Name, NHS number or postcode.")


class PageQuery(Schema):
    cursor: Text | None = Field(None, max_length=200)
    limit: int = Field(NOTES_PER_PAGE, ge=1, le=selectors.MAX_PAGE)


def _client(request: HttpRequest, client_id: uuid.UUID, what: str) -> Client:
    user = user_of(request)
    client = records.client_get(user=user, client_id=client_id)
    records.read_logged(user=user, client=client, what=what, door=Door.API)
    return client


def care_plan_out(client: Client) -> dict[str, Any]:
    return {
        "client_id": client.id,
        "problems": [
            render.care_problem_out(v.problem) for v in records.care_plan_problems(client)
        ],
    }


def notes_out(request: HttpRequest, client: Client, query: PageQuery) -> dict[str, Any]:
    page, cursor = selectors.notes_page(
        user=user_of(request), client=client, cursor=query.cursor, limit=query.limit
    )
    return {"items": [render.note_out(n) for n in page], "next_cursor": cursor}


@router.get(
    "/teams/{team_id}/clients",
    response={200: list[ClientSummaryOut], **READ},
    summary="The team's clients, by family name; ?q= searches",
)
def client_list(
    request: HttpRequest, team_id: uuid.UUID, query: Query[ClientQuery]
) -> list[dict[str, Any]]:
    user = user_of(request)
    team = teams.team_for_member(user=user, team_id=team_id)
    found = list(records.clients_search(user=user, team=team, query=query.q))
    access_log.reads_record(user=user, client_ids=(c.id for c in found), what="client list")
    return [render.client_out(c, full=False) for c in found]


@router.get(
    "/clients/{client_id}",
    response={200: ClientRecordOut, **READ},
    summary="A client's record: details, care plan and the newest notes",
)
def client_detail(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    client = _client(request, client_id, "record")
    code = records.key_safe_read(user=user_of(request), client=client, door=Door.API)
    return {
        "client": render.client_out(client) | {"key_safe_code": code},
        "care_plan": care_plan_out(client),
        "notes": notes_out(request, client, PageQuery(cursor=None, limit=NOTES_PER_PAGE)),
    }


@router.get(
    "/clients/{client_id}/care-plan",
    response={200: CarePlanOut, **READ},
    summary="A client's care plan: problems, interventions, ratings",
)
def care_plan(request: HttpRequest, client_id: uuid.UUID) -> dict[str, Any]:
    return care_plan_out(_client(request, client_id, "care plan"))


@router.get(
    "/clients/{client_id}/notes",
    response={200: NotePage, **READ},
    summary="A client's notes, newest first, a page at a time (?cursor=)",
)
def note_list(
    request: HttpRequest, client_id: uuid.UUID, query: Query[PageQuery]
) -> dict[str, Any]:
    return notes_out(request, _client(request, client_id, "notes"), query)


def note_write(request: HttpRequest, client: Client, payload: NoteIn, amends: Note | None) -> Note:
    user = user_of(request)
    problems = list(CareProblem.objects.filter(client=client, id__in=payload.problem_ids))
    if len(problems) != len(set(payload.problem_ids)):
        raise DomainError(
            gettext("Choose problems of this client's care plan."), field="problem_ids"
        )
    visit: VisitLink | None = None
    if payload.visit_id is not None:
        try:
            visit = records.visit_get(user=user, client=client, visit_id=payload.visit_id)
        except DomainError as exc:
            raise DomainError(gettext("Choose a visit to this client."), field="visit_id") from exc
    return note_services.note_write(
        client=client,
        author=user,
        body=payload.body,
        note_id=payload.id,
        written_at=payload.recorded_at,
        shareable=payload.shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )


def note_fresh(request: HttpRequest, note: Note) -> dict[str, Any]:
    page = (
        clients_access.notes_visible_to(user_of(request))
        .filter(pk=note.pk)
        .select_related("author")
        .prefetch_related("problems")
    )
    fresh = page.get()
    fresh.is_amended = Note.objects.filter(amends=fresh).exists()  # type: ignore[attr-defined]
    return render.note_out(fresh)


@router.post(
    "/clients/{client_id}/notes",
    response={201: NoteOut, **WRITE},
    summary="Write a note (a retry with the same id returns the same note)",
)
def note_create(
    request: HttpRequest, client_id: uuid.UUID, payload: NoteIn
) -> Status[dict[str, Any]]:
    client = records.client_get(user=user_of(request), client_id=client_id)
    return Status(201, note_fresh(request, note_write(request, client, payload, None)))


@router.post(
    "/clients/{client_id}/notes/{note_id}/amendments",
    response={201: NoteOut, **WRITE},
    summary="Correct a note: a new note that amends it (the old one stays readable)",
)
def note_amend(
    request: HttpRequest, client_id: uuid.UUID, note_id: uuid.UUID, payload: NoteIn
) -> Status[dict[str, Any]]:
    user = user_of(request)
    client = records.client_get(user=user, client_id=client_id)
    amends = records.note_get(user=user, client=client, note_id=note_id)
    return Status(201, note_fresh(request, note_write(request, client, payload, amends)))
