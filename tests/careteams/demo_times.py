"""Moments the demo world is built at, for the tests that build it, and what must hold of the
week it is built in at any of them."""

import datetime as dt
from zoneinfo import ZoneInfo

from careteams import timeutil
from careteams.models import Team
from scheduling.models import RotaStatus, RotaWeek, Visit

LONDON = ZoneInfo("Europe/London")
# A Wednesday noon: half the week's visits done, half to come.
MIDWEEK = dt.datetime(2025, 6, 11, 12, 0, tzinfo=LONDON)
# The week the clocks go forward (Sunday 30 March 2025), at its very end.
CLOCK_CHANGE_SUNDAY = dt.datetime(2025, 3, 30, 21, 0, tzinfo=LONDON)


def assert_this_weeks_visits_fall_in_the_teams_local_week(now: dt.datetime) -> None:
    """The world built at `now` (this week only): each team's visits fill its local week,
    Monday to Sunday, published, mostly with carers, each where its pattern's window opens."""
    for team in Team.objects.all():
        monday = timeutil.monday_of(now.astimezone(team.zone).date())
        start, end = timeutil.week_bounds(team.zone, monday)
        visits = Visit.objects.filter(team=team)
        assert visits.count() > 100
        assert not visits.exclude(planned_start__gte=start, planned_start__lt=end).exists()
        days = {v.planned_start.astimezone(team.zone).date() for v in visits}
        assert days == {monday + dt.timedelta(days=n) for n in range(7)}
        assert RotaWeek.objects.get(team=team).week_start == monday
        assert RotaWeek.objects.get(team=team).status == RotaStatus.PUBLISHED
        assigned = visits.filter(assignments__isnull=False).distinct().count()
        assert 0 < visits.count() - assigned < visits.count() * 0.2
        # Generated from the patterns: the visits start where their pattern's window opens.
        for visit in visits.select_related("pattern"):
            assert visit.pattern is not None
            local = visit.planned_start.astimezone(team.zone)
            assert local.time() == visit.pattern.window_start
