"""Writes of the medicines record (what meds-visit and meds-mar call are re-exported here)."""

from medicines.services.details import LineDetails
from medicines.services.doses import dose_correct, dose_record
from medicines.services.lines import line_add, line_change, line_check, line_stop
from medicines.services.records import policy_change, prn_follow_up, stock_record

__all__ = [
    "LineDetails",
    "dose_correct",
    "dose_record",
    "line_add",
    "line_change",
    "line_check",
    "line_stop",
    "policy_change",
    "prn_follow_up",
    "stock_record",
]
