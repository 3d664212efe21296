"""Bank holidays of a team's nation, from the `holidays` package (offline, maintained).

England and Wales, Scotland and Northern Ireland each have their own: St Andrew's Day, 2 January
and the August holiday in Scotland; St Patrick's Day and the Twelfth in Northern Ireland.
"""

import datetime as dt
from functools import cache

import holidays


@cache
def _year(country: str, subdivision: str, year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=[year])
    return dict(calendar.items())


def bank_holidays_between(
    *, country: str, subdivision: str, first: dt.date, last: dt.date
) -> dict[dt.date, str]:
    """Each bank holiday from `first` to `last` (both included), with its name."""
    found: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _year(country, subdivision, year).items():
            if first <= day <= last:
                found[day] = name
    return dict(sorted(found.items()))
