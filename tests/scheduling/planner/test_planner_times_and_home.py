"""The planner moves a visit within the window its client allows, and counts the journeys from
a carer's start point to the day's first visit and back from the last (issue 27)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduling.planner.model import PlanInput, PlanMember, PlanResult, PlanRules, PlanVisit
from scheduling.planner.prepare import with_other_times
from scheduling.planner.solve import plan
from tests.scheduling.planner.builders import LONDON, at, grid_travel, member, visit
from tests.scheduling.planner.rules_by_hand import broken_rules


def _plan(members: list[PlanMember], visits: list[PlanVisit]) -> PlanResult:
    data = PlanInput(tuple(members), tuple(visits), PlanRules(), grid_travel)
    result = plan(data, seconds=1.0)
    assert broken_rules(data, result) == []
    return result


def test_a_visit_the_only_carer_cannot_make_at_its_time_moves_within_its_window() -> None:
    ann = member("ann", busy=((at(0, 9), at(0, 9.5)),))
    result = _plan([ann], [visit("wash", 0, 9, window=(9, 10))])
    (moved,) = result.proposals
    assert (moved.visit_id, moved.member_ids) == ("wash", ("ann",))
    assert (moved.start, moved.end) == (at(0, 9.5), at(0, 10))
    assert moved.reasons[0] == (
        "moves from 09:00 to 09:30, within the time Client c1 may be visited (starting 09:00-10:00)"
    )
    assert result.unassignable == ()


def test_without_a_window_the_same_visit_stays_open_as_booked() -> None:
    ann = member("ann", busy=((at(0, 9), at(0, 9.5)),))
    result = _plan([ann], [visit("wash", 0, 9)])
    assert result.proposals == ()
    assert [u.rule for u in result.unassignable] == ["all_booked"]


def test_a_visit_that_fits_at_its_planned_time_keeps_it() -> None:
    result = _plan([member("ann")], [visit("wash", 0, 9, window=(8.5, 10))])
    (kept,) = result.proposals
    assert (kept.start, kept.end) == (None, None)
    assert not any("moves" in r for r in kept.reasons)


def test_a_double_up_moves_with_both_carers_at_the_new_time() -> None:
    ann = member("ann", busy=((at(0, 9), at(0, 9.5)),))
    result = _plan([ann, member("bea")], [visit("hoist", 0, 9, carers=2, window=(9, 9.75))])
    (moved,) = result.proposals
    assert set(moved.member_ids) == {"ann", "bea"}
    assert moved.start == at(0, 9.5)


def test_the_carer_who_lives_nearer_takes_the_first_visit_of_the_day() -> None:
    far, near = member("ann", home=(5, 5)), member("bea", home=(0, 1))
    result = _plan([far, near], [visit("wash", 0, 9, where=(0, 0))])
    (p,) = result.proposals
    assert p.member_ids == ("bea",)
    assert "Bea: first visit of the day, 10 min from home" in p.reasons


def test_the_journeys_from_and_back_home_count_towards_the_daily_rest() -> None:
    # Ann's evening visit ends at 21:00 and the next morning's starts at 08:00: 11 hours apart,
    # lawful from door to door. Thirty minutes home and thirty back make it 10 hours.
    evening = visit("evening", 0, 20, 60, assigned=("ann",))
    morning = visit("morning", 1, 8)
    assert _plan([member("ann")], [evening, morning]).proposals[0].member_ids == ("ann",)
    far = _plan([member("ann", home=(3, 0))], [evening, morning])
    assert far.proposals == ()
    assert [u.rule for u in far.unassignable] == ["daily_rest"]


def test_the_other_times_of_a_visit_across_the_clock_change_are_real_quarter_hours() -> None:
    # 25 October 2026: London's clocks go back at 02:00 BST, so 01:00-02:00 happens twice.
    begin = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    night = PlanVisit(
        id="night",
        client_id="c1",
        client_name="Client c1",
        start=begin,
        end=begin + timedelta(minutes=30),
        window_start=begin,
        window_end=datetime(2026, 10, 25, 2, 0, tzinfo=LONDON),
        required_skills=frozenset(),
        required_role=None,
        carers_needed=1,
        location=(0, 0),
    )
    planned, *others = with_other_times((night,))
    assert planned == night
    utc = [v.start.astimezone(UTC) for v in others]
    assert [round((u - begin.astimezone(UTC)).total_seconds() / 60) for u in utc] == [
        15,
        30,
        45,
        60,
        75,
        90,
        105,
        120,
    ]
    for v in others:
        assert night.window_start <= v.start <= night.window_end  # type: ignore[operator]
        assert v.end.astimezone(UTC) - v.start.astimezone(UTC) == timedelta(minutes=30)
        assert v.moved_from == begin


def test_a_visit_booked_out_at_every_time_its_window_allows_says_so() -> None:
    ann = member("ann", busy=((at(0, 9), at(0, 11)),))
    result = _plan([ann], [visit("wash", 0, 9, window=(9, 10))])
    (open_visit,) = result.unassignable
    assert open_visit.reason == (
        "everyone who could do it is booked Mon 30 Nov 09:00-09:30 and at the other times it may "
        "start, counting travel"
    )
