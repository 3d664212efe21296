"""The sync push's dose mutations (issue 25), declared with their kinds in medicines/entities.py:
`dose.record` (an outcome of a scheduled dose, or a PRN dose), `dose.correct` (a new record that
supersedes one) and `dose.follow_up` (whether a PRN dose worked).

A dose pushed from a tablet happened on the device's clock (`recorded_at` is its `taken_at`), so
it is recorded `offline`: the PRN interval and 24-hour maximum are checked again across every
line of the same ingredient and a dose that breaks them is applied with a warning the team sees
on the MAR, never dropped. Two tablets that recorded the same scheduled dose offline: the first
push stands, the second is answered `conflict` naming who recorded it first (the service's
`DoseAlreadyRecorded`, a Conflict), with the standing record in `current`.
"""

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from django.utils.translation import gettext
from ninja import Field, Schema

from careteams.errors import DomainError, NotFound
from careteams.models import Membership, User
from medicines import services as medicine_services
from medicines.models import DOSE_RECORD, PRN_FOLLOW_UP, DoseRecord, MedicineLine
from medicines.vocabulary import NotGivenReason, Outcome
from mobile_api.schemas.types import AtMost, OneOf, Text, UtcDatetime

if TYPE_CHECKING:
    from mobile_api.mutations import Applied, Context

OutcomeIn = Annotated[Text, OneOf(tuple(Outcome.values))]
ReasonIn = Annotated[Text, OneOf(tuple(NotGivenReason.values))]
Note = Annotated[Text, AtMost(1_000)]
Why = Annotated[Text, AtMost(500)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=3)]


class DoseData(Schema):
    id: uuid.UUID = Field(description="The record's id, made on the device.")
    line_id: uuid.UUID
    visit_id: uuid.UUID | None = None
    due_at: UtcDatetime | None = Field(None, description="The scheduled dose; null for PRN.")
    outcome: OutcomeIn
    amount: Amount | None = None
    reason: ReasonIn = ""
    note: Note = ""
    prn_reason: Why = ""
    witness_id: uuid.UUID | None = Field(None, description="The member who witnessed a CD.")
    line_version: int | None = Field(None, ge=1, description="The line as the tablet saw it.")


class CorrectData(Schema):
    id: uuid.UUID
    supersedes_id: uuid.UUID
    outcome: OutcomeIn
    correction_reason: Why
    amount: Amount | None = None
    reason: ReasonIn = ""
    note: Note = ""
    prn_reason: Why = ""
    witness_id: uuid.UUID | None = None


class FollowUpData(Schema):
    id: uuid.UUID
    dose_id: uuid.UUID
    effective: bool
    note: Note = ""


def _line(ctx: "Context", line_id: uuid.UUID) -> MedicineLine:
    line = MedicineLine.objects.filter(pk=line_id, team_id=ctx.team.id).first()
    if line is None:
        raise NotFound()
    ctx.client(line.client_id)  # the client's team: anyone else a 404
    return line


def _record(ctx: "Context", record_id: uuid.UUID, field: str) -> DoseRecord:
    record = DoseRecord.objects.filter(pk=record_id, team_id=ctx.team.id).first()
    if record is None:
        if DoseRecord.objects.filter(pk=record_id).exists():
            raise NotFound()
        # Sent before the record it is about (another tablet's, or a push cut short). Imported
        # here: mobile_api.mutations imports this module for its handlers.
        from mobile_api.mutations import NotYet

        raise NotYet(
            "The dose this is about has not arrived yet: send it again after.", field=field
        )
    ctx.client(record.client_id)
    return record


def _witness(ctx: "Context", member_id: uuid.UUID | None) -> User | None:
    if member_id is None:
        return None
    member = (
        Membership.objects.active()
        .filter(team=ctx.team, pk=member_id)
        .select_related("user")
        .first()
    )
    if member is None:
        raise DomainError(gettext("Choose a current member of this team."), field="data.witness_id")
    return member.user


def dose_record(ctx: "Context") -> "Applied":
    data = DoseData.model_validate(ctx.mutation.data)
    line = _line(ctx, data.line_id)
    visit = ctx.visit(data.visit_id) if data.visit_id else None
    record = medicine_services.dose_record(
        user=ctx.user,
        line=line,
        visit=visit,
        due_at=data.due_at,
        outcome=data.outcome,
        record_id=data.id,
        amount=data.amount,
        reason=data.reason,
        note=data.note,
        prn_reason=data.prn_reason,
        taken_at=ctx.mutation.recorded_at,
        offline=True,
        expected_version=data.line_version,
        witness=_witness(ctx, data.witness_id),
    )
    return DOSE_RECORD, record.id, 1


def dose_correct(ctx: "Context") -> "Applied":
    data = CorrectData.model_validate(ctx.mutation.data)
    record = medicine_services.dose_correct(
        user=ctx.user,
        record=_record(ctx, data.supersedes_id, "data.supersedes_id"),
        outcome=data.outcome,
        correction_reason=data.correction_reason,
        amount=data.amount,
        reason=data.reason,
        note=data.note,
        prn_reason=data.prn_reason,
        witness=_witness(ctx, data.witness_id),
        record_id=data.id,
    )
    return DOSE_RECORD, record.id, 1


def dose_follow_up(ctx: "Context") -> "Applied":
    data = FollowUpData.model_validate(ctx.mutation.data)
    follow_up = medicine_services.prn_follow_up(
        user=ctx.user,
        dose=_record(ctx, data.dose_id, "data.dose_id"),
        effective=data.effective,
        note=data.note,
        follow_up_id=data.id,
    )
    return PRN_FOLLOW_UP, follow_up.id, 1


KINDS: dict[str, Callable[["Context"], "Applied"]] = {
    "dose.record": dose_record,
    "dose.correct": dose_correct,
    "dose.follow_up": dose_follow_up,
}

# The services name their own parameters; the push names the mutation's fields.
SYNC_FIELDS = {
    "line": "data.line_id",
    "witness": "data.witness_id",
    "taken_at": "recorded_at",
}
