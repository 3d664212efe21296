"""The medicines record in the API (issue 25): a client's lines, the doses of a visit, the MAR
as JSON. Codes are the stored ones (medicines/vocabulary.py): never renamed."""

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema


class MedicineLineOut(Schema):
    id: uuid.UUID
    name: str
    form: str
    strength: str
    dmd_code: str
    dmd_kind: str
    ingredients: list[str] = Field(description="Active ingredients, lower case.")
    route: str
    dose_min: Decimal
    dose_max: Decimal = Field(description="Equal to dose_min for a fixed dose.")
    dose_unit: str
    times: list[str] = Field(description='Times of day in the team\'s zone, "HH:MM".')
    time_tolerance_minutes: int
    visit_part: str = Field(
        description="Given with the client's visit of this part of the day (morning, "
        "lunchtime, teatime, bedtime) instead of at `times`; empty for clock times."
    )
    food: str
    support: str
    starts_on: dt.date
    stops_on: dt.date | None
    review_on: dt.date | None
    supply: str
    body_site: str
    opened_on: dt.date | None
    instructions: str
    time_critical: bool
    cd_schedule: str
    covert: bool
    source: str
    checked: bool = Field(description="Checked by a second person: only then is it due.")
    prn: bool
    prn_for: str
    prn_min_interval_minutes: int | None
    prn_max_24h: Decimal | None
    prn_if_ineffective: str
    status: str
    version: int


class ClientMedicinesOut(Schema):
    client_id: uuid.UUID
    lines: list[MedicineLineOut]


class DoseRecordOut(Schema):
    id: uuid.UUID
    line_id: uuid.UUID
    visit_id: uuid.UUID | None
    due_at: dt.datetime | None = Field(description="The scheduled time; null for a PRN dose.")
    outcome: str
    amount: Decimal | None
    reason: str
    note: str
    prn_reason: str
    taken_at: dt.datetime
    by_id: uuid.UUID
    by_name: str
    recorded_at: dt.datetime
    supersedes_id: uuid.UUID | None
    correction_reason: str
    warning: str = Field(description="A rule the record broke, e.g. a PRN dose made offline.")


class DueDoseOut(Schema):
    line_id: uuid.UUID
    name: str
    dose: str = Field(description='The dose in words, e.g. "1 to 2 tablet".')
    route: str
    due_at: dt.datetime
    time_critical: bool
    visit_part: str = Field(description="The part of the day's visit it is given with, if any.")
    window_start: dt.datetime
    window_end: dt.datetime = Field(description="With no outcome after this, it turns missed.")
    record: DoseRecordOut | None = Field(description="The record that stands, if any.")


class MarCellOut(Schema):
    day: dt.date
    due_at: dt.datetime | None
    state: str = Field(description="recorded, gap (no record once due), pending or not_due.")
    code: str = Field(description="The MAR code (see `key`); NR for a gap.")
    record: DoseRecordOut | None
    earlier: list[DoseRecordOut] = Field(description="Records this one corrected, oldest first.")


class MarRowOut(Schema):
    time: str = Field(description='"HH:MM", or the visit it is given with, e.g. "Morning visit".')
    visit_part: str = Field(description="The part of the day of that visit; empty for a time.")
    cells: list[MarCellOut]


class MarLineOut(Schema):
    line: MedicineLineOut
    rows: list[MarRowOut]


class PrnFollowUpOut(Schema):
    id: uuid.UUID
    effective: bool = Field(description="Whether the dose worked.")
    note: str
    by_name: str
    recorded_at: dt.datetime


class PrnDoseOut(Schema):
    line_id: uuid.UUID
    record: DoseRecordOut
    follow_ups: list[PrnFollowUpOut]


class MarOut(Schema):
    client_id: uuid.UUID
    first: dt.date
    last: dt.date
    days: list[dt.date]
    lines: list[MarLineOut]
    prn_lines: list[MedicineLineOut]
    prn_doses: list[PrnDoseOut]
    gaps: int
    key: dict[str, str] = Field(description="Each code and what it means.")
