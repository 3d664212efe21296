"""The demo's clients live near their towns (for travel), and one pattern is fortnightly with
its usual carers."""

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

from careteams import timeutil
from careteams.models import Membership, Role, Team
from clients.models import Client, LocationSource
from scheduling import travel
from scheduling.models import VisitPattern
from scheduling.services.patterns import week_generate
from tests.conftest import empty_database


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        call_command("demo_data", stdout=StringIO())
        yield
        empty_database()


@pytest.mark.usefixtures("demo_world")
def test_every_demo_client_has_a_location_near_their_town(db: None) -> None:
    centres = {"Shrewsbury": (52.7077, -2.7541), "Aberteifi": (52.0833, -4.6611)}
    clients = list(Client.objects.all())
    assert clients
    for client in clients:
        assert client.latitude is not None
        assert client.longitude is not None
        assert client.location_source == LocationSource.RECORD
        if client.town in centres:
            assert travel.distance_km((client.latitude, client.longitude), centres[client.town]) < 3


@pytest.mark.usefixtures("demo_world")
def test_each_demo_team_has_a_fortnightly_round_with_usual_carers(db: None) -> None:
    for team in Team.objects.all():
        pattern = VisitPattern.objects.get(team=team, interval_weeks=2)
        carers = Membership.objects.filter(pk__in=pattern.usual_carers)
        assert carers.count() == 2
        assert {c.role for c in carers} == {Role.CARE_WORKER}
        planner = next(m for m in team.memberships.all() if "planner" in m.team_roles)
        monday = timeutil.monday_of(timeutil.local_today(team.zone))
        for n in (1, 2, 3):
            week_generate(team=team, monday=monday + dt.timedelta(weeks=n), actor=planner.user)
        # Tuesday and Friday of next week and of the week two after it; none in between.
        days = sorted(v.planned_start.astimezone(team.zone).date() for v in pattern.visits.all())
        tuesday = monday + dt.timedelta(weeks=1, days=1)
        assert days == [
            tuesday,
            tuesday + dt.timedelta(days=3),
            tuesday + dt.timedelta(weeks=2),
            tuesday + dt.timedelta(weeks=2, days=3),
        ]
