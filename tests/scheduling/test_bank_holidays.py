"""Bank holidays on the day they are taken, per nation, against gov.uk's published lists.

The expected dates are copied from https://www.gov.uk/bank-holidays (England and Wales, Scotland,
Northern Ireland) for 2026 and 2027. Wales uses the England and Wales list.
"""

import datetime as dt

import pytest

from scheduling.bank_holidays import bank_holidays_between

ENGLAND_AND_WALES = {
    2026: [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",  # Boxing Day (substitute day): 26 December is a Saturday
    ],
    2027: [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",  # Christmas Day (substitute day)
        "2027-12-28",  # Boxing Day (substitute day)
    ],
}
SCOTLAND = {
    2026: [
        "2026-01-01",
        "2026-01-02",
        "2026-04-03",
        "2026-05-04",
        "2026-05-25",
        "2026-06-15",  # the one-off holiday for Scotland at the World Cup (Royal Proclamation)
        "2026-08-03",
        "2026-11-30",
        "2026-12-25",
        "2026-12-28",
    ],
    2027: [
        "2027-01-01",
        "2027-01-04",  # 2nd January (substitute day): 2 January is a Saturday
        "2027-03-26",
        "2027-05-03",
        "2027-05-31",
        "2027-08-02",
        "2027-11-30",
        "2027-12-27",
        "2027-12-28",
    ],
}
NORTHERN_IRELAND = {
    2026: [
        "2026-01-01",
        "2026-03-17",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-07-13",  # Battle of the Boyne (substitute day): 12 July is a Sunday
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    2027: [
        "2027-01-01",
        "2027-03-17",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-07-12",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ],
}
CASES = [
    (nation, year, dates)
    for nation, lists in (
        ("ENG", ENGLAND_AND_WALES),
        ("WLS", ENGLAND_AND_WALES),
        ("SCT", SCOTLAND),
        ("NIR", NORTHERN_IRELAND),
    )
    for year, dates in lists.items()
]


def year_of(nation: str, year: int) -> dict[dt.date, str]:
    return bank_holidays_between(
        country="GB",
        subdivision=nation,
        first=dt.date(year, 1, 1),
        last=dt.date(year, 12, 31),
    )


@pytest.mark.parametrize(("nation", "year", "dates"), CASES)
def test_each_nations_bank_holidays_are_the_days_govuk_lists(
    nation: str, year: int, dates: list[str]
) -> None:
    assert [day.isoformat() for day in year_of(nation, year)] == dates


@pytest.mark.parametrize("nation", ["ENG", "WLS", "SCT", "NIR"])
def test_boxing_day_2026_is_taken_on_monday_28_december_not_saturday_26(nation: str) -> None:
    christmas_week = bank_holidays_between(
        country="GB", subdivision=nation, first=dt.date(2026, 12, 21), last=dt.date(2027, 1, 3)
    )
    assert dt.date(2026, 12, 26) not in christmas_week
    assert christmas_week[dt.date(2026, 12, 28)] == "Boxing Day (substitute day)"


def test_a_substitute_day_in_january_is_named_for_the_holiday_it_stands_for() -> None:
    assert year_of("SCT", 2027)[dt.date(2027, 1, 4)] == "New Year Holiday (substitute day)"
    assert dt.date(2027, 1, 2) not in year_of("SCT", 2027)


def test_the_twelfth_on_a_sunday_is_taken_on_the_monday_in_northern_ireland() -> None:
    assert year_of("NIR", 2026)[dt.date(2026, 7, 13)] == "Battle of the Boyne (substitute day)"
    assert dt.date(2026, 7, 12) not in year_of("NIR", 2026)
