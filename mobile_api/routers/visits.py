"""The visit on the doorstep (issue 13): my day as visit cards, one card, a task's outcome,
withdrawing a mistaken check-in, and a missed visit's reason. The guarded check-in and the
check-out are in routers/rota.py (their paths predate this). Members of the team only."""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from careteams import access_log
from careteams.models import Door
from medicines import day_doses
from medicines import selectors as medicine_selectors
from mobile_api import medicines_render, visit_render
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.types import SaneDate
from mobile_api.schemas.visits import (
    MissedVisitIn,
    MyDayVisitsOut,
    TaskOutcomeIn,
    TaskRecordOut,
    VisitCardOut,
    WithdrawIn,
)
from mobile_api.security import user_of
from mobile_api.versions import base_version, tag
from scheduling import selectors as rota
from scheduling.selectors import visit_card as cards
from scheduling.services import visit_records
from scheduling.services import visits as visit_services

router = Router(tags=["Visits"])
READ = error_responses(ERRORS_FOR_READS)
WRITE = error_responses(ERRORS_FOR_WRITES)


class DayQuery(Schema):
    day: SaneDate | None = None


def _card(request: HttpRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> dict[str, Any]:
    card = cards.visit_card(user=user_of(request), team_id=team_id, visit_id=visit_id)
    doses = medicine_selectors.doses_due(visit=card.visit)
    return {**visit_render.card_out(card), "doses": medicines_render.doses_out(doses)}


@router.get(
    "/teams/{team_id}/my-day/visits",
    response={200: MyDayVisitsOut, **READ},
    summary="My day's visits as cards: doorstep data, tasks and outcomes, attendance, timing",
)
def my_day_visits(
    request: HttpRequest, team_id: uuid.UUID, query: Query[DayQuery]
) -> dict[str, Any]:
    user = user_of(request)
    day = cards.my_day_cards(user=user, team_id=team_id, day=query.day)
    # The cards carry each client's doorstep data: one read-log row per client, one insert.
    access_log.reads_record(user=user, client_ids={c.client.id for c in day.cards}, what="my day")
    access_log.reads_record(
        user=user,
        client_ids={c.client.id for c in day.cards if c.key_safe_code},
        what=access_log.KEY_SAFE_READ,
    )
    out = visit_render.my_day_out(day)
    doses = day_doses.doses_of_visits(visits=[c.visit for c in day.cards], zone=day.team.zone)
    for visit in out["visits"]:
        visit["doses"] = medicines_render.doses_out(doses[visit["id"]])
    return out


@router.get(
    "/teams/{team_id}/visits/{visit_id}/card",
    response={200: VisitCardOut, **READ},
    summary="One visit's card (what check-out shows: the task list and the visit note)",
)
def visit_card(
    request: HttpRequest, team_id: uuid.UUID, visit_id: uuid.UUID, response: HttpResponse
) -> dict[str, Any]:
    out = _card(request, team_id, visit_id)
    user = user_of(request)
    access_log.access_event_record(
        user=user, client_id=out["client"]["id"], team_id=team_id, what="visit", door=Door.API
    )
    if out["client"]["key_safe_code"]:
        access_log.access_event_record(
            user=user,
            client_id=out["client"]["id"],
            team_id=team_id,
            what=access_log.KEY_SAFE_READ,
            door=Door.API,
        )
    tag(response, out["version"])
    return out


@router.post(
    "/teams/{team_id}/visits/{visit_id}/task-outcomes",
    response={201: VisitCardOut, **WRITE},
    summary="Mark a task of the visit done, or not done with a reason",
)
def task_outcome(
    request: HttpRequest, team_id: uuid.UUID, visit_id: uuid.UUID, payload: TaskOutcomeIn
) -> Status[dict[str, Any]]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    visit_records.visit_task_outcome_record(
        visit=rota.visit_to_change(user=user, team=team, visit_id=visit_id),
        task_key=payload.task_key,
        outcome=payload.outcome,
        reason=payload.reason,
        note=payload.note,
        actor=user,
        at=payload.recorded_at,
        outcome_id=payload.id,
    )
    return Status(201, _card(request, team_id, visit_id))


@router.post(
    "/teams/{team_id}/visits/{visit_id}/withdraw",
    response={200: VisitCardOut, **WRITE},
    summary="Withdraw my mistaken check-in (within minutes; the withdrawal is kept)",
)
def withdraw(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: WithdrawIn,
    response: HttpResponse,
) -> dict[str, Any]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    visit_services.visit_check_in_withdraw(
        visit=rota.visit_to_change(user=user, team=team, visit_id=visit_id),
        version=base_version(request, payload.version),
        member=rota.membership_in(user=user, team=team),
        actor=user,
        reason=payload.reason,
    )
    out = _card(request, team_id, visit_id)
    tag(response, out["version"])
    return out


@router.post(
    "/teams/{team_id}/visits/{visit_id}/missed",
    response={200: VisitCardOut, **WRITE},
    summary="Record why a late or missed visit did not happen",
)
def missed(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: MissedVisitIn,
    response: HttpResponse,
) -> dict[str, Any]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    visit_records.visit_missed_record(
        visit=rota.visit_to_change(user=user, team=team, visit_id=visit_id),
        version=base_version(request, payload.version),
        reason=payload.reason,
        note=payload.note,
        actor=user,
        at=payload.recorded_at,
        record_id=payload.id,
    )
    out = _card(request, team_id, visit_id)
    tag(response, out["version"])
    return out


@router.get(
    "/teams/{team_id}/clients/{client_id}/task-outcomes",
    response={200: list[TaskRecordOut], **READ},
    summary="What was done on which visit, by whom (newest first, superseded ones marked)",
)
def client_task_outcomes(
    request: HttpRequest, team_id: uuid.UUID, client_id: uuid.UUID
) -> list[Any]:
    user = user_of(request)
    rota.team_for_member(user=user, team_id=team_id)
    rows = cards.client_task_outcomes(user=user, client_id=client_id, team_id=team_id)
    access_log.access_event_record(
        user=user, client_id=client_id, team_id=team_id, what="task outcomes", door=Door.API
    )
    return [row.__dict__ for row in rows]
