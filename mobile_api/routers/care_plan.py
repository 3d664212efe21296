"""Writes to a client's Omaha care plan through clients' services."""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from clients.models import CareProblem
from clients.selectors import records
from clients.services import care_plan as plan_services
from mobile_api import render
from mobile_api.problems import ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.clients import (
    CareProblemOut,
    InterventionIn,
    ProblemIn,
    RatingIn,
    ResolveIn,
)
from mobile_api.security import user_of
from mobile_api.versions import base_version, tag

router = Router(tags=["Care plans"])
WRITE = error_responses(ERRORS_FOR_WRITES)


def _problem(request: HttpRequest, client_id: uuid.UUID, problem_id: uuid.UUID) -> CareProblem:
    client = records.client_get(user=user_of(request), client_id=client_id)
    return records.problem_get(client=client, problem_id=problem_id)


def _out(problem: CareProblem, response: HttpResponse) -> dict[str, Any]:
    view = records.care_plan_problem(problem)
    tag(response, view.problem.version)
    return render.care_problem_out(view.problem)


@router.post(
    "/clients/{client_id}/problems",
    response={201: CareProblemOut, **WRITE},
    summary="Add an Omaha problem to the care plan",
)
def problem_add(
    request: HttpRequest, client_id: uuid.UUID, payload: ProblemIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    user = user_of(request)
    client = records.client_get(user=user, client_id=client_id)
    problem = plan_services.problem_add(
        client=client,
        problem_code=payload.problem_code,
        scope=payload.scope,
        severity=payload.severity,
        signs_symptoms=payload.signs_symptoms,
        identified_on=payload.identified_on,
        actor=user,
    )
    problem.client = client
    return Status(201, _out(problem, response))


@router.post(
    "/clients/{client_id}/problems/{problem_id}/resolve",
    response={200: CareProblemOut, **WRITE},
    summary="Resolve a problem (If-Match or version)",
)
def problem_resolve(
    request: HttpRequest,
    client_id: uuid.UUID,
    problem_id: uuid.UUID,
    payload: ResolveIn,
    response: HttpResponse,
) -> dict[str, Any]:
    problem = _problem(request, client_id, problem_id)
    resolved = plan_services.problem_resolve(
        problem=problem,
        version=base_version(request, payload.version),
        resolved_on=payload.resolved_on,
        actor=user_of(request),
    )
    resolved.client = problem.client
    return _out(resolved, response)


@router.post(
    "/clients/{client_id}/problems/{problem_id}/interventions",
    response={201: CareProblemOut, **WRITE},
    summary="Add an intervention (category × target, what we do, how often)",
)
def intervention_add(
    request: HttpRequest,
    client_id: uuid.UUID,
    problem_id: uuid.UUID,
    payload: InterventionIn,
    response: HttpResponse,
) -> Status[dict[str, Any]]:
    problem = _problem(request, client_id, problem_id)
    plan_services.intervention_add(
        problem=problem,
        category=payload.category,
        target=payload.target,
        care_description=payload.care_description,
        frequency=payload.frequency,
        actor=user_of(request),
    )
    return Status(201, _out(problem, response))


@router.post(
    "/clients/{client_id}/problems/{problem_id}/ratings",
    response={201: CareProblemOut, **WRITE},
    summary="Rate Knowledge, Behaviour and Status (1–5)",
)
def rating_add(
    request: HttpRequest,
    client_id: uuid.UUID,
    problem_id: uuid.UUID,
    payload: RatingIn,
    response: HttpResponse,
) -> Status[dict[str, Any]]:
    problem = _problem(request, client_id, problem_id)
    plan_services.rating_add(
        problem=problem,
        knowledge=payload.knowledge,
        behaviour=payload.behaviour,
        status=payload.status,
        rated_on=payload.rated_on,
        actor=user_of(request),
    )
    return Status(201, _out(problem, response))
