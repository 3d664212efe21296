"""`manage.py demo_data --teams N`: the scale world, built in bulk yet as the services leave it."""

import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.test import Client as Browser
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from accounts import tokens
from careteams import registry, timeutil
from careteams.models import Change, Membership, Role, Team, TeamRole, User
from clients import access as clients_access
from clients.models import CareProblem, Client, Note
from demo.context import DEMO_PASSWORD
from demo.scale_team import member_email
from demo.world import build_demo_world
from scheduling.models import Shift, Visit, VisitAssignment, VisitPattern
from tests.conftest import empty_database

TEAMS = 2
# Its own clock holds (FROZEN_AT below): make test-clocks checks that nothing reads the real one.
pytestmark = pytest.mark.clock_sensitive


def scale(teams: int) -> str:
    out = StringIO()
    call_command("demo_data", teams=teams, jobs=1, stdout=out)
    return out.getvalue()


def everything() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def team(number: int) -> Team:
    return Team.objects.get(name=f"Scale team {number:04d}")


def member(number: int, team_number: int) -> User:
    return User.objects.get(email=member_email(number, team_number))


# The module's clock: a Wednesday afternoon, so that the week has visits done (and their notes)
# and visits to come whatever the hour the suite runs (on a Monday before the first visit, the
# world had no notes yet).
FROZEN_AT = dt.datetime(2026, 12, 9, 14, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def scale_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Two scale teams, built once for this module (each test rolls back its own changes),
    with every clock (`timezone.now`, `date.today`, `time.time`) at FROZEN_AT throughout,
    ticking on."""
    with time_machine.travel(FROZEN_AT, tick=True), django_db_blocker.unblock():
        yield scale(TEAMS)
        empty_database()


@pytest.fixture
def world(scale_world: str, db: None) -> str:
    return scale_world


def test_the_command_says_how_many_teams_it_made_and_how_long_it_took(world: str) -> None:
    assert f"{TEAMS} teams created (0 already there)" in world
    assert " s." in world


def test_each_team_has_twelve_members_and_fifty_clients_with_care_plans(world: str) -> None:
    for number in range(1, TEAMS + 1):
        found = team(number)
        assert found.timezone == "Europe/London"
        assert Membership.objects.filter(team=found).count() == 12
        clients = Client.objects.filter(team=found)
        assert clients.count() == 50
        per_client = clients.annotate(n=Count("problems")).aggregate(low=Min("n"), high=Max("n"))
        assert per_client == {"low": 2, "high": 3}
        assert clients.filter(primary_nurse__isnull=True).count() == 0
        assert VisitPattern.objects.filter(team=found).count() >= 50
        assert Note.objects.filter(client__team=found).exists()


def test_m01_is_a_registered_nurse_who_plans_and_signs_in_with_the_demo_password(
    world: str,
) -> None:
    nurse = member(1, 1)
    membership = Membership.objects.get(user=nurse)
    assert membership.role == Role.REGISTERED_NURSE
    assert membership.team_roles == [TeamRole.PLANNER]
    assert nurse.check_password(DEMO_PASSWORD)
    roles = set(Membership.objects.filter(team=team(1)).values_list("role", flat=True))
    assert {Role.REGISTERED_NURSE, Role.CARE_WORKER} <= roles


def test_the_week_runs_monday_to_sunday_with_carers_on_most_visits_and_a_few_open(
    world: str,
) -> None:
    found = team(1)
    monday = timeutil.monday_of(timeutil.local_today(found.zone))
    start, end = timeutil.week_bounds(found.zone, monday)
    visits = Visit.objects.filter(team=found)
    assert visits.count() > 300
    assert not visits.exclude(planned_start__gte=start, planned_start__lt=end).exists()
    assert not Shift.objects.filter(team=found).exclude(start__gte=start, start__lt=end).exists()
    open_visits = visits.exclude(pk__in=VisitAssignment.objects.values("visit_id")).count()
    assert 0 < open_visits < visits.count() // 10


def test_every_member_has_six_to_nine_visits_today(world: str) -> None:
    found = team(2)
    day_start, day_end = timeutil.day_bounds(found.zone, timeutil.local_today(found.zone))
    today = (
        VisitAssignment.objects.filter(
            member__team=found,
            visit__planned_start__gte=day_start,
            visit__planned_start__lt=day_end,
        )
        .values("member")
        .annotate(n=Count("id"))
    )
    assert len(today) == 12
    assert all(6 <= row["n"] <= 10 for row in today)


def test_each_feed_runs_from_one_without_gaps_and_the_team_counter_is_its_last(
    world: str,
) -> None:
    for number in range(1, TEAMS + 1):
        found = team(number)
        seqs = list(Change.objects.filter(team=found).values_list("seq", flat=True))
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert found.last_change_seq == len(seqs) > 1000


def test_the_last_feed_entry_of_every_record_is_the_record_as_stored(world: str) -> None:
    latest: dict[tuple[str, object], Change] = {}
    for change in Change.objects.filter(team=team(1)).order_by("seq"):
        latest[(change.entity, change.entity_id)] = change
    for (entity, pk), change in latest.items():
        declared = registry.get(entity)
        stored = declared.model._default_manager.get(pk=pk)
        assert change.data == declared.serialise(stored), (entity, pk)
        assert change.version == getattr(stored, "version", 1)


def test_a_member_of_team_one_sees_its_clients_and_not_team_twos(world: str) -> None:
    nurse = member(1, 1)
    theirs = Client.objects.filter(team=team(2)).first()
    ours = Client.objects.filter(team=team(1)).first()
    assert theirs is not None
    assert ours is not None
    assert not clients_access.clients_visible_to(nurse).filter(team=team(2)).exists()
    assert clients_access.clients_visible_to(nurse).filter(team=team(1)).count() == 50
    browser = Browser()
    browser.force_login(nurse)
    mine = reverse("clients:client-detail", kwargs={"client_id": ours.pk})
    other = reverse("clients:client-detail", kwargs={"client_id": theirs.pk})
    assert browser.get(mine).status_code == 200
    assert browser.get(other).status_code == 404


def test_my_day_page_and_api_answer_m01_of_team_one(world: str) -> None:
    nurse = member(1, 1)
    found = team(1)
    browser = Browser()
    browser.force_login(nurse)
    page = browser.get(reverse("scheduling:my-day", kwargs={"team_id": found.pk}))
    assert page.status_code == 200
    token = tokens.token_issue(user=nurse, name="Scale tablet").token
    api = Browser().get(
        f"/api/v1/teams/{found.pk}/my-day", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200
    assert len(api.json()["visits"]) >= 6


def test_the_week_boards_first_response_stays_under_100_kb_on_every_day_of_a_scale_team(
    world: str,
) -> None:
    """Issue 16: a Buurtzorg-sized team's busiest day (about 90 visits) on one page."""
    found = team(1)
    monday = timeutil.monday_of(timeutil.local_today(found.zone))
    browser = Browser()
    browser.force_login(member(1, 1))
    week = reverse("scheduling:week", kwargs={"team_id": found.pk, "week": monday.isoformat()})
    sizes = {}
    # On the rota grid (the board's main view: each visit's id once per place) and the list.
    counted = {"grid": rb'data-v="([^"]+)"', "list": rb'<tr id="visit-([^"]+)"'}
    for view, rows in counted.items():
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            page = browser.get(f"{week}?day={day.isoformat()}&view={view}")
            assert page.status_code == 200
            sizes[view, day] = (len(page.content), len(set(re.findall(rows, page.content))))
    busiest = max(sizes.values(), key=lambda size_rows: size_rows[1])
    assert busiest[1] >= 80, sizes
    assert all(size < 100_000 for size, _ in sizes.values()), sizes


def test_a_member_of_another_team_gets_no_my_day_of_team_one(world: str) -> None:
    stranger = member(1, 2)
    browser = Browser()
    browser.force_login(stranger)
    page = browser.get(reverse("scheduling:my-day", kwargs={"team_id": team(1).pk}))
    assert page.status_code == 404


def test_a_second_run_changes_nothing(world: str) -> None:
    before = everything()
    out = scale(TEAMS)
    assert "0 teams created (2 already there)" in out
    assert everything() == before


def test_a_larger_run_adds_only_the_missing_team(world: str) -> None:
    counters = dict(Team.objects.values_list("name", "last_change_seq"))
    out = scale(TEAMS + 1)
    assert "1 teams created (2 already there)" in out
    after = dict(Team.objects.values_list("name", "last_change_seq"))
    assert set(after) - set(counters) == {"Scale team 0003"}
    assert all(after[name] == seq for name, seq in counters.items())
    assert Membership.objects.filter(team=team(3)).count() == 12
    assert CareProblem.objects.filter(client__team=team(3)).exists()


def test_the_normal_demo_still_loads_next_to_the_scale_world(world: str) -> None:
    summary = build_demo_world(span_days=0)
    assert summary.created
    assert summary.counts["teams"] == 2
    assert Team.objects.filter(name__startswith="Scale team ").count() == TEAMS
