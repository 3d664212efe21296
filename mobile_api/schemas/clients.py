"""Clients, care plans, notes, and the family's plain-language view."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from careteams import limits
from clients import omaha
from mobile_api.schemas.rota import VERSION
from mobile_api.schemas.types import AtMost, OneOf, SaneDate, Text, UtcDatetime

NoteBody = Annotated[Text, Field(min_length=1), AtMost(limits.NOTE_BODY_MAX)]
# The Omaha lists (clients/omaha.py), as enums in the OpenAPI document.
CategoryIn = Annotated[Text, OneOf(tuple(omaha.Category.values))]
TargetIn = Annotated[Text, OneOf(tuple(omaha.TARGETS))]


class ClientSummaryOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: dt.date | None
    nhs_number: str | None
    postcode: str
    status: str
    primary_nurse_id: uuid.UUID | None
    second_nurse_id: uuid.UUID | None
    risk_flags: list[str]
    version: int


class ClientOut(ClientSummaryOut):
    team_id: uuid.UUID
    address_line_1: str
    address_line_2: str
    town: str
    phone: str
    access_notes: str
    key_safe_code: str = Field(
        description='For the team\'s nurses and the carers on a visit to the client today; "" '
        "for anyone else. Never in the feed."
    )
    gp_practice_name: str
    gp_practice_phone: str
    communication_needs: str
    language: str = Field(
        description='The language they prefer: "en", "cy", "other" (named in language_other) or ""'
        " (not recorded)."
    )
    language_other: str
    language_needed: bool = Field(description="They need care in that language (dementia...).")
    latitude: float | None = Field(None, description="Where the client lives (travel).")
    longitude: float | None = None


class InterventionOut(Schema):
    id: uuid.UUID
    category: str
    target: str
    care_description: str
    frequency: str
    active: bool
    # Which visits it is a task of (docs/clients.md, "Tasks of a visit"); all empty: every visit.
    visit_parts: list[str]
    visit_weekdays: list[int]
    every_days: int
    every_days_from: dt.date | None
    version: int


class RatingOut(Schema):
    id: uuid.UUID
    knowledge: int
    behaviour: int
    status: int
    rated_on: dt.date
    rated_by_id: uuid.UUID
    version: int


class CareProblemOut(Schema):
    id: uuid.UUID
    problem_code: str
    name: str
    scope: str
    severity: str
    signs_symptoms: list[str]
    status: str
    identified_on: dt.date
    resolved_on: dt.date | None
    interventions: list[InterventionOut]
    ratings: list[RatingOut]
    version: int


class CarePlanOut(Schema):
    client_id: uuid.UUID
    problems: list[CareProblemOut]


class NoteOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    author_id: uuid.UUID
    author_name: str
    visit_id: uuid.UUID | None
    body: str
    shareable: bool
    amends_id: uuid.UUID | None
    amended: bool
    problem_ids: list[uuid.UUID]
    recorded_at: dt.datetime
    received_at: dt.datetime
    version: int


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for older notes; null at the end."
    )


class ClientRecordOut(Schema):
    client: ClientOut
    care_plan: CarePlanOut
    notes: NotePage


class NoteIn(Schema):
    id: uuid.UUID = Field(description="Made by the device: a retry with the same id adds nothing.")
    body: NoteBody
    shareable: bool = False
    recorded_at: UtcDatetime | None = Field(None, description="On the device; default now.")
    problem_ids: list[uuid.UUID] = Field(default_factory=list, max_length=42)
    visit_id: uuid.UUID | None = None


class ProblemIn(Schema):
    problem_code: Text = Field(min_length=2, max_length=2)
    scope: Text = Field("individual", max_length=16)
    severity: Text = Field("actual", max_length=16)
    signs_symptoms: list[Text] = Field(default_factory=list, max_length=40)
    identified_on: SaneDate


class ResolveIn(Schema):
    resolved_on: SaneDate
    version: int = VERSION


class InterventionIn(Schema):
    category: CategoryIn
    target: TargetIn
    care_description: Annotated[Text, Field(min_length=1), AtMost(limits.CARE_DESCRIPTION_MAX)]
    frequency: Annotated[Text, AtMost(limits.FREQUENCY_MAX)] = ""


class RatingIn(Schema):
    knowledge: int = Field(ge=1, le=5)
    behaviour: int = Field(ge=1, le=5)
    status: int = Field(ge=1, le=5)
    rated_on: SaneDate


class PlainHelpOut(Schema):
    kind: str
    what: str
    how_often: str


class PlainProblemOut(Schema):
    name: str
    help: list[PlainHelpOut]
    since: dt.date
    resolved: bool


class PlainVisitOut(Schema):
    start: dt.datetime
    end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    carers: list[str]


class PlainNoteOut(Schema):
    id: uuid.UUID
    written_at: dt.datetime
    author: str
    body: str
    amends: uuid.UUID | None
    amended: bool


class FamilyViewOut(Schema):
    client_id: uuid.UUID
    name: str
    team_name: str
    timezone: str
    problems: list[PlainProblemOut]
    visits: list[PlainVisitOut]
    notes: list[PlainNoteOut]
