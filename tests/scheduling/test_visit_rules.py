"""The visit's pure rules: which interventions are tasks of a visit, and on time, late or
missed, across both clock changes of 2026 in Europe/London."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from scheduling.rules.lateness import Timing, due_at, end_of_day, visit_timing
from scheduling.rules.tasks import PlannedIntervention, Schedule, tasks_for_visit

LONDON = ZoneInfo("Europe/London")


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def planned(label: str, **schedule: object) -> PlannedIntervention:
    return PlannedIntervention(uuid.uuid4(), label, Schedule(**schedule))  # type: ignore[arg-type]


def labels(start: str, *interventions: PlannedIntervention, own: tuple[str, ...] = ()) -> list[str]:
    tasks = tasks_for_visit(local_start=local(start), interventions=interventions, own_tasks=own)
    return [t.label for t in tasks]


def test_an_intervention_without_a_schedule_is_a_task_of_every_visit() -> None:
    every = planned("Check skin")
    assert labels("2026-12-01 08:00", every) == ["Check skin"]
    assert labels("2026-12-01 19:30", every) == ["Check skin"]


def test_morning_and_evening_interventions_belong_to_those_visits_only() -> None:
    insulin = planned("Insulin", parts=frozenset({"morning"}))
    stockings = planned("Take off stockings", parts=frozenset({"evening"}))
    assert labels("2026-12-01 08:00", insulin, stockings) == ["Insulin"]
    assert labels("2026-12-01 13:00", insulin, stockings) == []
    assert labels("2026-12-01 18:00", insulin, stockings) == ["Take off stockings"]


def test_chosen_weekdays_and_every_third_day_from_a_date() -> None:
    bath = planned("Bath", weekdays=frozenset({2, 5}))  # Tuesday and Friday
    dressing = planned("Change dressing", every_days=3, every_days_from=dt.date(2026, 12, 1))
    assert labels("2026-12-01 09:00", bath, dressing) == ["Bath", "Change dressing"]  # a Tuesday
    assert labels("2026-12-02 09:00", bath, dressing) == []
    assert labels("2026-12-04 09:00", bath, dressing) == ["Bath", "Change dressing"]
    assert labels("2026-11-28 09:00", dressing) == []  # before the first day


def test_the_visits_own_tasks_follow_the_care_plans_once_each_with_stable_keys() -> None:
    tablets = planned("Tablets")
    tasks = tasks_for_visit(
        local_start=local("2026-12-01 08:00"),
        interventions=[tablets],
        own_tasks=["Bins out", "Bins out", " "],
    )
    assert [t.key for t in tasks] == [f"intervention:{tablets.id}", "visit:Bins out"]
    assert tasks[0].intervention_id == tablets.id


def test_schedules_are_said_in_plain_words() -> None:
    assert Schedule().words() == "every visit"
    assert (
        Schedule(parts=frozenset({"morning"}), weekdays=frozenset({1, 4})).words()
        == "morning visits on Mon, Thu"
    )


def timing(
    start: str, now: str, *, window_end: str | None = None, arrived: str | None = None
) -> Timing:
    return visit_timing(
        planned_start=local(start),
        window_end=local(window_end) if window_end else None,
        grace_minutes=30,
        zone=LONDON,
        now=local(now),
        checked_in_at=local(arrived) if arrived else None,
    )


def test_a_visit_is_late_after_its_latest_start_and_grace_and_missed_after_its_day() -> None:
    assert timing("2026-12-01 08:00", "2026-12-01 08:45", window_end="2026-12-01 08:30") == (
        Timing.ON_TIME
    )
    assert timing("2026-12-01 08:00", "2026-12-01 09:01", window_end="2026-12-01 08:30") == (
        Timing.LATE
    )
    assert timing("2026-12-01 08:00", "2026-12-02 00:00") == Timing.MISSED
    assert timing("2026-12-01 08:00", "2026-12-01 20:00", arrived="2026-12-01 08:20") == (
        Timing.ON_TIME
    )
    assert timing("2026-12-01 08:00", "2026-12-01 20:00", arrived="2026-12-01 09:00") == (
        Timing.LATE
    )


def test_the_grace_is_real_minutes_when_the_clocks_go_forward_on_29_march_2026() -> None:
    # 00:45 GMT plus 30 minutes is 01:15 GMT, which the wall clock shows as 02:15 BST.
    due = due_at(
        planned_start=local("2026-03-29 00:30"),
        window_end=local("2026-03-29 00:45"),
        grace_minutes=30,
    )
    assert due == dt.datetime(2026, 3, 29, 1, 15, tzinfo=dt.UTC)
    assert timing("2026-03-29 00:30", "2026-03-29 02:10", window_end="2026-03-29 00:45") == (
        Timing.ON_TIME
    )
    assert timing("2026-03-29 00:30", "2026-03-29 02:20", window_end="2026-03-29 00:45") == (
        Timing.LATE
    )
    # The 23-hour day ends at local midnight, 23:00 UTC.
    assert end_of_day(local("2026-03-29 10:00"), LONDON) == dt.datetime(
        2026, 3, 29, 23, 0, tzinfo=dt.UTC
    )
    assert timing("2026-03-29 10:00", "2026-03-29 23:59") == Timing.LATE
    assert timing("2026-03-29 10:00", "2026-03-30 00:00") == Timing.MISSED


def test_the_25_hour_day_of_25_october_2026_is_missed_only_at_its_real_midnight() -> None:
    assert end_of_day(local("2026-10-25 08:00"), LONDON) == dt.datetime(
        2026, 10, 26, 0, 0, tzinfo=dt.UTC
    )
    assert timing("2026-10-25 08:00", "2026-10-25 23:59") == Timing.LATE
    assert timing("2026-10-25 08:00", "2026-10-26 00:00") == Timing.MISSED
    # 01:30 happens twice: the first (BST) visit is due 30 real minutes after 01:30 BST.
    first = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0)
    due = due_at(planned_start=first, window_end=None, grace_minutes=30)
    assert due == dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC)
