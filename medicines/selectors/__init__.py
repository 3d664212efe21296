"""Reads of the medicines record (what meds-visit and meds-mar call are re-exported here)."""

from medicines.selectors.doses import DueDose, current_records, doses_between, doses_due
from medicines.selectors.lines import (
    LineView,
    active_allergies,
    allergy_matches,
    client_for,
    line_for,
    lines_of_client,
    medicines_page,
    policy_of,
    recent_prn_doses,
    stock_events_of,
    stock_expected,
    stock_of,
)
from medicines.selectors.prn import prn_next_allowed, prn_verdict

__all__ = [
    "DueDose",
    "LineView",
    "active_allergies",
    "allergy_matches",
    "client_for",
    "current_records",
    "doses_between",
    "doses_due",
    "line_for",
    "lines_of_client",
    "medicines_page",
    "policy_of",
    "prn_next_allowed",
    "prn_verdict",
    "recent_prn_doses",
    "stock_events_of",
    "stock_expected",
    "stock_of",
]
