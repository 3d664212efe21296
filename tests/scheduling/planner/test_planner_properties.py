"""Property tests: over random small teams, every proposal keeps every hard rule."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.planner.model import PlanInput, PlanResult, PlanRules, Proposal
from scheduling.planner.solve import plan
from tests.scheduling.planner.builders import at, grid_travel, member, visit
from tests.scheduling.planner.rules_by_hand import broken_rules

ROLES = ["registered_nurse", "nursing_associate", "care_worker", "student"]
SKILLS = ["hoist", "medication", "wound_care"]


@st.composite
def small_teams(draw: st.DrawFn, days: int = 2) -> PlanInput:
    members = []
    for k in range(draw(st.integers(2, 5))):
        first = draw(st.integers(5, 14))
        shift_days = range(days) if draw(st.booleans()) else range(0, days, 2)
        absent: tuple[tuple[datetime, datetime], ...] = ()
        if draw(st.integers(0, 3)) == 0:
            d, h = draw(st.integers(0, days - 1)), draw(st.integers(6, 18))
            absent = ((at(d, h), at(d, h + draw(st.integers(1, 6)))),)
        busy: tuple[tuple[datetime, datetime], ...] = ()
        if draw(st.integers(0, 3)) == 0:
            d, h = draw(st.integers(0, days - 1)), draw(st.integers(6, 20))
            busy = ((at(d, h), at(d, h + 1)),)
        members.append(
            member(
                f"m{k}",
                draw(st.sampled_from(ROLES)),
                skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
                days=shift_days,
                hours=(first, min(23.5, first + draw(st.integers(4, 14)))),
                absences=absent,
                busy=busy,
                contract_hours=draw(st.sampled_from([8, 20, 37])),
                worked_before_hours=draw(st.sampled_from([0, 40 * 4, 47 * 4])),
                weeks_before=4,
                home=draw(st.sampled_from([None, (0, 0), (2, 1), (3, 3)])),
            )
        )
    visits = []
    for k in range(draw(st.integers(3, 14))):
        start = draw(st.integers(24, 90)) / 4
        # Some clients allow a window around the planned start (the planner may move the visit).
        early, late = draw(st.sampled_from([None, (0, 0.5), (0.5, 0.75), (0.25, 2)])) or (0, 0)
        visits.append(
            visit(
                f"v{k}",
                draw(st.integers(0, days - 1)),
                start,
                draw(st.sampled_from([15, 30, 45, 60, 120])),
                client=f"c{draw(st.integers(0, 3))}",
                where=(draw(st.integers(0, 3)), draw(st.integers(0, 3))),
                role=draw(st.sampled_from([None, None, "registered_nurse", "care_worker"])),
                skills=frozenset(draw(st.lists(st.sampled_from(SKILLS), max_size=1))),
                carers=draw(st.sampled_from([1, 1, 1, 2])),
                window=(start - early, start + late) if early or late else None,
            )
        )
    rules = PlanRules(
        break_after_hours=draw(st.sampled_from([2, 6])),
        daily_rest_hours=draw(st.sampled_from([11, 16])),
        continuity_limit=draw(st.sampled_from([None, 2])),
    )
    return PlanInput(tuple(members), tuple(visits), rules, grid_travel)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_teams())
def test_every_proposal_over_random_small_teams_keeps_every_hard_rule(data: PlanInput) -> None:
    result = plan(data, seconds=0.6)
    assert broken_rules(data, result) == []
    placed = {p.visit_id for p in result.proposals}
    left = {u.visit_id for u in result.unassignable}
    assert placed | left == {v.id for v in data.visits}
    assert not placed & left
    assert all(u.rule and u.reason for u in result.unassignable)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_teams(days=8))
def test_a_week_and_a_day_of_random_work_keeps_the_weekly_rest(data: PlanInput) -> None:
    result = plan(data, seconds=1.0)
    assert broken_rules(data, result) == []


def test_the_rules_by_hand_do_catch_a_double_booking() -> None:
    # The checker itself must be able to fail, or the properties above prove nothing.
    data = PlanInput(
        (member("ann"),),
        (visit("a", 0, 9), visit("b", 0, 9.25, where=(3, 3))),
        PlanRules(),
        grid_travel,
    )
    both = PlanResult(
        (Proposal("a", ("ann",), ()), Proposal("b", ("ann",), ())), (), "feasible", 0, 0
    )
    assert broken_rules(data, both) == ["ann: double booked at Mon 09:15"]


def test_the_rules_by_hand_do_catch_a_move_outside_the_window_and_the_journey_home() -> None:
    late = visit("late", 0, 9, window=(9, 9.5))
    moved = PlanResult(
        (Proposal("late", ("ann",), (), start=at(0, 10), end=at(0, 10.5)),), (), "", 0, 0
    )
    data = PlanInput((member("ann"),), (late,), PlanRules(), grid_travel)
    assert broken_rules(data, moved) == ["late: moved to 10:00, outside its window"]
    # 30 minutes left under the average: the visit fits, the journeys from home and back do not.
    ann = member("ann", home=(1, 1), worked_before_hours=48 * 5 - 0.5, weeks_before=4)
    data = PlanInput((ann,), (visit("a", 0, 9),), PlanRules(), grid_travel)
    kept = PlanResult((Proposal("a", ("ann",), ()),), (), "", 0, 0)
    assert broken_rules(data, kept) == ["ann: over the 48 h average"]
