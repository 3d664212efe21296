"""The week's rules, each on its own, over plain data (no database)."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from scheduling import rules
from scheduling.rules import Absence, Level, Member, Plan, Shift, Visit

LONDON = ZoneInfo("Europe/London")
SIAN = Member(uuid.uuid4(), "Siân Ellis", frozenset({"medication", "insulin"}), 37.5)
AOIFE = Member(uuid.uuid4(), "Aoife Ní Bhriain", frozenset({"moving_handling"}), 30)
CLIENT = uuid.uuid4()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def plan(
    *,
    shifts: tuple[Shift, ...] = (),
    absences: tuple[Absence, ...] = (),
    visits: tuple[Visit, ...] = (),
    monday: str = "2026-11-23",
    members: tuple[Member, ...] = (SIAN, AOIFE),
    limit: int = 4,
) -> Plan:
    start = at(f"{monday} 00:00")
    return Plan(
        zone=LONDON,
        week_start=start,
        week_end=at(f"{dt.date.fromisoformat(monday) + dt.timedelta(days=7)} 00:00"),
        members={m.id: m for m in members},
        shifts=shifts,
        absences=absences,
        visits=visits,
        continuity_limit=limit,
        absence_labels={"annual_leave": "Annual leave"},
        skill_labels={"insulin": "Insulin administration"},
    )


def shift(member: Member, start: str, end: str, break_minutes: int = 30) -> Shift:
    return Shift(uuid.uuid4(), member.id, at(start), at(end), break_minutes)


def visit(
    start: str,
    end: str,
    *carers: Member,
    needed: int = 1,
    skills: frozenset[str] = frozenset(),
    client: uuid.UUID = CLIENT,
    name: str = "Dafydd Llŷr",
) -> Visit:
    return Visit(
        uuid.uuid4(), client, name, at(start), at(end), skills, needed, tuple(c.id for c in carers)
    )


def codes(problems: list[rules.Problem]) -> list[str]:
    return [p.code for p in problems]


# Durations across clock changes ------------------------------------------------------------


def test_a_night_shift_when_the_clocks_go_back_lasts_ten_hours() -> None:
    night = shift(SIAN, "2026-10-24 22:00", "2026-10-25 07:00", break_minutes=0)
    assert rules.hours(night.start, night.end) == 10
    assert rules.worked_hours(night) == 10


def test_a_night_shift_when_the_clocks_go_forward_lasts_eight_hours() -> None:
    night = shift(SIAN, "2026-03-28 22:00", "2026-03-29 07:00", break_minutes=0)
    assert rules.hours(night.start, night.end) == 8


def test_the_long_autumn_night_counts_towards_the_48_hours() -> None:
    # Five nights of 9 wall-clock hours, one of them 10 real hours: 46 h, not 45.
    nights = tuple(
        shift(SIAN, f"2026-10-{d} 22:00", f"2026-10-{d + 1} 07:00", 0) for d in range(20, 25)
    )
    totals = rules.planned_hours(plan(shifts=nights, monday="2026-10-19"))
    assert totals[SIAN.id] == 46


# Errors ------------------------------------------------------------------------------------


def test_a_carer_on_two_overlapping_visits_is_an_error_naming_both() -> None:
    day = shift(SIAN, "2026-11-23 07:00", "2026-11-23 15:00")
    first = visit("2026-11-23 09:00", "2026-11-23 09:45", SIAN)
    second = visit("2026-11-23 09:30", "2026-11-23 10:00", SIAN, name="Mary O'Neill")
    problems = rules.overlapping_visits(plan(shifts=(day,), visits=(first, second)))
    assert codes(problems) == ["overlapping_visits"]
    assert problems[0].level is Level.ERROR
    assert "Siân Ellis" in problems[0].message
    assert "Dafydd Llŷr" in problems[0].message
    assert "Mary O'Neill" in problems[0].message
    assert set(problems[0].visit_ids) == {first.id, second.id}


def test_back_to_back_visits_do_not_overlap() -> None:
    first = visit("2026-11-23 09:00", "2026-11-23 09:30", SIAN)
    second = visit("2026-11-23 09:30", "2026-11-23 10:00", SIAN)
    assert rules.overlapping_visits(plan(visits=(first, second))) == []


def test_a_visit_assigned_to_someone_on_leave_is_an_error() -> None:
    leave = Absence(
        uuid.uuid4(), AOIFE.id, "annual_leave", at("2026-11-23 00:00"), at("2026-11-24 00:00")
    )
    day = shift(AOIFE, "2026-11-23 07:00", "2026-11-23 15:00")
    booked = visit("2026-11-23 10:00", "2026-11-23 10:30", AOIFE)
    problems = rules.unavailable_carers(plan(shifts=(day,), absences=(leave,), visits=(booked,)))
    assert codes(problems) == ["assigned_while_absent"]
    assert "annual leave" in problems[0].message
    assert "Aoife Ní Bhriain" in problems[0].message


def test_a_visit_outside_every_shift_is_an_error() -> None:
    day = shift(AOIFE, "2026-11-23 07:00", "2026-11-23 12:00")
    booked = visit("2026-11-23 11:45", "2026-11-23 12:15", AOIFE)
    problems = rules.unavailable_carers(plan(shifts=(day,), visits=(booked,)))
    assert codes(problems) == ["assigned_without_shift"]


def test_back_to_back_shifts_cover_a_visit_across_them() -> None:
    early = shift(AOIFE, "2026-11-23 07:00", "2026-11-23 12:00")
    late = shift(AOIFE, "2026-11-23 12:00", "2026-11-23 18:00")
    booked = visit("2026-11-23 11:45", "2026-11-23 12:15", AOIFE)
    assert rules.unavailable_carers(plan(shifts=(early, late), visits=(booked,))) == []


def test_a_carer_without_a_required_skill_is_an_error_naming_the_skill() -> None:
    booked = visit("2026-11-23 10:00", "2026-11-23 10:30", AOIFE, skills=frozenset({"insulin"}))
    problems = rules.missing_skills(plan(visits=(booked,)))
    assert codes(problems) == ["missing_skill"]
    assert "insulin administration" in problems[0].message
    assert (
        rules.missing_skills(
            plan(
                visits=(
                    visit(
                        "2026-11-23 10:00", "2026-11-23 10:30", SIAN, skills=frozenset({"insulin"})
                    ),
                )
            )
        )
        == []
    )


def test_a_double_up_visit_with_one_carer_is_an_error_but_with_none_it_is_unassigned() -> None:
    half = visit("2026-11-23 08:00", "2026-11-23 08:45", AOIFE, needed=2)
    empty = visit("2026-11-23 18:00", "2026-11-23 18:45", needed=2)
    full = visit("2026-11-23 20:00", "2026-11-23 20:45", AOIFE, SIAN, needed=2)
    week = plan(visits=(half, empty, full))
    assert [p.visit_ids for p in rules.short_double_ups(week)] == [(half.id,)]
    assert [p.visit_ids for p in rules.unassigned_visits(week)] == [(empty.id,)]


# Working time ------------------------------------------------------------------------------


def test_under_eleven_hours_rest_between_working_days_is_a_warning() -> None:
    late = shift(SIAN, "2026-11-23 14:00", "2026-11-23 22:00")
    early = shift(SIAN, "2026-11-24 07:00", "2026-11-24 15:00")
    problems = rules.short_daily_rest(plan(shifts=(late, early)))
    assert codes(problems) == ["daily_rest"]
    assert problems[0].level is Level.WORKING_TIME
    assert "9 hours' rest" in problems[0].message


def test_a_split_shift_on_one_day_is_not_a_short_rest() -> None:
    morning = shift(SIAN, "2026-11-23 07:00", "2026-11-23 11:00", 0)
    evening = shift(SIAN, "2026-11-23 17:00", "2026-11-23 21:00", 0)
    assert rules.short_daily_rest(plan(shifts=(morning, evening))) == []


def test_the_rest_is_counted_in_real_hours_over_the_clock_change() -> None:
    # 21:00 to 07:00 across the October change is 11 real hours (10 on the wall clock).
    late = shift(SIAN, "2026-10-24 13:00", "2026-10-24 21:00")
    early = shift(SIAN, "2026-10-25 07:00", "2026-10-25 15:00")
    assert rules.short_daily_rest(plan(shifts=(late, early), monday="2026-10-19")) == []


def test_a_week_without_a_24_hour_rest_is_a_warning() -> None:
    days = tuple(shift(SIAN, f"2026-11-{d} 08:00", f"2026-11-{d} 14:00", 0) for d in range(23, 30))
    problems = rules.no_weekly_rest(plan(shifts=days))
    assert codes(problems) == ["weekly_rest"]
    assert rules.no_weekly_rest(plan(shifts=days[:6])) == []


def test_more_than_48_hours_in_the_week_is_a_warning() -> None:
    long_days = tuple(
        shift(SIAN, f"2026-11-{d} 07:00", f"2026-11-{d} 20:00", 30) for d in range(23, 27)
    )
    problems = rules.over_48_hours(plan(shifts=long_days))
    assert codes(problems) == ["weekly_hours"]
    assert "50 hours" in problems[0].message
    assert rules.over_48_hours(plan(shifts=long_days[:3])) == []


def test_more_than_six_hours_without_a_20_minute_break_is_a_warning() -> None:
    no_break = shift(SIAN, "2026-11-23 07:00", "2026-11-23 13:30", 0)
    with_break = shift(AOIFE, "2026-11-23 07:00", "2026-11-23 15:00", 20)
    problems = rules.missing_breaks(plan(shifts=(no_break, with_break)))
    assert codes(problems) == ["no_break"]
    assert problems[0].member_ids == (SIAN.id,)


def test_back_to_back_shifts_without_a_break_add_up() -> None:
    first = shift(SIAN, "2026-11-23 07:00", "2026-11-23 11:00", 0)
    second = shift(SIAN, "2026-11-23 11:10", "2026-11-23 14:00", 0)
    assert codes(rules.missing_breaks(plan(shifts=(first, second)))) == ["no_break"]
    apart = shift(SIAN, "2026-11-23 11:30", "2026-11-23 14:00", 0)
    assert rules.missing_breaks(plan(shifts=(first, apart))) == []


# Planning ----------------------------------------------------------------------------------


def test_a_member_planned_well_under_contract_is_flagged() -> None:
    two_days = tuple(shift(SIAN, f"2026-11-{d} 07:00", f"2026-11-{d} 15:00", 30) for d in (23, 24))
    problems = rules.off_contract(plan(shifts=two_days, members=(SIAN,)))
    assert codes(problems) == ["contract_under"]
    assert "15 hours" in problems[0].message
    assert "37.5" in problems[0].message


def test_leave_counts_towards_contracted_hours() -> None:
    three_days = tuple(
        shift(SIAN, f"2026-11-{d} 07:00", f"2026-11-{d} 15:00", 30) for d in (23, 24, 25)
    )
    leave = Absence(
        uuid.uuid4(), SIAN.id, "annual_leave", at("2026-11-26 00:00"), at("2026-11-28 00:00")
    )
    assert rules.off_contract(plan(shifts=three_days, absences=(leave,), members=(SIAN,))) == []


def test_a_member_planned_over_contract_is_flagged() -> None:
    six_days = tuple(
        shift(AOIFE, f"2026-11-{d} 07:00", f"2026-11-{d} 15:00", 30) for d in range(23, 29)
    )
    assert codes(rules.off_contract(plan(shifts=six_days, members=(AOIFE,)))) == ["contract_over"]


def test_a_client_seen_by_more_carers_than_the_team_allows_is_flagged() -> None:
    carers = [Member(uuid.uuid4(), f"Carer {n}") for n in range(5)]
    visits = tuple(
        visit(f"2026-11-{23 + n} 09:00", f"2026-11-{23 + n} 09:30", carer)
        for n, carer in enumerate(carers)
    )
    week = plan(visits=visits, members=tuple(carers))
    assert codes(rules.poor_continuity(week)) == ["continuity"]
    assert rules.poor_continuity(plan(visits=visits, members=tuple(carers), limit=5)) == []


def test_check_orders_errors_before_warnings() -> None:
    late = shift(SIAN, "2026-11-23 14:00", "2026-11-23 22:00")
    early = shift(SIAN, "2026-11-24 07:00", "2026-11-24 15:00")
    clash = visit("2026-11-24 16:00", "2026-11-24 16:30", SIAN)
    levels = [p.level for p in rules.check(plan(shifts=(late, early), visits=(clash,)))]
    assert levels == sorted(levels, key=rules.LEVEL_ORDER.__getitem__)
    assert levels[0] is Level.ERROR


def test_new_errors_for_ignores_errors_that_were_already_there() -> None:
    booked = visit("2026-11-23 10:00", "2026-11-23 10:30", AOIFE, skills=frozenset({"insulin"}))
    before = rules.check(plan(visits=(booked,)))
    assert rules.new_errors_for(before, before, AOIFE.id) == []
    assert rules.new_errors_for([], before, AOIFE.id) != []
