"""Writes to the rota through scheduling's services: shifts, absences, carers on visits, and
checking in and out. Each update names the version it is based on; a stale one is a 409."""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from careteams import access, access_log
from careteams.errors import DomainError
from careteams.models import Door, Membership, Team
from mobile_api import render
from mobile_api.problems import ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.rota import (
    AbsenceIn,
    AbsenceOut,
    AbsenceUpdateIn,
    AssignIn,
    CheckIn,
    ShiftIn,
    ShiftOut,
    ShiftUpdateIn,
    VisitOut,
)
from mobile_api.schemas.visits import CheckInIn
from mobile_api.security import user_of
from mobile_api.versions import base_version, tag
from scheduling import selectors as rota
from scheduling.models import Visit
from scheduling.services import shifts as shift_services
from scheduling.services import visits as visit_services

router = Router(tags=["Rota"])
WRITE = error_responses(ERRORS_FOR_WRITES)


class VersionQuery(Schema):
    version: int = Field(ge=1, description="The version this removal is based on.")


def team_member(
    request: HttpRequest, team: Team, member_id: uuid.UUID, field: str = "member_id"
) -> Membership:
    """A current member of this team, named in a request. Anyone else gets the same 422."""
    member = (
        access.members_visible_to(user_of(request))
        .filter(team=team, pk=member_id)
        .select_related("user")
        .first()
    )
    if member is None:
        raise DomainError(gettext("Choose a current member of this team."), field=field)
    return member


def _visit(request: HttpRequest, team_id: uuid.UUID, visit_id: uuid.UUID) -> tuple[Team, Visit]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    return team, rota.visit_get(user=user, team=team, visit_id=visit_id)


def _visit_out(visit: Visit) -> dict[str, Any]:
    return render.visit_out(
        Visit.objects.select_related("client").prefetch_related("assignments").get(pk=visit.pk)
    )


# Shifts -------------------------------------------------------------------------------------


@router.post("/teams/{team_id}/shifts", response={201: ShiftOut, **WRITE}, summary="Add a shift")
def shift_create(
    request: HttpRequest, team_id: uuid.UUID, payload: ShiftIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    shift = shift_services.shift_create(
        team=team,
        member=team_member(request, team, payload.member_id),
        start=payload.start,
        end=payload.end,
        kind=payload.kind,
        break_minutes=payload.break_minutes,
        note=payload.note,
        actor=user,
    )
    tag(response, shift.version)
    return Status(201, render.shift_out(shift))


@router.put(
    "/teams/{team_id}/shifts/{shift_id}",
    response={200: ShiftOut, **WRITE},
    summary="Change a shift (If-Match or version)",
)
def shift_update(
    request: HttpRequest,
    team_id: uuid.UUID,
    shift_id: uuid.UUID,
    payload: ShiftUpdateIn,
    response: HttpResponse,
) -> dict[str, Any]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    shift = rota.shift_get(user=user, team=team, shift_id=shift_id)
    shift = shift_services.shift_update(
        shift=shift,
        version=base_version(request, payload.version),
        member=team_member(request, team, payload.member_id),
        start=payload.start,
        end=payload.end,
        kind=payload.kind,
        break_minutes=payload.break_minutes,
        note=payload.note,
        actor=user,
    )
    tag(response, shift.version)
    return render.shift_out(shift)


@router.delete(
    "/teams/{team_id}/shifts/{shift_id}",
    response={204: None, **WRITE},
    summary="Remove a shift (If-Match or ?version=)",
)
def shift_delete(
    request: HttpRequest, team_id: uuid.UUID, shift_id: uuid.UUID, query: Query[VersionQuery]
) -> Status[None]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    shift = rota.shift_get(user=user, team=team, shift_id=shift_id)
    shift_services.shift_delete(
        shift=shift, version=base_version(request, query.version), actor=user
    )
    return Status(204, None)


# Absences -----------------------------------------------------------------------------------


@router.post(
    "/teams/{team_id}/absences", response={201: AbsenceOut, **WRITE}, summary="Add an absence"
)
def absence_create(
    request: HttpRequest, team_id: uuid.UUID, payload: AbsenceIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    absence = shift_services.absence_create(
        team=team,
        member=team_member(request, team, payload.member_id),
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        note=payload.note,
        actor=user,
    )
    tag(response, absence.version)
    return Status(201, render.absence_out(absence))


@router.put(
    "/teams/{team_id}/absences/{absence_id}",
    response={200: AbsenceOut, **WRITE},
    summary="Change an absence (If-Match or version)",
)
def absence_update(
    request: HttpRequest,
    team_id: uuid.UUID,
    absence_id: uuid.UUID,
    payload: AbsenceUpdateIn,
    response: HttpResponse,
) -> dict[str, Any]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    absence = shift_services.absence_update(
        absence=rota.absence_get(user=user, team=team, absence_id=absence_id),
        version=base_version(request, payload.version),
        member=team_member(request, team, payload.member_id),
        kind=payload.kind,
        start=payload.start,
        end=payload.end,
        note=payload.note,
        actor=user,
    )
    tag(response, absence.version)
    return render.absence_out(absence)


@router.delete(
    "/teams/{team_id}/absences/{absence_id}",
    response={204: None, **WRITE},
    summary="Remove an absence (If-Match or ?version=)",
)
def absence_delete(
    request: HttpRequest, team_id: uuid.UUID, absence_id: uuid.UUID, query: Query[VersionQuery]
) -> Status[None]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    shift_services.absence_delete(
        absence=rota.absence_get(user=user, team=team, absence_id=absence_id),
        version=base_version(request, query.version),
        actor=user,
    )
    return Status(204, None)


# Visits -------------------------------------------------------------------------------------


@router.get(
    "/teams/{team_id}/visits/{visit_id}",
    response={200: VisitOut, **WRITE},
    summary="One visit with its carers",
)
def visit_detail(
    request: HttpRequest, team_id: uuid.UUID, visit_id: uuid.UUID, response: HttpResponse
) -> dict[str, Any]:
    team, visit = _visit(request, team_id, visit_id)
    access_log.access_event_record(
        user=user_of(request),
        client_id=visit.client_id,
        team_id=team.id,
        what="visit",
        door=Door.API,
    )
    tag(response, visit.version)
    return render.visit_out(visit)


@router.post(
    "/teams/{team_id}/visits/{visit_id}/carers",
    response={200: VisitOut, **WRITE},
    summary="Put a carer on a visit",
)
def visit_assign(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: AssignIn,
    response: HttpResponse,
) -> dict[str, Any]:
    team, visit = _visit(request, team_id, visit_id)
    visit_services.visit_assign(
        visit=visit,
        version=base_version(request, payload.version),
        member=team_member(request, team, payload.member_id),
        actor=user_of(request),
    )
    out = _visit_out(visit)
    tag(response, out["version"])
    return out


@router.delete(
    "/teams/{team_id}/visits/{visit_id}/carers/{member_id}",
    response={200: VisitOut, **WRITE},
    summary="Take a carer off a visit (If-Match or ?version=)",
)
def visit_unassign(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    member_id: uuid.UUID,
    query: Query[VersionQuery],
    response: HttpResponse,
) -> dict[str, Any]:
    team, visit = _visit(request, team_id, visit_id)
    visit_services.visit_unassign(
        visit=visit,
        version=base_version(request, query.version),
        member=team_member(request, team, member_id, field="member_id"),
        actor=user_of(request),
    )
    out = _visit_out(visit)
    tag(response, out["version"])
    return out


def _check(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: CheckIn | CheckInIn,
    *,
    out: bool,
) -> dict[str, Any]:
    user = user_of(request)
    team = rota.team_for_member(user=user, team_id=team_id)
    visit = rota.visit_to_change(user=user, team=team, visit_id=visit_id)
    version = base_version(request, payload.version)
    member = rota.membership_in(user=user, team=team)
    if isinstance(payload, CheckInIn):
        # Far outside the window: a 422 problem with code "confirmation_required", until
        # the carer confirms with a reason (docs/api.md).
        visit_services.visit_check_in(
            visit=visit,
            version=version,
            member=member,
            actor=user,
            at=payload.recorded_at,
            confirm=payload.confirm,
            reason=payload.reason,
            extra=payload.extra,
            where=visit_services.DeviceLocation(
                payload.latitude, payload.longitude, payload.accuracy_m
            ),
        )
    else:
        visit_services.visit_check_out(
            visit=visit, version=version, member=member, actor=user, at=payload.recorded_at
        )
    return _visit_out(visit)


@router.post(
    "/teams/{team_id}/visits/{visit_id}/check-in",
    response={200: VisitOut, **WRITE},
    summary="Check in to a visit you are on",
)
def visit_check_in(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: CheckInIn,
    response: HttpResponse,
) -> dict[str, Any]:
    result = _check(request, team_id, visit_id, payload, out=False)
    tag(response, result["version"])
    return result


@router.post(
    "/teams/{team_id}/visits/{visit_id}/check-out",
    response={200: VisitOut, **WRITE},
    summary="Check out of a visit you checked in to",
)
def visit_check_out(
    request: HttpRequest,
    team_id: uuid.UUID,
    visit_id: uuid.UUID,
    payload: CheckIn,
    response: HttpResponse,
) -> dict[str, Any]:
    result = _check(request, team_id, visit_id, payload, out=True)
    tag(response, result["version"])
    return result
