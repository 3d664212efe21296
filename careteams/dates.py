"""The one range of dates every door takes: the years 1900 to 2199.

A date at either end of what Python can hold (the years 1 and 9999) overflows as soon as a week
around it is computed or it is moved to UTC, and no record of a care team is that old or that far
ahead. URLs (the `day` converter), query strings (`query_date`), page forms
(`careteams.forms.BoundedDateField`), the API and sync push (`mobile_api/schemas/types.py`) and
the services that plan whole weeks all read the range from here.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from careteams.errors import DomainError

FIRST_YEAR = 1900
LAST_YEAR = 2199
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)

# The English words (tests and other areas compare them); out_of_range() and not_a_date() say
# them in the request's language.
OUT_OF_RANGE = f"Give a date in the years {FIRST_YEAR} to {LAST_YEAR}."
# The days of the week as choices: ISO numbers (Monday 1), in the reader's language.
ISO_WEEKDAYS = (
    (1, gettext_lazy("Monday")),
    (2, gettext_lazy("Tuesday")),
    (3, gettext_lazy("Wednesday")),
    (4, gettext_lazy("Thursday")),
    (5, gettext_lazy("Friday")),
    (6, gettext_lazy("Saturday")),
    (7, gettext_lazy("Sunday")),
)
NOT_A_DATE = gettext_noop("Give a date like 2026-11-29.")

# The years as a regular expression for the API's OpenAPI patterns (the range is whole
# centuries: tests/careteams/test_date_bounds.py checks the pattern takes exactly its years).
_CENTURIES = range(FIRST_YEAR // 100, LAST_YEAR // 100 + 1)
YEAR_PATTERN = f"({'|'.join(str(c) for c in _CENTURIES)})[0-9]{{2}}"


def out_of_range() -> str:
    return gettext("Give a date in the years %(first)s to %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def not_a_date() -> str:
    return gettext(NOT_A_DATE)


def in_range(value: dt.date) -> bool:
    """Whether a date (or a datetime, by its own calendar date) is in the years taken."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def require_in_range(value: dt.date | None, *, field: str) -> None:
    """For services: refuse a date outside the range, naming the caller's field."""
    if value is not None and not in_range(value):
        raise DomainError(out_of_range(), field=field)


def parse(text: str) -> dt.date:
    """A `YYYY-MM-DD` date in the range, or ValueError saying what is wrong with it."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(not_a_date()) from None
    if not in_range(day):
        raise ValueError(out_of_range())
    return day


def query_date(params: Mapping[str, Any], name: str) -> dt.date | None:
    """A date from a query string or posted form: None when absent or empty, a 400 naming the
    parameter when it is not a date in the range (never ignored, never a 500 further on)."""
    text = str(params.get(name, "") or "")
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise DomainError(f"{name}: {error}", field=name) from None


class DayConverter:
    """`<day:name>` in a URL: a `YYYY-MM-DD` date in the range, else no match (a 404). The view
    gets the text as it was written (a week's page redirects a day that is not its Monday).
    Any segment matches first, as `<str:...>` does, so that reversing a URL never fails."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        parse(value)
        return value

    def to_url(self, value: str | dt.date) -> str:
        return value.isoformat() if isinstance(value, dt.date) else value
