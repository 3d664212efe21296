"""A change of a line's times, dates or time-critical flag changes the days after it, never the
days before: the chart, the due doses and the missed-dose rule read each dose by the schedule in
force at its time. Schedules are append-only, in the database too."""

import datetime as dt

import pytest
from django.db import DatabaseError

from medicines import mar, services
from medicines.models import AppendOnlyError, LineSchedule, MedicineLine
from medicines.selectors import doses_between
from medicines.visit_missed import grace_of, is_missed, team_doses
from scheduling.models import Visit
from tests.conftest import Cast, at
from tests.medicines.helpers import Clock, clock, details
from tests.medicines.mar_world import AFTER, FIRST, LAST, dose
from tests.medicines.test_db_guards import raw

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]
__all__ = ["clock"]


def changed_line(cast: Cast, clock: Clock, *, day_four: bool = True) -> MedicineLine:
    """08:00 and 18:00 from 1 November, given on 1 to 3 November and at 08:00 on the 4th; on
    4 November at noon changed to 09:00 only, checked again at 12:30."""
    clock(at("2025-10-31 10:00"))
    twice = details(name="Amlodipine", times=["08:00", "18:00"], starts_on=FIRST)
    line = services.line_add(user=cast.nurse, client=cast.client, details=twice)
    clock(at("2025-10-31 11:00"))
    line = services.line_check(user=cast.carer, line=line, version=line.version)
    for day in (1, 2, 3):
        for time in ("08:00", "18:00"):
            dose(line, f"2025-11-0{day} {time}", by=cast.carer)
    if day_four:
        dose(line, "2025-11-04 08:00", by=cast.carer)
    clock(at("2025-11-04 12:00"))
    line = services.line_change(
        user=cast.nurse,
        line=line,
        version=line.version,
        details=details(name="Amlodipine", times=["09:00"], starts_on=FIRST),
        change_note="GP letter: once a day now.",
    )
    clock(at("2025-11-04 12:30"))
    return services.line_check(user=cast.carer, line=line, version=line.version)


def cells(found: mar.Mar, time: str) -> list[mar.Cell]:
    [chart] = found.lines
    [row] = [r for r in chart.rows if r.time == time]
    return row.cells


def test_the_mar_shows_the_days_before_a_change_of_times_as_they_were(
    cast: Cast, clock: Clock
) -> None:
    changed_line(cast, clock)
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)
    eight, nine, six = cells(found, "08:00"), cells(found, "09:00"), cells(found, "18:00")
    assert [c.code for c in eight[:4]] == ["G"] * 4
    assert [c.code for c in six[:3]] == ["G"] * 3
    assert {c.state for c in eight[4:] + six[3:] + nine[:4]} == {mar.NOT_DUE}
    assert {c.state for c in nine[4:]} == {mar.GAP}
    assert found.gaps == 26  # 09:00 from 5 to 30 November, nobody recorded


def test_the_due_doses_follow_the_schedule_in_force_at_each_time(cast: Cast, clock: Clock) -> None:
    changed_line(cast, clock)
    day_four = doses_between(
        client=cast.client, start=at("2025-11-04 00:00"), end=at("2025-11-06 00:00")
    )
    assert [d.due_at for d in day_four] == [at("2025-11-04 08:00"), at("2025-11-05 09:00")]
    assert day_four[0].record is not None


def test_an_old_time_nobody_recorded_before_the_change_stays_a_gap(
    cast: Cast, clock: Clock
) -> None:
    changed_line(cast, clock, day_four=False)
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)
    assert cells(found, "08:00")[3].state == mar.GAP
    assert cells(found, "18:00")[3].state == mar.NOT_DUE


def test_the_missed_doses_after_a_change_are_not_the_old_times_of_earlier_days(
    cast: Cast, clock: Clock
) -> None:
    changed_line(cast, clock)
    now = at("2025-11-05 12:00")
    doses = team_doses(cast.team, at("2025-11-01 00:00"), now)
    assert len(doses) == 8  # 08:00 and 18:00 of 1 to 3 November, 08:00 of the 4th, 09:00 of the 5th
    missed = [d.due_at for d in doses if is_missed(d, grace_of(cast.team), now)]
    assert missed == [at("2025-11-05 09:00")]


def test_adding_changing_and_checking_a_line_keep_its_schedules(cast: Cast, clock: Clock) -> None:
    line = changed_line(cast, clock)
    kept = [
        (s.times, s.in_force_from, s.checked_at) for s in LineSchedule.objects.filter(line=line)
    ]
    assert kept == [
        (["08:00", "18:00"], at("2025-10-31 10:00"), at("2025-10-31 11:00")),
        (["09:00"], at("2025-11-04 12:00"), at("2025-11-04 12:30")),
    ]


def test_a_line_stopped_today_keeps_its_earlier_doses_on_the_mar_and_in_the_missed_rule(
    cast: Cast, clock: Clock
) -> None:
    line = changed_line(cast, clock, day_four=False)
    clock(at("2025-11-05 13:00"))
    services.line_stop(user=cast.nurse, line=line, version=line.version, reason="GP stopped it")
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)
    assert cells(found, "08:00")[3].state == mar.GAP  # 4 November, nobody gave it
    assert cells(found, "09:00")[4].state == mar.GAP  # 5 November, before the stop
    assert {c.state for c in cells(found, "09:00")[5:]} == {mar.NOT_DUE}
    now = at("2025-11-07 12:00")
    doses = team_doses(cast.team, at("2025-11-04 00:00"), now)
    missed = [d.due_at for d in doses if is_missed(d, grace_of(cast.team), now)]
    assert missed == [at("2025-11-04 08:00"), at("2025-11-05 09:00")]


def test_turning_time_critical_on_tomorrow_leaves_yesterdays_doses_as_they_were(
    cast: Cast, clock: Clock
) -> None:
    line = changed_line(cast, clock)
    clock(at("2025-11-06 12:00"))
    critical = details(name="Amlodipine", times=["09:00"], starts_on=FIRST, time_critical=True)
    critical.time_tolerance_minutes = 15
    line = services.line_change(
        user=cast.nurse,
        line=line,
        version=line.version,
        details=critical,
        change_note="Time-critical from tomorrow.",
    )
    clock(at("2025-11-06 12:30"))
    services.line_check(user=cast.carer, line=line, version=line.version)
    doses = doses_between(
        client=cast.client, start=at("2025-11-05 00:00"), end=at("2025-11-08 00:00")
    )
    assert [(d.due_at, d.time_critical) for d in doses] == [
        (at("2025-11-05 09:00"), False),
        (at("2025-11-06 09:00"), False),
        (at("2025-11-07 09:00"), True),
    ]
    assert [d.window_end - d.due_at for d in doses][::2] == [
        dt.timedelta(minutes=60),
        dt.timedelta(minutes=15),
    ]


def test_a_later_start_date_does_not_take_away_the_days_before_it(cast: Cast, clock: Clock) -> None:
    line = changed_line(cast, clock, day_four=False)
    clock(at("2025-11-05 12:00"))
    line = services.line_change(
        user=cast.nurse,
        line=line,
        version=line.version,
        details=details(name="Amlodipine", times=["09:00"], starts_on=dt.date(2025, 11, 10)),
        change_note="Paused until the 10th by the GP.",
    )
    clock(at("2025-11-05 12:30"))
    services.line_check(user=cast.carer, line=line, version=line.version)
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)
    assert cells(found, "08:00")[3].state == mar.GAP  # 4 November stays a gap
    assert cells(found, "09:00")[4].state == mar.GAP  # 5 November's 09:00 was due
    assert {c.state for c in cells(found, "09:00")[5:9]} == {mar.NOT_DUE}
    assert cells(found, "09:00")[9].state == mar.GAP


def test_a_schedule_and_its_check_are_never_changed_or_deleted(cast: Cast, clock: Clock) -> None:
    line = changed_line(cast, clock)
    schedule = LineSchedule.objects.filter(line=line).first()
    assert schedule is not None
    with pytest.raises(AppendOnlyError):
        schedule.save()
    with pytest.raises(AppendOnlyError):
        schedule.delete()
    for table, column in (
        ("medicines_lineschedule", "in_force_from"),
        ("medicines_lineschedulecheck", "checked_at"),
    ):
        key = "id" if table == "medicines_lineschedule" else "schedule_id"
        with pytest.raises(DatabaseError, match="append-only"):
            raw(
                f"UPDATE {table} SET {column} = %s WHERE {key} = %s",  # noqa: S608
                "2025-11-04 13:00:00+00:00",
                schedule.pk.hex,
            )
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"DELETE FROM {table} WHERE {key} = %s", schedule.pk.hex)  # noqa: S608
    assert LineSchedule.objects.get(pk=schedule.pk).checked_at == at("2025-10-31 11:00")


def test_a_line_moved_from_a_time_to_the_morning_visit_keeps_each_dose_in_its_own_row(
    cast: Cast, clock: Clock
) -> None:
    line = changed_line(cast, clock, day_four=False)  # 09:00 from 4 November, 12:00
    clock(at("2025-11-05 12:00"))
    line = services.line_change(
        user=cast.nurse,
        line=line,
        version=line.version,
        details=details(name="Amlodipine", times=[], visit_part="morning", starts_on=FIRST),
        change_note="With the morning visit from now.",
    )
    clock(at("2025-11-05 12:30"))
    services.line_check(user=cast.carer, line=line, version=line.version)
    Visit.objects.create(
        team=cast.team,
        client=cast.client,
        planned_start=at("2025-11-06 09:00"),
        planned_end=at("2025-11-06 09:30"),
    )
    dose(line, "2025-11-05 09:00", by=cast.carer)
    dose(line, "2025-11-06 09:00", by=cast.carer)
    found = mar.mar_build(client=cast.client, first=FIRST, last=LAST, now=AFTER)
    [chart] = found.lines
    assert [row.time for row in chart.rows] == ["Morning visit", "08:00", "09:00", "18:00"]
    nine, morning = cells(found, "09:00"), cells(found, "Morning visit")
    assert [c.code for c in nine[3:6]] == ["–", "G", "–"]  # from noon on the 4th to the 5th
    assert [c.state for c in morning[4:7]] == [mar.NOT_DUE, mar.RECORDED, mar.GAP]
    assert morning[6].due_at == at("2025-11-07 08:00")  # no visit that day: the part's time
