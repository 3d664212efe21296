"""Offline sync: pulling the change feed and pushing a batch of mutations."""

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from mobile_api.problems import FieldError
from mobile_api.schemas.types import Text, UtcDatetime

MAX_BATCH = 200


class ChangeOut(Schema):
    seq: int
    entity: str
    id: uuid.UUID
    op: Literal["upsert", "delete"]
    version: int
    client: uuid.UUID | None
    data: dict[str, Any] = Field(description="The record as the viewer may see it; {} on delete.")
    at: dt.datetime


class ChangesOut(Schema):
    changes: list[ChangeOut]
    next_cursor: str = Field(
        description="Pass as ?after= next time, as it is: <seq>.<check> (or 0 for an empty "
        "feed); the check names the change at seq, so a cursor of a restored-over feed is "
        "refused, not served with a gap."
    )
    has_more: bool
    head: int = Field(description="The team's feed head when this page was read.")
    incarnation: str = Field(
        description="The feed's incarnation: pass as ?incarnation= with every later cursor."
    )


class MutationIn(Schema):
    mutation_id: uuid.UUID = Field(description="Made by the device; a repeat changes nothing.")
    kind: Text = Field(max_length=40, description="E.g. note.create, visit.check_in.")
    recorded_at: UtcDatetime = Field(description="When it happened on the device.")
    base_version: int | None = Field(None, ge=1, description="The version the change is based on.")
    data: dict[str, Any] = Field(default_factory=dict)


class MutationsIn(Schema):
    # Checked one by one (mobile_api.push.apply_batch), so that a malformed mutation is
    # rejected on its own instead of costing the whole batch a 422.
    mutations: list[Any] = Field(
        max_length=MAX_BATCH,
        description="Mutations (each a MutationIn), applied in order; at most 200.",
        json_schema_extra={"items": MutationIn.model_json_schema()},
    )


class MutationProblem(Schema):
    status: int
    title: str
    detail: str
    errors: list[FieldError] = []
    code: str | None = None  # e.g. confirmation_required


class MutationResult(Schema):
    mutation_id: uuid.UUID | None = Field(description="Null when the mutation had no valid id.")
    kind: str | None
    status: Literal["applied", "held", "conflict", "rejected", "retry"] = Field(
        description="applied, held, conflict and rejected are final; retry: send it again "
        "later. held: from a former member's device, recorded while they were a member and "
        "kept as sent for the team to review (not applied)."
    )
    entity: str | None = None
    id: uuid.UUID | None = None
    version: int | None = None
    current: dict[str, Any] | None = Field(None, description="The server's state, on conflict.")
    problem: MutationProblem | None = None
    repeated: bool = Field(False, description="This mutation id was seen before.")
    late: bool = Field(
        False,
        description="Applied from a former member's device: a note they wrote while a member, "
        "written into the record as a late entry and listed for the team.",
    )


class MutationsOut(Schema):
    results: list[MutationResult]
    cursor: str = Field(
        description="The team's feed head after the batch, as a cursor to pull after."
    )
    incarnation: str = Field(description="The feed's incarnation (see the pull).")
