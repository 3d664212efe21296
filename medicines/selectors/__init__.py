"""Reads of the medicines record (what meds-visit and meds-mar call are re-exported here)."""

from medicines.selectors.doses import DueDose, current_records, doses_between, doses_due
from medicines.selectors.lines import (
    allergy_matches,
    line_for,
    lines_of_client,
    policy_of,
    stock_expected,
    stock_of,
)
from medicines.selectors.prn import prn_next_allowed, prn_verdict

__all__ = [
    "DueDose",
    "allergy_matches",
    "current_records",
    "doses_between",
    "doses_due",
    "line_for",
    "lines_of_client",
    "policy_of",
    "prn_next_allowed",
    "prn_verdict",
    "stock_expected",
    "stock_of",
]
