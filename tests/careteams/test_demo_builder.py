"""Building the demo world at another moment: the week the clocks go forward, of this week only
(`span_days=0`) to be quick. The same checks at a Wednesday noon, and the builder's determinism,
run on the world test_demo_midweek.py builds once; the whole span is checked on the command's
world (test_demo_data.py)."""

from demo.world import build_demo_world
from tests.careteams.demo_times import (
    CLOCK_CHANGE_SUNDAY,
    assert_this_weeks_visits_fall_in_the_teams_local_week,
)


def test_this_weeks_visits_fall_in_the_teams_local_week_when_the_clocks_change(db: None) -> None:
    build_demo_world(now=CLOCK_CHANGE_SUNDAY, span_days=0)
    assert_this_weeks_visits_fall_in_the_teams_local_week(CLOCK_CHANGE_SUNDAY)
