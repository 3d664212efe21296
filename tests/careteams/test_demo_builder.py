"""Building the demo world at other moments: each test builds its own, of this week only
(`span_days=0`) to be quick; the whole span is checked on the command's world
(test_demo_data.py)."""

import datetime as dt

import pytest
from django.db import transaction

from careteams import timeutil
from careteams.demo import build_demo_world
from careteams.models import Team
from clients.models import Client, Note
from scheduling.models import RotaStatus, RotaWeek, Visit
from tests.careteams.demo_times import CLOCK_CHANGE_SUNDAY, MIDWEEK


@pytest.mark.parametrize("now", [MIDWEEK, CLOCK_CHANGE_SUNDAY], ids=["midweek", "clock_change"])
def test_this_weeks_visits_fall_in_the_teams_local_week(db: None, now: dt.datetime) -> None:
    build_demo_world(now=now, span_days=0)
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


def test_the_builder_is_deterministic(db: None) -> None:
    def snapshot() -> list[tuple[str, str, str | None, str]]:
        return list(
            Client.objects.order_by("nhs_number").values_list(
                "given_name", "family_name", "nhs_number", "postcode"
            )
        )

    with transaction.atomic():
        build_demo_world(now=MIDWEEK, span_days=0)
        first = (snapshot(), Visit.objects.count(), Note.objects.count())
        transaction.set_rollback(True)
    build_demo_world(now=MIDWEEK, span_days=0)
    assert (snapshot(), Visit.objects.count(), Note.objects.count()) == first
