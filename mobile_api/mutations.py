"""Applying a device's offline mutations, each at most once, each on its own.

A mutation is applied in its own transaction through the same services as the pages; its
answer (applied, conflict with the server's state, or rejected with the problem) is stored
under (user, mutation_id) in that same transaction, so a repeat after a lost response gets the
same answer and changes nothing. One bad mutation never undoes another.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from django.db import IntegrityError, transaction
from ninja import Field, Schema

from careteams import limits
from careteams.errors import Conflict, DomainError, NotFound
from careteams.models import Membership, Team, User
from clients.models import CareProblem, Client
from clients.selectors import records
from clients.services import notes as note_services
from mobile_api.models import MutationStatus, SyncMutation
from mobile_api.problems import TITLES
from mobile_api.schemas.clients import NoteBody
from mobile_api.schemas.rota import RotaNote, ShiftKindIn
from mobile_api.schemas.sync import MutationIn
from mobile_api.schemas.types import UtcDatetime
from scheduling import selectors as rota
from scheduling.models import Visit
from scheduling.services import shifts as shift_services
from scheduling.services import visits as visit_services

logger = logging.getLogger(__name__)


class NoteData(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    body: NoteBody
    shareable: bool = False
    problem_ids: list[uuid.UUID] = Field(default_factory=list, max_length=42)
    visit_id: uuid.UUID | None = None


class AmendData(NoteData):
    amends_id: uuid.UUID


class VisitData(Schema):
    visit_id: uuid.UUID


class AssignData(VisitData):
    member_id: uuid.UUID


class ShiftData(Schema):
    member_id: uuid.UUID
    start: UtcDatetime
    end: UtcDatetime
    kind: ShiftKindIn = "early"
    break_minutes: int = Field(0, ge=0, le=limits.BREAK_MINUTES_MAX)
    note: RotaNote = ""


class ShiftUpdateData(ShiftData):
    shift_id: uuid.UUID


class ShiftDeleteData(Schema):
    shift_id: uuid.UUID


@dataclass(frozen=True)
class Context:
    user: User
    team: Team
    mutation: MutationIn

    def version(self) -> int:
        if self.mutation.base_version is None:
            raise DomainError("Say which version this change is based on.", field="base_version")
        return self.mutation.base_version

    def member(self, member_id: uuid.UUID, field: str = "data.member_id") -> Membership:
        member = Membership.objects.active().filter(team=self.team, pk=member_id).first()
        if member is None:
            raise DomainError("Choose a current member of this team.", field=field)
        return member

    def me(self) -> Membership:
        return rota.membership_in(user=self.user, team=self.team)

    def visit(self, visit_id: uuid.UUID) -> Visit:
        return rota.visit_get(user=self.user, team=self.team, visit_id=visit_id)

    def client(self, client_id: uuid.UUID) -> Client:
        client = records.client_get(user=self.user, client_id=client_id)
        if client.team_id != self.team.id:
            raise NotFound()
        return client


Applied = tuple[str, uuid.UUID, int]  # entity, id, version


def _note(ctx: Context, data: NoteData, amends_id: uuid.UUID | None = None) -> Applied:
    client = ctx.client(data.client_id)
    problems = list(CareProblem.objects.filter(client=client, id__in=data.problem_ids))
    if len(problems) != len(set(data.problem_ids)):
        raise DomainError("Choose problems of this client's care plan.", field="data.problem_ids")
    amends = None
    if amends_id is not None:
        amends = records.note_get(user=ctx.user, client=client, note_id=amends_id)
    visit = None
    if data.visit_id is not None:
        visit = records.visit_get(user=ctx.user, client=client, visit_id=data.visit_id)
    note = note_services.note_write(
        client=client,
        author=ctx.user,
        body=data.body,
        note_id=data.id,
        written_at=ctx.mutation.recorded_at,
        shareable=data.shareable,
        problems=problems,
        visit=visit,
        amends=amends,
    )
    return "note", note.id, note.version


def note_create(ctx: Context) -> Applied:
    return _note(ctx, NoteData.model_validate(ctx.mutation.data))


def note_amend(ctx: Context) -> Applied:
    data = AmendData.model_validate(ctx.mutation.data)
    return _note(ctx, data, data.amends_id)


def _visit_step(service: Callable[..., Visit]) -> Callable[[Context], Applied]:
    def apply(ctx: Context) -> Applied:
        data = VisitData.model_validate(ctx.mutation.data)
        visit = service(
            visit=ctx.visit(data.visit_id),
            version=ctx.version(),
            member=ctx.me(),
            actor=ctx.user,
            at=ctx.mutation.recorded_at,
        )
        return "visit", visit.id, visit.version

    return apply


def visit_assign(ctx: Context) -> Applied:
    data = AssignData.model_validate(ctx.mutation.data)
    assignment = visit_services.visit_assign(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        actor=ctx.user,
    )
    return "visit", data.visit_id, assignment.visit.version


def visit_unassign(ctx: Context) -> Applied:
    data = AssignData.model_validate(ctx.mutation.data)
    visit_services.visit_unassign(
        visit=ctx.visit(data.visit_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        actor=ctx.user,
    )
    return (
        "visit",
        data.visit_id,
        Visit.objects.values_list("version", flat=True).get(pk=data.visit_id),
    )


def shift_create(ctx: Context) -> Applied:
    data = ShiftData.model_validate(ctx.mutation.data)
    shift = shift_services.shift_create(
        team=ctx.team,
        member=ctx.member(data.member_id),
        start=data.start,
        end=data.end,
        kind=data.kind,
        break_minutes=data.break_minutes,
        note=data.note,
        actor=ctx.user,
    )
    return "shift", shift.id, shift.version


def shift_update(ctx: Context) -> Applied:
    data = ShiftUpdateData.model_validate(ctx.mutation.data)
    shift = shift_services.shift_update(
        shift=rota.shift_get(user=ctx.user, team=ctx.team, shift_id=data.shift_id),
        version=ctx.version(),
        member=ctx.member(data.member_id),
        start=data.start,
        end=data.end,
        kind=data.kind,
        break_minutes=data.break_minutes,
        note=data.note,
        actor=ctx.user,
    )
    return "shift", shift.id, shift.version


def shift_delete(ctx: Context) -> Applied:
    data = ShiftDeleteData.model_validate(ctx.mutation.data)
    shift = rota.shift_get(user=ctx.user, team=ctx.team, shift_id=data.shift_id)
    shift_services.shift_delete(shift=shift, version=ctx.version(), actor=ctx.user)
    return "shift", data.shift_id, ctx.version()


KINDS: dict[str, Callable[[Context], Applied]] = {
    "note.create": note_create,
    "note.amend": note_amend,
    "visit.check_in": _visit_step(visit_services.visit_check_in),
    "visit.check_out": _visit_step(visit_services.visit_check_out),
    "visit.assign": visit_assign,
    "visit.unassign": visit_unassign,
    "shift.create": shift_create,
    "shift.update": shift_update,
    "shift.delete": shift_delete,
}


def _problem(status: int, detail: str, errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "status": status,
        "title": TITLES.get(status, "Error"),
        "detail": detail,
        "errors": errors,
    }


# Services name their own parameters; a mutation carries the device's time at its top level and
# everything else under `data`, named as in the schemas above.
SYNC_FIELDS = {
    "at": "recorded_at",  # check in and out
    "written_at": "recorded_at",  # notes
    "member": "data.member_id",
    "client": "data.client_id",
    "visit": "data.visit_id",
    "problems": "data.problem_ids",
    "amends": "data.amends_id",
}
MUTATION_FIELDS = {"mutation_id", "kind", "recorded_at", "base_version"}


def _sync_field(mutation: MutationIn, field: str) -> str:
    """The field of the mutation the device sent. `kind` alone is the mutation's own when the
    kind is unknown, else the record's (a shift's kind)."""
    if field in SYNC_FIELDS:
        return SYNC_FIELDS[field]
    if field == "kind":
        return "data.kind" if mutation.kind in KINDS else "kind"
    if field.startswith("data.") or field in MUTATION_FIELDS:
        return field
    return f"data.{field}"


def _refused(mutation: MutationIn, exc: Exception) -> tuple[str, dict[str, Any]]:
    base = {"mutation_id": str(mutation.mutation_id), "kind": mutation.kind}
    if isinstance(exc, Conflict):
        return MutationStatus.CONFLICT, {
            **base,
            "status": MutationStatus.CONFLICT,
            "current": exc.current,
            "problem": _problem(409, exc.detail, []),
        }
    if isinstance(exc, pydantic.ValidationError):
        errors = [
            {"field": ".".join(["data", *(str(p) for p in e["loc"])]), "detail": e["msg"]}
            for e in exc.errors()
        ]
        problem = _problem(422, "The mutation's data is not valid.", errors)
    else:
        assert isinstance(exc, DomainError)
        field = _sync_field(mutation, exc.field) if exc.field else None
        errors = [{"field": field, "detail": exc.detail}] if field else []
        status = 422 if exc.status == 400 and exc.field else exc.status
        problem = _problem(status, exc.detail, errors)
    return MutationStatus.REJECTED, {**base, "status": MutationStatus.REJECTED, "problem": problem}


def _failed(mutation: MutationIn) -> dict[str, Any]:
    return {
        "mutation_id": str(mutation.mutation_id),
        "kind": mutation.kind,
        "status": MutationStatus.REJECTED,
        "problem": _problem(500, "The server could not apply this mutation: try again later.", []),
    }


def _stored(user: User, mutation_id: uuid.UUID) -> dict[str, Any] | None:
    found = SyncMutation.objects.filter(user=user, mutation_id=mutation_id).first()
    return None if found is None else {**found.result, "repeated": True}


def _store(ctx: Context, status: str, result: dict[str, Any]) -> None:
    SyncMutation.objects.create(
        user=ctx.user,
        mutation_id=ctx.mutation.mutation_id,
        team_id=ctx.team.id,
        kind=ctx.mutation.kind[:40],
        status=status,
        result=result,
        recorded_at=ctx.mutation.recorded_at,
    )


def apply(*, user: User, team: Team, mutation: MutationIn) -> dict[str, Any]:
    """Apply one mutation (or return the answer it already had)."""
    if (again := _stored(user, mutation.mutation_id)) is not None:
        return again
    ctx = Context(user, team, mutation)
    try:
        with transaction.atomic():
            handler = KINDS.get(mutation.kind)
            if handler is None:
                raise DomainError(
                    f"Unknown kind; use one of {', '.join(sorted(KINDS))}.", field="kind"
                )
            entity, ident, version = handler(ctx)
            result = {
                "mutation_id": str(mutation.mutation_id),
                "kind": mutation.kind,
                "status": MutationStatus.APPLIED,
                "entity": entity,
                "id": str(ident),
                "version": version,
            }
            _store(ctx, MutationStatus.APPLIED, result)
        return result
    except (DomainError, pydantic.ValidationError) as exc:
        status, result = _refused(mutation, exc)
    except IntegrityError:
        # The same mutation id arrived at once in another request, which stored its answer.
        if (again := _stored(user, mutation.mutation_id)) is not None:
            return again
        return _failed(mutation)
    except Exception:
        # Never let one mutation sink the batch (the device would resend it forever). Not
        # stored: a later push may succeed once the cause is fixed.
        logger.exception("Mutation %s (%s) failed", mutation.mutation_id, mutation.kind)
        return _failed(mutation)
    try:
        with transaction.atomic():
            _store(ctx, status, result)
    except IntegrityError:
        if (again := _stored(user, mutation.mutation_id)) is not None:
            return again
        raise
    return result


def apply_batch(*, user: User, team: Team, mutations: list[MutationIn]) -> list[dict[str, Any]]:
    return [apply(user=user, team=team, mutation=m) for m in mutations]
