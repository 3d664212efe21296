"""Running the suite at a chosen moment: `--clock=2026-06-29T00:30:00+01:00`.

Tests that read "today", "this week" or "now" must hold at any hour of any day. The ones most
likely not to (the demo and scale worlds, and tests that read the date) carry the
`clock_sensitive` marker, and `make test-clocks` runs them at the two worst moments for a
London team: just after midnight on a Monday (the week has only begun, nothing is done yet)
and just before midnight on a Sunday (the week is ending, an hour later is next week).

The clock is moved for the whole session, not per test: the worlds a module builds once (its
module fixtures) must be built at the same moment its tests then read. The clock keeps ticking
from there, as the real one does. `time-machine` moves every Python clock (`time.time`,
`datetime.now`, `date.today`, hence `timezone.now`) but not `time.monotonic`, so timeouts and
the event loop keep their own time. The databases' clocks are not moved: no code reads the
database's `now()`, and this keeps it that way.

`make test-clocks` runs its clocks' sessions side by side: on PostgreSQL each session's test
databases are named after its clock (below), and on Redis each is given a database number of its
own (the Makefile), so that neither sees the other's rows, groups or counters.
"""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

_TRAVEL = pytest.StashKey[time_machine.travel]()
# A Wednesday noon in London, in summer time: the week half done, the day half done.
MIDDAY = dt.datetime(2026, 6, 17, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="ISO-8601",
        default=None,
        help="run the session as if it were this moment (an aware ISO 8601 time), ticking on",
    )


def clock_from(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"--clock needs a UTC offset (2026-12-06T23:30:00+00:00): {text}")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    text = config.getoption("clock")
    if text:
        travel = time_machine.travel(clock_from(text), tick=True)
        travel.start()
        config.stash[_TRAVEL] = travel


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = config.stash.get(_TRAVEL, None)
    if travel is not None:
        travel.stop()
        del config.stash[_TRAVEL]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> None:
    """pytest-django's hook before the test databases are made: after its own suffix (one per
    xdist worker), one per clock, e.g. test_careteams_gw0_at_20260629t003000p0100. A SQLite
    test database is a file named after its process already."""
    text = request.config.getoption("clock")
    if not text:
        return
    moment = clock_from(text)
    offset = moment.strftime("%z")  # +0100, -0530
    suffix = f"at_{moment:%Y%m%dt%H%M%S}{'m' if offset[0] == '-' else 'p'}{offset[1:]}"
    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("sqlite3"):
            continue
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{suffix}"


def pytest_report_header(config: pytest.Config) -> str | None:
    text = config.getoption("clock")
    return f"clock: {clock_from(text).isoformat()} (moved with time-machine)" if text else None


@pytest.fixture
def midday() -> Iterator[dt.datetime]:
    """For a test about the hours of one day (visits due, late, in progress, to come): the clock
    at MIDDAY, ticking on, so that "100 minutes ago" and "tomorrow" are the day's and the next
    day's whatever the hour the suite runs. Given in UTC: a zone would change the process's
    local time zone too."""
    with time_machine.travel(MIDDAY.astimezone(dt.UTC), tick=True):
        yield MIDDAY
