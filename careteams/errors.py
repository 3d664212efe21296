"""Domain errors, raised by services and selectors.

Pages turn them into messages and 404s; the API turns them into RFC 9457 problem+json.
"""

from typing import Any

from django.utils.translation import gettext, gettext_noop


class DomainError(Exception):
    status = 400
    # English here (pages and logs name the kind); a detail left out is the title in the
    # active language, as the API's problem titles (careteams/problems.py).
    title = gettext_noop("Bad request")

    def __init__(self, detail: str = "", *, field: str | None = None) -> None:
        detail = detail or gettext(self.title)
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    """The record does not exist *for this user*: used alike for missing and not-allowed reads."""

    status = 404
    title = gettext_noop("Not found")


class NotAllowed(DomainError):
    """The user may see the record but not do this to it."""

    status = 403
    title = gettext_noop("Not allowed")


class Conflict(DomainError):
    """The write was based on a stale version; `current` is the server's state."""

    status = 409
    title = gettext_noop("Conflict")

    def __init__(self, detail: str = "", *, current: dict[str, Any] | None = None) -> None:
        super().__init__(detail or gettext("Someone else changed this first."))
        self.current = current or {}


class RuleBroken(DomainError):
    """The write would break a rule; `problems` says which, in words for the user."""

    status = 422
    title = gettext_noop("A rule would be broken")

    def __init__(self, detail: str = "", *, problems: list[str] | None = None) -> None:
        super().__init__(detail or "; ".join(problems or []))
        self.problems = problems or []


class ConfirmationNeeded(DomainError):
    """The write looks like a mistake (a check-in far outside the visit's window): send it again
    with confirm=True and a reason. `code` is stable, for the pages and the app to recognise."""

    status = 422
    title = gettext_noop("Confirmation needed")
    code = "confirmation_required"


class FormerMember(NotAllowed):
    """A former member's tablet sent something the team cannot take from them: written after
    they left (or before they joined), or a kind of change only a member makes. `code` is
    stable, for the tablet to say what happened to the item."""

    code = "former_member"
