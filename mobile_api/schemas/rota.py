"""The week, my day, and writes to shifts, absences and visits."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from careteams import limits
from mobile_api.schemas.people import TeamOut
from mobile_api.schemas.types import AtMost, OneOf, Text, UtcDatetime
from scheduling.models import AbsenceKind, ShiftKind

ShiftKindIn = Annotated[Text, OneOf(tuple(ShiftKind.values))]
AbsenceKindIn = Annotated[Text, OneOf(tuple(AbsenceKind.values))]
RotaNote = Annotated[Text, AtMost(limits.ROTA_NOTE_MAX)]
VERSION = Field(
    ge=1, description="The version this change is based on (an If-Match header must agree)."
)


class ShiftOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    kind: str
    break_minutes: int
    note: str
    version: int


class AbsenceOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    kind: str
    start: dt.datetime
    end: dt.datetime
    note: str
    version: int


class ClientRef(Schema):
    id: uuid.UUID
    name: str


class VisitOut(Schema):
    id: uuid.UUID
    client: ClientRef
    planned_start: dt.datetime
    planned_end: dt.datetime
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    required_skills: list[str]
    required_role: str = Field("", description="The least role the visit needs; blank: anyone.")
    carers_needed: int
    tasks: list[str]
    status: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    carer_ids: list[uuid.UUID]
    version: int


class RuleProblemOut(Schema):
    level: str
    code: str
    message: str
    member_ids: list[uuid.UUID]
    visit_ids: list[uuid.UUID]
    at: dt.datetime | None


class MemberWeekOut(Schema):
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    role: str
    skills: list[str]
    planned_hours: float
    expected_hours: float
    problem_count: int


class DayOut(Schema):
    date: dt.date
    holiday: str | None
    visit_count: int = Field(description="The day's visits, cancelled ones included.")
    needing_carer: int = Field(description="The day's visits still needing a carer.")


class WeekOut(Schema):
    team: TeamOut
    monday: dt.date
    day: dt.date | None = Field(
        None, description="With ?day=: the day whose visits and problems are listed."
    )
    published: bool
    days: list[DayOut]
    members: list[MemberWeekOut]
    shifts: list[ShiftOut]
    absences: list[AbsenceOut]
    visits: list[VisitOut]
    problems: list[RuleProblemOut]
    cursor: int


class MyDayVisitOut(VisitOut):
    """The older my-day's visit, with the same late/missed state as the visit cards (additive:
    apps that read VisitOut only are unaffected). New apps: GET .../my-day/visits."""

    timing: str = Field(description="on_time, late or missed (late grace: the team's).")
    due_at: dt.datetime = Field(description="Latest start plus the team's grace time.")


class MyDayOut(Schema):
    team: TeamOut
    member_id: uuid.UUID
    day: dt.date
    shifts: list[ShiftOut]
    visits: list[MyDayVisitOut]
    cursor: int


class ShiftIn(Schema):
    member_id: uuid.UUID
    start: UtcDatetime
    end: UtcDatetime
    kind: ShiftKindIn = "early"
    break_minutes: int = Field(0, ge=0, le=limits.BREAK_MINUTES_MAX)
    note: RotaNote = ""


class ShiftUpdateIn(ShiftIn):
    version: int = VERSION


class AbsenceIn(Schema):
    member_id: uuid.UUID
    kind: AbsenceKindIn
    start: UtcDatetime
    end: UtcDatetime
    note: RotaNote = ""


class AbsenceUpdateIn(AbsenceIn):
    version: int = VERSION


class AssignIn(Schema):
    member_id: uuid.UUID
    version: int = VERSION


class CheckIn(Schema):
    recorded_at: UtcDatetime | None = Field(None, description="On the device; default now.")
    version: int = VERSION
