"""The selectors give the rules the 16 weeks before and travel between clients, in a fixed
number of queries."""

import datetime as dt

import pytest
from django.core.cache import cache
from pytest_django import DjangoAssertNumQueries

from careteams.models import Membership
from clients.models import Client
from scheduling import rules, selectors
from scheduling.models import Shift, Visit, VisitAssignment
from scheduling.selectors import working_time
from tests.conftest import Cast
from tests.scheduling.conftest import MONDAY, on

pytestmark = pytest.mark.django_db

# About 2.2 km apart in Stratford-upon-Avon: 2.2 km x 1.3 at 30 km/h is 5.8, so 6 minutes.
MARKET, TIDDINGTON = (52.1917, -1.7073), (52.2008, -1.6783)


def long_week(member: Membership) -> None:
    """Monday to Friday 07:00 to 18:30 with a 30-minute break: 55 hours."""
    for day in range(5):
        Shift.objects.create(
            team=member.team,
            member=member,
            start=on(day, "07:00"),
            end=on(day, "18:30"),
            break_minutes=30,
        )


def weeks_of_40_hours(member: Membership, weeks_before: list[int]) -> None:
    for back in weeks_before:
        for day in range(5):
            Shift.objects.create(
                team=member.team,
                member=member,
                start=on(day - 7 * back, "07:00"),
                end=on(day - 7 * back, "15:30"),
                break_minutes=30,
            )


def weekly_hour_problems(cast: Cast) -> list[rules.Problem]:
    # The history is written directly, with no feed event: the week's rule results cached at
    # the team's unchanged feed position would be those of the read before. A cold read.
    cache.clear()
    board = selectors.week_board(user=cast.nurse, team_id=cast.team.id, monday=MONDAY)
    return [p for p in board.problems if p.code == "weekly_hours"]


def test_a_55_hour_week_after_two_weeks_of_40_is_within_the_average(cast: Cast) -> None:
    nurse = cast.nurse_membership
    long_week(nurse)
    assert len(weekly_hour_problems(cast)) == 1  # no history: the week alone, 55 hours
    weeks_of_40_hours(nurse, [1, 2])
    history = working_time.worked_before(team=cast.team, monday=MONDAY)
    assert history[nurse.id] == rules.WorkedBefore(hours=80, weeks=2)
    assert weekly_hour_problems(cast) == []  # (80 + 55) / 3 = 45


def test_only_the_16_weeks_before_count(cast: Cast) -> None:
    nurse = cast.nurse_membership
    weeks_of_40_hours(nurse, [16, 17, 20])
    history = working_time.worked_before(team=cast.team, monday=MONDAY)
    assert history[nurse.id] == rules.WorkedBefore(hours=40, weeks=16)


def test_the_history_is_two_queries_however_long(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    weeks_of_40_hours(cast.nurse_membership, list(range(1, 17)))
    weeks_of_40_hours(cast.carer_membership, list(range(1, 17)))
    with django_assert_max_num_queries(2):
        history = working_time.worked_before(team=cast.team, monday=MONDAY)
    assert history[cast.carer_membership.id] == rules.WorkedBefore(hours=16 * 40, weeks=16)


def located(client: Client, place: tuple[float, float]) -> Client:
    client.latitude, client.longitude = place
    client.save()
    return client


def assigned(client: Client, day: int, start: str, end: str, member: Membership) -> Visit:
    visit = Visit.objects.create(
        team=client.team, client=client, planned_start=on(day, start), planned_end=on(day, end)
    )
    VisitAssignment.objects.create(visit=visit, member=member)
    return visit


def test_a_members_day_shows_the_travel_between_their_visits(cast: Cast) -> None:
    home = located(cast.client, MARKET)
    other = located(cast.other_client_same_team, TIDDINGTON)
    carer = cast.carer_membership
    first = assigned(home, 0, "09:00", "09:30", carer)
    second = assigned(other, 0, "09:33", "10:00", carer)
    assigned(home, 1, "09:00", "09:30", carer)  # another day: no travel from Monday
    day = selectors.my_day(user=cast.carer, team_id=cast.team.id, day=MONDAY)
    legs = working_time.member_day_travel(team=cast.team, member=carer, visits=day.visits)
    assert [(leg.before, leg.after, leg.minutes) for leg in legs] == [(first, second, 6)]
    assert legs[0].short_by == 3  # 3 minutes between the visits for a 6-minute drive


def test_the_days_travel_is_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    home = located(cast.client, MARKET)
    other = located(cast.other_client_same_team, TIDDINGTON)
    for n in range(20):
        assigned(
            home if n % 2 else other,
            0,
            f"{7 + n // 2:02d}:{n % 2 * 30:02d}",
            f"{7 + n // 2:02d}:{n % 2 * 30 + 20:02d}",
            cast.carer_membership,
        )
    with django_assert_max_num_queries(2):
        day = working_time.day_travel(user=cast.carer, team=cast.team, day=MONDAY)
    assert len(day.for_member(cast.carer_membership.id)) == 19
    assert day.minutes_of(cast.carer_membership.id) == 19 * 6


def test_travel_counts_in_the_weeks_planned_hours(cast: Cast) -> None:
    home = located(cast.client, MARKET)
    other = located(cast.other_client_same_team, TIDDINGTON)
    carer = cast.carer_membership
    assigned(home, 0, "09:00", "10:00", carer)
    assigned(other, 0, "11:00", "12:00", carer)
    rows = selectors.week_rows(user=cast.nurse, team=cast.team, monday=MONDAY)
    assert rows.travel == {(home.id, other.id): 6}
    assert rules.planned_hours(selectors.plan_of(rows))[carer.id] == pytest.approx(2.1)


def test_another_teams_member_sees_no_travel_of_this_team(cast: Cast) -> None:
    home = located(cast.client, MARKET)
    other = located(cast.other_client_same_team, TIDDINGTON)
    assigned(home, 0, "09:00", "10:00", cast.carer_membership)
    assigned(other, 0, "11:00", "12:00", cast.carer_membership)
    day = working_time.day_travel(user=cast.other_nurse, team=cast.team, day=MONDAY)
    assert day.legs == {}
    assert dt.date(2030, 11, 25) == day.day
