"""Bank holidays of a team's nation, from the `holidays` package (offline, maintained).

England and Wales, Scotland and Northern Ireland each have their own: St Andrew's Day, 2 January
and the August holiday in Scotland; St Patrick's Day and the Twelfth in Northern Ireland.

A bank holiday counts on the day it is taken. When one falls on a weekend, the day off is the
substitute weekday (Boxing Day 2026 is a Saturday: the bank holiday is Monday 28 December), so
the weekend date is left out and the substitute day carries the holiday's name, as gov.uk lists
them. The package marks a substitute day by adding "(observed)" to the holiday's name.
"""

import datetime as dt
from functools import cache

import holidays

OBSERVED = " (observed)"
SATURDAY = 6


def _names(value: str) -> list[str]:
    # The package joins two holidays on one date with "; ".
    return [name.strip() for name in value.split(";") if name.strip()]


@cache
def _year(country: str, subdivision: str, year: int) -> dict[dt.date, str]:
    # The year before too: a substitute day early in January may stand for a late-December date.
    calendar = holidays.country_holidays(
        country, subdiv=subdivision or None, years=[year - 1, year, year + 1]
    )
    by_day = {day: _names(value) for day, value in calendar.items()}

    def substituted(day: dt.date, name: str) -> bool:
        """Whether a weekend holiday has its substitute weekday in the days after it."""
        return day.isoweekday() >= SATURDAY and any(
            name + OBSERVED in by_day.get(day + dt.timedelta(days=n), []) for n in range(1, 5)
        )

    taken: dict[dt.date, str] = {}
    for day, names in by_day.items():
        if day.year != year:
            continue
        kept = [
            name.removesuffix(OBSERVED) + " (substitute day)" if name.endswith(OBSERVED) else name
            for name in names
            if not substituted(day, name)
        ]
        if kept:
            taken[day] = "; ".join(kept)
    return taken


def bank_holidays_between(
    *, country: str, subdivision: str, first: dt.date, last: dt.date
) -> dict[dt.date, str]:
    """Each bank holiday taken from `first` to `last` (both included), with its name."""
    found: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _year(country, subdivision, year).items():
            if first <= day <= last:
                found[day] = name
    return dict(sorted(found.items()))
