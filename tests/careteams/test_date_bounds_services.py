"""The services that plan whole weeks, and a client's birth date, refuse a date outside the
range of careteams/dates.py whoever calls them (a page, the API, a management command), and
the change feed's data carries times as RFC 3339 in UTC."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from careteams import dates
from careteams.errors import DomainError
from careteams.serialize import model_data
from clients.models import Client
from clients.services.clients import ClientDetails, client_create
from scheduling.models import Absence, PlanRun, RotaWeek, Shift, ShiftKind, Visit, VisitPattern
from scheduling.services import patterns, planning, shifts, weeks
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

WEEK_SERVICES: list[tuple[str, Callable[..., Any]]] = [
    ("plan run", lambda **kw: planning.plan_run_start(day=None, background=False, **kw)),
    ("generate", patterns.week_generate),
    ("copy shifts", shifts.shifts_copy_week),
    ("publish", lambda **kw: weeks.rota_week_publish(version=0, **kw)),
]


@pytest.mark.parametrize("monday", [dt.date(1, 1, 1), dt.date(9999, 12, 27)])
@pytest.mark.parametrize(("service", "call"), WEEK_SERVICES, ids=[s[0] for s in WEEK_SERVICES])
def test_a_week_service_refuses_a_week_outside_the_range_and_stores_nothing(
    cast: Cast, service: str, call: Callable[..., Any], monday: dt.date
) -> None:
    with pytest.raises(DomainError) as refused:
        call(team=cast.team, monday=monday, actor=cast.nurse)
    assert (refused.value.field, refused.value.detail) == ("week", dates.OUT_OF_RANGE)
    assert not PlanRun.objects.exists()
    assert not RotaWeek.objects.exists()
    assert not Shift.objects.exists()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("born", [dt.date(1, 1, 1), dt.date(1899, 12, 31)])
def test_a_birth_date_outside_the_range_is_refused_by_the_service(
    cast: Cast, born: dt.date
) -> None:
    before = Client.objects.count()
    details = ClientDetails(given_name="Bronwen", family_name="Ap Ifan", date_of_birth=born)
    with pytest.raises(DomainError) as refused:
        client_create(team=cast.team, details=details, actor=cast.nurse)
    assert (refused.value.field, refused.value.detail) == ("date_of_birth", dates.OUT_OF_RANGE)
    assert Client.objects.count() == before


def test_the_feed_data_of_a_record_has_its_times_in_utc_whatever_zone_it_was_given_in(
    cast: Cast,
) -> None:
    """A time given in a zone with a local mean time offset (London before 1847 was -00:01:15,
    Monrovia until 1972 -00:44:30) is not RFC 3339: the feed sends every time in UTC."""
    monrovia = dt.timezone(-dt.timedelta(minutes=44, seconds=30))
    start = dt.datetime(1960, 6, 1, 9, 0, tzinfo=monrovia)
    shift = Shift.objects.create(
        team=cast.team,
        member=cast.nurse_membership,
        start=start,
        end=start + dt.timedelta(hours=8),
        kind=ShiftKind.EARLY,
    )
    data = model_data(shift)
    assert data["start"] == "1960-06-01T09:44:30Z"
    assert data == model_data(Shift.objects.get(pk=shift.pk))


# Far ends that Python can hold in UTC, so that only the range refuses them.
FAR_TIMES = [
    dt.datetime(1, 1, 2, 9, 0, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 30, 9, 0, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("start", FAR_TIMES)
def test_a_shift_or_absence_outside_the_range_is_refused_by_the_service_whoever_calls_it(
    cast: Cast, start: dt.datetime
) -> None:
    """The admin and the management commands call the same services as the pages."""
    end = start + dt.timedelta(hours=8)
    member = cast.carer_membership
    with pytest.raises(DomainError) as refused:
        shifts.shift_create(
            team=cast.team, member=member, start=start, end=end, kind="early", actor=cast.nurse
        )
    assert (refused.value.field, refused.value.detail) == ("start", dates.OUT_OF_RANGE)
    with pytest.raises(DomainError) as refused:
        shifts.absence_create(
            team=cast.team, member=member, kind="training", start=start, end=end, actor=cast.nurse
        )
    assert refused.value.field == "start"
    assert not Shift.objects.exists()
    assert not Absence.objects.exists()


@pytest.mark.parametrize("first", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_a_pattern_from_a_day_outside_the_range_is_refused_by_the_service(
    cast: Cast, first: dt.date
) -> None:
    details = patterns.PatternDetails([1], dt.time(8), dt.time(9), 30, [], 1, [], first, None)
    with pytest.raises(DomainError) as refused:
        patterns.visit_pattern_create(
            team=cast.team, client=cast.client, details=details, actor=cast.nurse
        )
    assert (refused.value.field, refused.value.detail) == ("valid_from", dates.OUT_OF_RANGE)
    assert not VisitPattern.objects.exists()
