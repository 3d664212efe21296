"""The 48 hours averaged over 17 weeks, and travel between visits as working time (pure rules).

Every expected figure is worked out by hand in the test's comments.
"""

import uuid
from dataclasses import replace

import pytest

from scheduling import rules
from scheduling.rules import Visit, WorkedBefore
from tests.scheduling.test_rules import AOIFE, SIAN, at, codes, plan, shift, visit

MONDAY = "2026-11-23"
HOME_A, HOME_B, HOME_C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def long_week() -> tuple[rules.Shift, ...]:
    """Monday to Friday 07:00 to 18:30 with a 30-minute break: 5 x 11 = 55 hours."""
    return tuple(shift(SIAN, f"2026-11-{d} 07:00", f"2026-11-{d} 18:30", 30) for d in range(23, 28))


def test_a_55_hour_week_is_allowed_when_the_17_week_average_stays_under_48() -> None:
    # 16 weeks of 45 hours before: (16 x 45 + 55) / 17 = 775 / 17 = 45.6 hours a week.
    week = plan(shifts=long_week())
    history = {SIAN.id: WorkedBefore(hours=16 * 45, weeks=16)}
    averaged = replace(week, worked_before=history)
    assert rules.planned_hours(averaged)[SIAN.id] == 55
    assert rules.average_hours(averaged)[SIAN.id] == pytest.approx((775 / 17, 17))
    assert rules.over_48_hours(averaged) == []


def test_a_55_hour_week_is_flagged_when_the_17_week_average_goes_over_48() -> None:
    # 16 weeks of 48 hours before: (16 x 48 + 55) / 17 = 823 / 17 = 48.41 hours a week.
    week = plan(shifts=long_week())
    history = {SIAN.id: WorkedBefore(hours=16 * 48, weeks=16)}
    problems = rules.over_48_hours(replace(week, worked_before=history))
    assert codes(problems) == ["weekly_hours"]
    assert problems[0].member_ids == (SIAN.id,)
    assert "55 hours this week" in problems[0].message
    assert "average of 48.4 hours a week over the 17 weeks" in problems[0].message


def test_a_short_history_is_averaged_over_the_weeks_there_are() -> None:
    # Two weeks of 40 hours before: (80 + 55) / 3 = 45, allowed; one week of 50: 105 / 2 = 52.5.
    week = plan(shifts=long_week())
    allowed = replace(week, worked_before={SIAN.id: WorkedBefore(80, 2)})
    assert rules.over_48_hours(allowed) == []
    flagged = replace(week, worked_before={SIAN.id: WorkedBefore(50, 1)})
    assert (
        "average of 52.5 hours a week over the 2 weeks" in rules.over_48_hours(flagged)[0].message
    )


def test_without_history_the_week_alone_is_the_average() -> None:
    problems = rules.over_48_hours(plan(shifts=long_week()))
    assert "an average of 55 hours a week over this week" in problems[0].message


def test_more_than_16_weeks_of_history_are_never_counted() -> None:
    # A history claiming 30 weeks is cut to 16: (16 x 45 + 55) / 17 as in the first case.
    week = plan(shifts=long_week())
    history = {SIAN.id: WorkedBefore(hours=16 * 45, weeks=30)}
    averaged = replace(week, worked_before=history)
    assert rules.average_hours(averaged)[SIAN.id][1] == 17


# Travel -------------------------------------------------------------------------------------


def client_visit(client: uuid.UUID, start: str, end: str, *carers: rules.Member) -> Visit:
    return visit(start, end, *carers, client=client, name=f"Client {str(client)[:4]}")


def with_travel(week: rules.Plan, minutes: dict[tuple[uuid.UUID, uuid.UUID], int]) -> rules.Plan:
    return replace(week, travel=minutes)


def test_travel_between_visits_counts_as_working_time() -> None:
    # 09:00 to 10:00 at A, 10:30 to 11:30 at B, a 20-minute drive: 2 h 20 min.
    visits = (
        client_visit(HOME_A, "2026-11-23 09:00", "2026-11-23 10:00", AOIFE),
        client_visit(HOME_B, "2026-11-23 10:30", "2026-11-23 11:30", AOIFE),
    )
    week = with_travel(plan(visits=visits), {(HOME_A, HOME_B): 20})
    assert rules.planned_hours(week)[AOIFE.id] == pytest.approx(2 + 20 / 60)
    assert rules.travel_minutes_by_member(week) == {AOIFE.id: 20}
    assert rules.planned_hours(plan(visits=visits))[AOIFE.id] == 2  # no locations: no travel


def test_travel_inside_a_shift_is_not_counted_twice() -> None:
    visits = (
        client_visit(HOME_A, "2026-11-23 09:00", "2026-11-23 10:00", AOIFE),
        client_visit(HOME_B, "2026-11-23 10:30", "2026-11-23 11:30", AOIFE),
    )
    day = (shift(AOIFE, "2026-11-23 08:00", "2026-11-23 16:00", 30),)
    week = with_travel(plan(shifts=day, visits=visits), {(HOME_A, HOME_B): 20})
    assert rules.planned_hours(week)[AOIFE.id] == 7.5


def test_travel_between_visits_can_take_a_week_over_the_48_hours() -> None:
    # Monday to Saturday, four 2-hour visits a day (8 hours a day, 48 hours): at the limit.
    # Three 20-minute drives a day between them add 6 x 1 hour: 54 hours.
    visits = []
    for day in range(23, 29):
        for n, (home, start) in enumerate(
            [(HOME_A, "07:00"), (HOME_B, "09:20"), (HOME_C, "11:40"), (HOME_A, "14:00")]
        ):
            begin = at(f"2026-11-{day} {start}")
            visits.append(
                Visit(
                    uuid.uuid4(),
                    home,
                    f"Client {n}",
                    begin,
                    begin.replace(hour=begin.hour + 2),
                    carer_ids=(AOIFE.id,),
                )
            )
    without = plan(visits=tuple(visits))
    assert rules.planned_hours(without)[AOIFE.id] == 48
    assert rules.over_48_hours(without) == []
    week = with_travel(without, {(HOME_A, HOME_B): 20, (HOME_B, HOME_C): 20, (HOME_C, HOME_A): 20})
    assert rules.planned_hours(week)[AOIFE.id] == pytest.approx(54)
    assert codes(rules.over_48_hours(week)) == ["weekly_hours"]


def test_a_late_visit_and_the_drive_home_from_it_shorten_the_daily_rest() -> None:
    # A shift to 15:00, then visits at 20:00 and (after 30 minutes' drive) 21:00 to 22:00;
    # the next shift at 07:00 leaves 9 hours' rest, not the 16 the shifts alone would show.
    shifts = (
        shift(AOIFE, "2026-11-23 07:00", "2026-11-23 15:00", 30),
        shift(AOIFE, "2026-11-24 07:00", "2026-11-24 15:00", 30),
    )
    visits = (
        client_visit(HOME_A, "2026-11-23 20:00", "2026-11-23 20:30", AOIFE),
        client_visit(HOME_B, "2026-11-23 21:00", "2026-11-23 22:00", AOIFE),
    )
    week = with_travel(plan(shifts=shifts, visits=visits), {(HOME_A, HOME_B): 30})
    problems = rules.short_daily_rest(week)
    assert codes(problems) == ["daily_rest"]
    assert "only 9 hours' rest" in problems[0].message
    assert rules.short_daily_rest(plan(shifts=shifts)) == []


def test_less_time_between_visits_than_the_journey_takes_is_a_warning() -> None:
    visits = (
        client_visit(HOME_A, "2026-11-23 09:00", "2026-11-23 10:00", AOIFE),
        client_visit(HOME_B, "2026-11-23 10:10", "2026-11-23 11:00", AOIFE),
    )
    problems = rules.tight_travel(with_travel(plan(visits=visits), {(HOME_A, HOME_B): 25}))
    assert codes(problems) == ["travel_tight"]
    assert "has 10 minutes between" in problems[0].message
    assert "the journey takes about 25" in problems[0].message
    enough = with_travel(plan(visits=visits), {(HOME_A, HOME_B): 10})
    assert rules.tight_travel(enough) == []


def test_no_travel_between_two_visits_to_the_same_client_or_on_different_days() -> None:
    visits = (
        client_visit(HOME_A, "2026-11-23 09:00", "2026-11-23 10:00", AOIFE),
        client_visit(HOME_A, "2026-11-23 12:00", "2026-11-23 13:00", AOIFE),
        client_visit(HOME_B, "2026-11-24 09:00", "2026-11-24 10:00", AOIFE),
    )
    week = with_travel(plan(visits=visits), {(HOME_A, HOME_B): 20, (HOME_A, HOME_A): 5})
    assert rules.travel_legs(week) == []
    assert rules.client_pairs(visits, week.zone) == set()
