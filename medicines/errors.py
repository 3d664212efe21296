"""The medicines record's refusals: domain errors of the core (careteams/errors.py), so pages
show them beside their field and the API answers problem+json. `code` is stable, for the
tablet app to recognise the refusal."""

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from careteams.errors import ConfirmationNeeded, Conflict, DomainError, NotAllowed, RuleBroken


def _when(moment: dt.datetime) -> str:
    """On the 24-hour clock, as the visit card and the MAR write times (the locale's own
    format, "2:05 p.m.", ended the sentence in two full stops)."""
    from django.utils import timezone

    return formats.date_format(timezone.localtime(moment), "j M Y, H:i")


class NotCheckedIn(NotAllowed):
    """No pre-signing: a dose is recorded only by a carer checked in at the visit."""

    code = "not_checked_in"

    def __init__(self) -> None:
        super().__init__(_("Check in to the visit before recording a dose."), field="visit")


class DoseAlreadyRecorded(Conflict):
    """A second record of one scheduled dose: the first stands, and says who made it."""

    code = "dose_already_recorded"

    def __init__(self, *, first: Any) -> None:
        detail = _("This dose was already recorded as “%(outcome)s” by %(who)s at %(when)s.") % {
            "outcome": first.get_outcome_display(),
            "who": first.recorded_by.get_full_name() or first.recorded_by.email,
            "when": _when(first.taken_at),
        }
        super().__init__(detail, current={"id": str(first.pk), "outcome": first.outcome})
        self.first = first
        self.field = "outcome"


class PrnTooSoon(RuleBroken):
    """Inside the PRN line's minimum interval (across every line of the same ingredient)."""

    code = "prn_too_soon"

    def __init__(self, *, allowed_at: dt.datetime) -> None:
        detail = _("Too soon after the last dose: allowed from %(when)s.") % {
            "when": _when(allowed_at)
        }
        super().__init__(detail)
        self.allowed_at = allowed_at
        self.field = "outcome"


class PrnMaximumReached(RuleBroken):
    """The 24-hour maximum would be passed (across every line of the same ingredient)."""

    code = "prn_maximum_reached"

    def __init__(self, *, allowed_at: dt.datetime) -> None:
        detail = _("The most allowed in 24 hours has been given: allowed from %(when)s.") % {
            "when": _when(allowed_at)
        }
        super().__init__(detail)
        self.allowed_at = allowed_at
        self.field = "amount"


class LineNotChecked(DomainError):
    """Nothing transcribed is given before a second person has checked it."""

    code = "line_not_checked"

    def __init__(self) -> None:
        super().__init__(
            _("This medicine is awaiting a second person's check: it cannot be given yet.")
        )


class WitnessRequired(DomainError):
    code = "witness_required"

    def __init__(self) -> None:
        super().__init__(
            _("The team asks for a witness for controlled drugs: choose who witnessed it."),
            field="witness",
        )


class AllergyMatch(ConfirmationNeeded):
    """The medicine matches an allergy on the client's record: add it only with a reason."""

    code = "allergy_match"

    def __init__(self, *, substances: list[str]) -> None:
        super().__init__(
            _(
                "The client has a recorded allergy or sensitivity to %(substances)s. "
                "Add it only if the prescriber confirmed it: give the reason."
            )
            % {"substances": ", ".join(substances)},
            field="allergy_reason",
        )
        self.substances = substances
