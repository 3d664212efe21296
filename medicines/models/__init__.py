"""The medicines record (issue 25, docs/medicines.md): the team's policy and the client's
medicines list (lines), when each line is due over time (schedules), and what happened to each
dose, PRN follow-ups and stock (records)."""

from medicines.models.base import (
    DOSE_RECORD,
    GRACE_MAX_MINUTES,
    INTERVAL_MAX_MINUTES,
    MEDICINE_LINE,
    MEDICINES_POLICY,
    NAME_MAX,
    NOTE_MAX,
    PRN_FOLLOW_UP,
    REASON_MAX,
    STOCK_EVENT,
    TEXT_MAX,
    TOLERANCE_MAX_MINUTES,
    AppendOnly,
    AppendOnlyError,
)
from medicines.models.lines import MedicineLine, MedicinesPolicy, ingredient_list
from medicines.models.records import DoseRecord, PrnFollowUp, StockEvent
from medicines.models.schedules import LineSchedule, LineScheduleCheck, ScheduleManager

__all__ = [
    "DOSE_RECORD",
    "GRACE_MAX_MINUTES",
    "INTERVAL_MAX_MINUTES",
    "MEDICINES_POLICY",
    "MEDICINE_LINE",
    "NAME_MAX",
    "NOTE_MAX",
    "PRN_FOLLOW_UP",
    "REASON_MAX",
    "STOCK_EVENT",
    "TEXT_MAX",
    "TOLERANCE_MAX_MINUTES",
    "AppendOnly",
    "AppendOnlyError",
    "DoseRecord",
    "LineSchedule",
    "LineScheduleCheck",
    "MedicineLine",
    "MedicinesPolicy",
    "PrnFollowUp",
    "ScheduleManager",
    "StockEvent",
    "ingredient_list",
]
