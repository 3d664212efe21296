"""What the rules work out from a whole plan is worked out once per plan (scheduling/rules/plan.py
`derived`): asked again, the same plan gives the kept answer, another plan its own, and the kept
answer goes with its plan."""

import datetime as dt
import gc
import uuid
from zoneinfo import ZoneInfo

from scheduling import rules
from scheduling.rules import plan as plan_module

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2030, 11, 25, tzinfo=LONDON)


def week(minutes: int) -> rules.Plan:
    member, a, b = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    nine = MONDAY + dt.timedelta(hours=9)
    hour = dt.timedelta(hours=1)
    visits = [
        rules.Visit(uuid.uuid4(), a, "Ann", nine, nine + hour / 2, carer_ids=(member,)),
        rules.Visit(uuid.uuid4(), b, "Bob", nine + hour, nine + 2 * hour, carer_ids=(member,)),
    ]
    return rules.Plan(
        zone=LONDON,
        week_start=MONDAY,
        week_end=MONDAY + dt.timedelta(days=7),
        members={member: rules.Member(member, "Mo", frozenset(), 30.0, "care_worker")},
        visits=visits,
        travel={(a, b): minutes},
    )


def test_a_plans_legs_and_hours_are_worked_out_once_and_go_with_the_plan() -> None:
    made: list[str] = []

    def making(name: str) -> int:
        made.append(name)
        return len(made)

    first, second = week(10), week(20)
    kept = [plan_module.derived(first, "probe", lambda: making("first")) for _ in range(3)]
    assert kept == [1, 1, 1]
    assert plan_module.derived(second, "probe", lambda: making("second")) == 2
    assert made == ["first", "second"]
    assert [leg.minutes for leg in rules.travel_legs(first)] == [10]
    assert [leg.minutes for leg in rules.travel_legs(second)] == [20]
    # Each caller gets its own copy: changing it changes nothing kept.
    rules.travel_legs(first).clear()
    assert len(rules.travel_legs(first)) == 1
    hours = rules.planned_hours(first)
    assert hours == rules.planned_hours(first)
    assert hours is not rules.planned_hours(first)
    keys = {key for key in plan_module._derived if key[0] == id(first)}
    assert keys == {(id(first), "probe"), (id(first), "travel legs"), (id(first), "planned hours")}
    del first
    gc.collect()
    assert not any(key in plan_module._derived for key in keys)
