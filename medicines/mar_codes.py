"""The MAR's key: the short code each outcome prints as in a day's cell, and the same outcome in
plain words for the family. A paper MAR keeps such a key on its back; the codes are short
because a month's day is a few millimetres wide.

Pure vocabulary: imported by the chart, its PDF, the family's plain version and the API.
"""

from django.utils.translation import gettext_lazy as _

# A dose whose window has passed with no record: printed as a code, not only as a colour,
# so that a photocopy or a screen reader shows it too.
GAP = "NR"
# A day on which the line was not due (before its start, after its stop, awaiting its check).
NOT_DUE = "–"
# After a code: this record corrects an earlier one (both stay readable).
CORRECTED_MARK = "*"

OUTCOME_CODES: dict[str, str] = {
    "given": "G",
    "prompted": "P",
    "partly": "PT",
    "refused": "R",
    "not_available": "NA",
}
# "Not given" prints as the code of its reason.
REASON_CODES: dict[str, str] = {
    "asleep": "S",
    "unwell": "U",
    "away": "A",
    "out_of_stock": "OS",
    "family_gave": "F",
    "self_administered": "SA",
    "not_needed": "NN",
}
NOT_GIVEN_CODE = "N"

# For the team: the key printed under the chart, in the order a carer reads it.
KEY: tuple[tuple[str, object], ...] = (
    ("G", _("Given")),
    ("P", _("Prompted and taken")),
    ("PT", _("Partly taken (how much in the notes)")),
    ("R", _("Refused")),
    ("S", _("Not given: asleep")),
    ("U", _("Not given: unwell or vomiting")),
    ("A", _("Not given: away or in hospital")),
    ("OS", _("Not given: out of stock")),
    ("F", _("Not given: given by family")),
    ("SA", _("Not given: self-administered")),
    ("NN", _("Not given: not needed (when required)")),
    ("N", _("Not given: other reason (see the notes)")),
    ("NA", _("Not available")),
    (GAP, _("No record: the dose's time has passed and nobody recorded what happened")),
    (NOT_DUE, _("Not due that day")),
    (CORRECTED_MARK, _("Corrected: the earlier record is listed under the chart")),
)

# For the family: words, never codes.
OUTCOME_WORDS: dict[str, object] = {
    "given": _("Given"),
    "prompted": _("Taken when reminded"),
    "partly": _("Partly taken"),
    "refused": _("Said no to it"),
    "not_available": _("Not available at the visit"),
}
REASON_WORDS: dict[str, object] = {
    "asleep": _("Not given: asleep"),
    "unwell": _("Not given: unwell"),
    "away": _("Not given: away from home"),
    "out_of_stock": _("Not given: none left at home"),
    "family_gave": _("Given by the family"),
    "self_administered": _("Taken without help"),
    "not_needed": _("Not needed"),
}
NO_RECORD_WORDS = _("No record was made")
NOT_GIVEN_WORDS = _("Not given")


def code_for(outcome: str, reason: str = "") -> str:
    """The cell's code of an outcome (and, for "not given", its reason)."""
    if outcome == "not_given":
        return REASON_CODES.get(reason, NOT_GIVEN_CODE)
    return OUTCOME_CODES.get(outcome, "?")


def words_for(outcome: str, reason: str = "") -> str:
    """The outcome in plain words, for the family's version."""
    if outcome == "not_given":
        return str(REASON_WORDS.get(reason, NOT_GIVEN_WORDS))
    return str(OUTCOME_WORDS.get(outcome, NOT_GIVEN_WORDS))
