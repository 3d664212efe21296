"""The visit card (my day with the doorstep data), tasks and their outcomes, the guarded
check-in, withdrawal and missed visits (issue 13)."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from careteams import limits
from clients.models import DisclosureLevel
from mobile_api.schemas.medicines import DueDoseOut
from mobile_api.schemas.rota import VERSION
from mobile_api.schemas.types import AtMost, OneOf, Text, UtcDatetime
from scheduling.visit_models import MissedReason, NotDoneReason, TaskOutcome

Reason = Annotated[Text, AtMost(limits.REASON_MAX)]
TaskNote = Annotated[Text, AtMost(limits.TASK_NOTE_MAX)]
TaskKey = Annotated[Text, AtMost(limits.TASK_MAX + 20)]
OutcomeIn = Annotated[Text, OneOf(tuple(TaskOutcome.values))]
NotDoneIn = Annotated[Text, OneOf(("", *NotDoneReason.values))]
MissedIn = Annotated[Text, OneOf(tuple(MissedReason.values))]


class EmergencyContactOut(Schema):
    id: uuid.UUID
    name: str
    relationship: str
    phone: str
    may_be_told: str = Field(description=f"One of {', '.join(DisclosureLevel.values)}.")
    order: int
    version: int


class DoorstepOut(Schema):
    id: uuid.UUID
    name: str
    preferred_name: str
    date_of_birth: dt.date | None
    address: str
    postcode: str
    map_link: str = Field(description="A geo: URI that opens the tablet's map app.")
    phone: str
    access_notes: str = Field(description="Parking, pets, how to get in: the team's only.")
    key_safe_code: str = Field(
        description="The key-safe code, for the team's nurses and the carers on a visit to the "
        'client today; "" for anyone else (and when none is recorded). Never in the feed.'
    )
    risk_flags: list[str]
    gp_practice_name: str
    gp_practice_phone: str
    communication_needs: str
    language: str = Field(description='"en", "cy", "other" or "" (not recorded).')
    language_label: str = Field(description="The language in words; another one as named.")
    language_needed: bool
    emergency_contacts: list[EmergencyContactOut]


class CarerOut(Schema):
    member_id: uuid.UUID
    name: str


class AttendanceOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    name: str
    role: str = Field(description="assigned, or extra (also attending)")
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    confirmed_reason: str
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    version: int


class TaskOutcomeOut(Schema):
    id: uuid.UUID
    outcome: str
    reason: str
    note: str
    by_id: uuid.UUID
    by_name: str
    recorded_at: dt.datetime
    received_at: dt.datetime


class TaskOut(Schema):
    key: str = Field(description="intervention:<id> for the care plan's, visit:<text> else.")
    label: str
    intervention_id: uuid.UUID | None
    outcome: TaskOutcomeOut | None = Field(description="The outcome that stands, if any.")


class LastNoteOut(Schema):
    id: uuid.UUID
    body: str
    author_name: str
    visit_id: uuid.UUID | None
    recorded_at: dt.datetime


class MissedOut(Schema):
    id: uuid.UUID
    reason: str
    note: str
    recorded_at: dt.datetime


class VisitCardOut(Schema):
    id: uuid.UUID
    planned_start: dt.datetime
    planned_end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    status: str
    carers_needed: int
    timing: str = Field(description="on_time, late or missed (late grace: the team's).")
    due_at: dt.datetime = Field(description="Latest start plus the team's grace time.")
    client: DoorstepOut
    carers: list[CarerOut]
    attendances: list[AttendanceOut]
    tasks: list[TaskOut]
    tasks_open: int
    has_visit_note: bool
    last_note: LastNoteOut | None = Field(description="The client's most recent note.")
    missed: MissedOut | None
    doses: list[DueDoseOut] = Field(
        default_factory=list,
        description="The medicine doses due in the visit's window, with the record that stands "
        "(issue 25); recorded through the sync push's dose.record (docs/sync.md).",
    )
    version: int


class TeamContactOut(Schema):
    phone: str
    phone_hours: str
    late_grace_minutes: int


class MyDayVisitsOut(Schema):
    team_id: uuid.UUID
    member_id: uuid.UUID
    day: dt.date
    team_contact: TeamContactOut
    visits: list[VisitCardOut]
    cursor: int


class CheckInIn(Schema):
    version: int = VERSION
    recorded_at: UtcDatetime | None = Field(None, description="On the device, if offline.")
    confirm: bool = Field(
        False, description="Check in although far outside the window (with a reason)."
    )
    reason: Reason = ""
    extra: bool = Field(False, description="Not on the visit: attending as an extra carer.")
    latitude: float | None = Field(
        None, description="The device's location, only if the carer chose to share it."
    )
    longitude: float | None = Field(None, description="With latitude: both or neither.")
    accuracy_m: float | None = Field(None, description="The location's accuracy in metres.")


class WithdrawIn(Schema):
    version: int = VERSION
    reason: Reason


class TaskOutcomeIn(Schema):
    id: uuid.UUID | None = Field(None, description="Made by the device; a retry adds nothing.")
    task_key: TaskKey
    outcome: OutcomeIn
    reason: NotDoneIn = ""
    note: TaskNote = ""
    recorded_at: UtcDatetime | None = None


class MissedVisitIn(Schema):
    id: uuid.UUID | None = Field(None, description="Made by the device; a retry adds nothing.")
    version: int = VERSION
    reason: MissedIn
    note: Reason = ""
    recorded_at: UtcDatetime | None = None


class TaskRecordOut(Schema):
    visit_id: uuid.UUID
    visit_start: dt.datetime
    task_label: str
    outcome: str
    reason: str
    note: str
    by: str
    recorded_at: dt.datetime
    received_at: dt.datetime
    superseded: bool
