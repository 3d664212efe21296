"""How the team runs itself: settings, members, role terms, meetings, decisions, actions, figures.
Field names are the services' own, so a refusal names the field the app sent."""

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Field, Schema

from careteams import limits
from careteams.models import HolidayRegion, Language, TeamRole
from careteams.services import CONTINUITY_LIMIT_MAX, TEAM_NAME_MAX
from careteams.skills import Skill
from mobile_api.schemas.rota import VERSION
from mobile_api.schemas.types import AtMost, OneOf, SaneDate, Text
from teamwork.models import ACTION_MAX, TEXT_MAX, TITLE_MAX, Outcome

Title = Annotated[Text, Field(min_length=1), AtMost(TITLE_MAX)]
LongText = Annotated[Text, AtMost(TEXT_MAX)]
RoleIn = Annotated[Text, OneOf(tuple(TeamRole.values))]


class TeamSettingsOut(Schema):
    id: uuid.UUID
    name: str
    timezone: str
    holiday_subdivision: str
    continuity_limit: int
    phone: str
    phone_hours: str
    late_grace_minutes: int
    language: str
    bilingual_notices: bool
    managed_by_role: str
    may_manage: bool
    version: int


class TeamSettingsIn(Schema):
    """Only the fields sent change; the rest stay as they are."""

    name: Annotated[Text, Field(min_length=1), AtMost(TEAM_NAME_MAX)] | None = None
    holiday_subdivision: Annotated[Text, OneOf(tuple(HolidayRegion.values))] | None = None
    continuity_limit: int | None = Field(None, ge=1, le=CONTINUITY_LIMIT_MAX)
    phone: Annotated[Text, AtMost(limits.PHONE_MAX)] | None = Field(
        None, description="The team's phone number, for families and carers."
    )
    phone_hours: Annotated[Text, AtMost(limits.PHONE_HOURS_MAX)] | None = Field(
        None, description="When the phone is answered, in plain words."
    )
    late_grace_minutes: int | None = Field(
        None,
        ge=0,
        le=limits.LATE_GRACE_MINUTES_MAX,
        description="A visit not checked in this long after its latest start is late.",
    )
    language: Annotated[Text, OneOf(tuple(Language.values))] | None = Field(
        None, description="The language the team offers first: 'en-gb' or 'cy'."
    )
    bilingual_notices: bool | None = Field(
        None, description="Notices for the public in Cymraeg and English side by side."
    )
    managed_by_role: Annotated[Text, OneOf(("", *TeamRole.values))] | None = Field(
        None, description="Who may change settings and members: '' for any member, or a role."
    )
    version: int = VERSION


class MemberOut(Schema):
    id: uuid.UUID
    name: str
    role: str
    skills: list[str]
    contracted_hours: float
    team_roles: list[str]
    version: int


class MemberIn(Schema):
    skills: list[Annotated[Text, OneOf(tuple(Skill.values))]] = Field(max_length=20)
    contracted_hours: float = Field(ge=0, le=60, description="Hours a week, to one decimal.")
    version: int = VERSION


class RoleTermOut(Schema):
    id: uuid.UUID
    member_id: uuid.UUID
    role: str
    starts_on: dt.date
    ends_on: dt.date
    ended_on: dt.date | None
    due: bool = Field(description="Current and ending within the notice, or past its end.")
    overdue: bool
    version: int


class RoleTermIn(Schema):
    member_id: uuid.UUID
    role: RoleIn
    starts_on: SaneDate
    ends_on: SaneDate


class VersionIn(Schema):
    version: int = VERSION


class MeetingOut(Schema):
    id: uuid.UUID
    title: str
    held_on: dt.date
    version: int


class MeetingIn(Schema):
    title: Title
    held_on: SaneDate


class AgendaItemOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    title: str
    proposal: str
    status: str
    added_by_id: uuid.UUID
    decision_ids: list[uuid.UUID]
    version: int


class MeetingDetailOut(MeetingOut):
    items: list[AgendaItemOut]


class AgendaItemIn(Schema):
    title: Title
    proposal: LongText = ""


class DecisionOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID | None
    item_id: uuid.UUID | None
    title: str
    text: str
    outcome: str
    present: list[uuid.UUID]
    objections: str
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    decided_by_id: uuid.UUID
    decided_at: dt.datetime
    version: int


class DecisionIn(Schema):
    text: Annotated[Text, Field(min_length=1), AtMost(TEXT_MAX)]
    outcome: Annotated[Text, OneOf(tuple(Outcome.values))]
    present: list[uuid.UUID] = Field(min_length=1, max_length=50)
    objections: LongText = ""


class DecisionQuery(Schema):
    q: Annotated[Text, AtMost(200)] = ""
    since: SaneDate | None = None
    until: SaneDate | None = None


class ActionOut(Schema):
    """From a decision (`decision_id`, with its owner), or raised by a record for the team:
    `medicine_line_id` when a client refused a medicine three times in a row (tell the GP),
    nobody's (`owner_id` empty) until a member takes it, withdrawn with the reason when a
    correction undid the refusals."""

    id: uuid.UUID
    decision_id: uuid.UUID | None
    medicine_line_id: uuid.UUID | None
    text: str
    owner_id: uuid.UUID | None
    due_on: dt.date
    done_at: dt.datetime | None
    done_by_id: uuid.UUID | None
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    version: int


class ActionIn(Schema):
    text: Annotated[Text, Field(min_length=1), AtMost(ACTION_MAX)]
    owner_id: uuid.UUID
    due_on: SaneDate


class PeriodOut(Schema):
    label: str
    first_day: dt.date
    days: int
    shift_hours: float
    client_hours: float
    client_share_percent: float | None
    contracted_hours: float
    visits: int
    late: int = Field(description="Late by the visit's own rule (the team's grace time).")
    missed: int = Field(description="A reason recorded, or not checked in by the end of its day.")
    clients: int
    carers_per_client: float | None
    most_carers: int
    clients_over_limit: int | None
    sickness_hours: float
    sickness_percent: float | None
    problems_rated_twice: int
    knowledge_change: float | None
    behaviour_change: float | None
    status_change: float | None


class FiguresOut(Schema):
    team_id: uuid.UUID
    scale: str
    grace_minutes: int = Field(description="The team's late grace time (late_grace_minutes).")
    periods: list[PeriodOut]


class FiguresQuery(Schema):
    by: Literal["week", "month"] = "week"
