"""`manage.py demo_data`: a believable demo world, built once, wholly through the change feed."""

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from careteams import access, geo, registry, timeutil
from careteams.models import Change, CoachLink, Membership, Role, Team, TeamRole, User
from clients import access as clients_access
from clients import nhs_number, omaha
from clients.models import (
    CareProblem,
    Client,
    EmergencyContact,
    FamilyAccess,
    Intervention,
    LocationSource,
    Note,
)
from clients.omaha_signs import signs_for
from demo.clients import TEMPLATES
from demo.context import DEMO_DOMAIN, DEMO_PASSWORD
from messaging.models import ClientMessage, HandoverNote, TeamMessage
from scheduling.models import (
    RotaNotice,
    RotaWeek,
    Shift,
    Visit,
    VisitAssignment,
    VisitPattern,
    VisitStatus,
)
from scheduling.services.patterns import week_generate
from scheduling.start_models import StartPoint
from scheduling.visit_models import VisitAttendance, VisitTaskOutcome
from tests.conftest import empty_database

# The command's world is built around the real clock: whatever the hour and the day (make
# test-clocks runs this module at a Monday 00:30 and a Sunday 23:30 too).
pytestmark = pytest.mark.clock_sensitive
UK_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}")
SIGN_INS = ("admin", "nurse", "nyrs", "carer", "coach", "family", "client")


def run_command() -> str:
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def everything() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The command's world, built once for this module's checks (each test still runs in a
    transaction of its own, rolled back), and emptied after them."""
    with django_db_blocker.unblock():
        yield run_command()
        empty_database()


@pytest.fixture
def demo(demo_world: str, db: None) -> str:
    return demo_world


def test_the_command_creates_two_teams_of_eight_to_twelve_members(demo: str) -> None:
    teams = {t.name: t for t in Team.objects.all()}
    assert set(teams) == {"Riverside Neighbourhood Team", "Tîm Cymdogaeth Glannau Teifi"}
    riverside, teifi = teams["Riverside Neighbourhood Team"], teams["Tîm Cymdogaeth Glannau Teifi"]
    assert (riverside.holiday_country, riverside.holiday_subdivision) == ("GB", "ENG")
    assert (teifi.holiday_country, teifi.holiday_subdivision) == ("GB", "WLS")
    # The Welsh team offers Cymraeg first and its notices for the public in both languages.
    assert (teifi.language, teifi.bilingual_notices) == ("cy", True)
    assert (riverside.language, riverside.bilingual_notices) == ("en-gb", False)
    for team in teams.values():
        members = Membership.objects.filter(team=team)
        assert 8 <= members.count() <= 12
        assert team.timezone == "Europe/London"
        assert members.filter(role=Role.REGISTERED_NURSE).exists()
        assert members.filter(role=Role.CARE_WORKER).exists()
        assert sum(TeamRole.PLANNER in m.team_roles for m in members) == 1
        for member in members:
            member.full_clean()  # skills and team roles are known codes
    assert "Demo data loaded." in demo
    assert DEMO_PASSWORD in demo


def test_about_forty_clients_have_valid_nhs_numbers_in_the_test_range(demo: str) -> None:
    clients = list(Client.objects.all())
    assert 36 <= len(clients) <= 44
    numbers = [c.nhs_number or "" for c in clients]
    assert len(set(numbers)) == len(numbers)
    for client in clients:
        client.full_clean()  # the NHS number validator among the rest
        assert (client.nhs_number or "").startswith("999")
        assert nhs_number.is_valid(client.nhs_number or "")
        assert UK_POSTCODE.fullmatch(client.postcode), client.postcode
        assert client.address_line_1
        assert client.access_notes
        assert client.primary_nurse is not None
        assert client.second_nurse is not None
        assert client.primary_nurse.team_id == client.team_id
    welsh = Client.objects.filter(team__holiday_subdivision="WLS")
    assert all(c.postcode.startswith("SA") for c in welsh)


def test_every_client_has_an_omaha_care_plan_with_ratings_over_past_weeks(demo: str) -> None:
    for client in Client.objects.select_related("team").prefetch_related(
        "problems__interventions", "problems__ratings"
    ):
        problems = list(client.problems.all())
        assert 1 <= len(problems) <= 3
        for problem in problems:
            assert problem.problem_code in omaha.PROBLEMS
            # Written through problem_add: the problem's own sign codes, for actual problems.
            known = signs_for(problem.problem_code)
            assert all(code in known for code in problem.signs_symptoms)
            assert bool(problem.signs_symptoms) == (problem.severity == omaha.Severity.ACTUAL)
            assert 1 <= len(problem.interventions.all()) <= 3
            ratings = list(problem.ratings.all())
            assert 2 <= len(ratings) <= 4
            assert all(r.rated_on <= timeutil.local_today(client.team.zone) for r in ratings)
            assert len({r.rated_on for r in ratings}) == len(ratings)


def test_the_care_plan_templates_use_omaha_codes_only() -> None:
    for template in TEMPLATES:
        assert template.code in omaha.PROBLEMS
        assert all(action.target in omaha.TARGETS for action in template.actions)


@pytest.mark.parametrize("local", SIGN_INS)
def test_the_fixed_sign_ins_authenticate_with_the_demo_password(demo: str, local: str) -> None:
    email = f"{local}@{DEMO_DOMAIN}"
    assert authenticate(email=email, password=DEMO_PASSWORD) == user(local)
    assert authenticate(email=email, password="wrong") is None
    assert email in demo


def test_the_sign_ins_have_the_relations_their_names_promise(demo: str) -> None:
    riverside = Team.objects.get(name="Riverside Neighbourhood Team")
    teifi = Team.objects.get(name="Tîm Cymdogaeth Glannau Teifi")
    assert user("admin").is_superuser
    assert user("admin").is_staff
    assert not Membership.objects.filter(user=user("admin")).exists()
    nurse = Membership.objects.get(user=user("nurse"))
    assert (nurse.team, nurse.role) == (riverside, Role.REGISTERED_NURSE)
    carer = Membership.objects.get(user=user("carer"))
    assert (carer.team, carer.role) == (riverside, Role.CARE_WORKER)
    nyrs = Membership.objects.get(user=user("nyrs"))
    assert (nyrs.team, nyrs.role) == (teifi, Role.REGISTERED_NURSE)
    assert set(access.coached_teams(user("coach"))) == {riverside, teifi}
    assert CoachLink.objects.filter(coach=user("coach")).count() == 2
    assert Client.objects.get(user=user("client")).team == riverside
    grant = FamilyAccess.objects.get(person=user("family"))
    assert grant.is_live
    assert grant.accepted_at is not None
    assert grant.relationship
    assert grant.consent_basis
    assert grant.client.team == riverside


def test_every_other_member_has_an_ascii_first_dot_last_email(demo: str) -> None:
    fixed = {f"{local}@{DEMO_DOMAIN}" for local in SIGN_INS}
    for email in User.objects.values_list("email", flat=True):
        assert email.isascii()
        assert email.endswith(f"@{DEMO_DOMAIN}")
        if email not in fixed:
            assert "." in email.split("@")[0]
    assert User.objects.filter(email=f"lukasz.wisniewski@{DEMO_DOMAIN}").exists()
    assert User.objects.filter(email=f"siobhan.osuilleabhain@{DEMO_DOMAIN}").exists()


def test_running_it_twice_changes_nothing_and_says_so(demo: str) -> None:
    before = everything()
    seqs = dict(Team.objects.values_list("id", "last_change_seq"))
    second = run_command()
    assert second.strip() == "Demo data already loaded; nothing changed."
    assert everything() == before
    assert dict(Team.objects.values_list("id", "last_change_seq")) == seqs


def test_running_it_again_on_an_aged_demo_says_how_to_refresh_it(demo: str) -> None:
    ends = max(timezone.localdate(v.planned_start) for v in Visit.objects.all())
    assert "make demo-refresh" not in run_command()
    # Three weeks on, the rota has ended: the command says so, and changes nothing.
    later = timezone.now() + dt.timedelta(days=21)
    with mock.patch.object(timezone, "now", return_value=later):
        aged = run_command()
    assert f"The demo's rota ended on {ends:%d %B %Y}" in aged
    assert "make demo-refresh" in aged


def test_every_client_visit_and_note_has_a_change_in_its_teams_feed(demo: str) -> None:
    fed = defaultdict(set)
    for entity, entity_id, team_id in Change.objects.values_list("entity", "entity_id", "team"):
        fed[entity].add((entity_id, team_id))
    for client in Client.objects.all():
        assert (client.id, client.team_id) in fed["client"]
    for visit in Visit.objects.all():
        assert (visit.id, visit.team_id) in fed["visit"]
    for note in Note.objects.select_related("client"):
        assert (note.id, note.client.team_id) in fed["note"]
    for assignment in VisitAssignment.objects.select_related("visit"):
        assert (assignment.id, assignment.visit.team_id) in fed["visit_assignment"]
    assert len(fed["care_problem"]) == CareProblem.objects.count()
    assert len(fed["membership"]) == Membership.objects.count()
    assert len(fed["shift"]) == Shift.objects.count()


def test_every_demo_record_is_in_the_feed_as_its_service_wrote_it(demo: str) -> None:
    """Built through the services: each record's latest change is its registered row (a note's
    problem ids included), as a device syncing the demo would hold it."""
    latest: dict[object, Change] = {}
    for change in Change.objects.order_by("seq"):
        latest[change.entity_id] = change
    for entity in registry.entities():
        for obj in entity.model._default_manager.all():
            change = latest[obj.pk]
            assert change.entity == entity.name
            assert change.data == entity.serialise(obj), (entity.name, obj.pk)
    shared = Note.objects.filter(problems__isnull=False).first()
    assert shared is not None
    assert latest[shared.pk].data["problem_ids"] == [str(p.pk) for p in shared.problems.all()]


def test_each_teams_feed_counts_up_without_gaps_to_its_last_change_seq(demo: str) -> None:
    for team in Team.objects.all():
        seqs = list(Change.objects.filter(team=team).values_list("seq", flat=True))
        assert seqs == list(range(1, team.last_change_seq + 1))
        latest = Change.objects.filter(team=team).aggregate(top=Max("seq"))["top"]
        assert latest == team.last_change_seq > 0


def test_the_names_include_welsh_irish_and_polish_letters(demo: str) -> None:
    names = " ".join(
        f"{first} {last}" for first, last in User.objects.values_list("first_name", "last_name")
    ) + " ".join(f"{c.given_name} {c.family_name}" for c in Client.objects.all())
    for letter in "âïŷôáóíŁłśćąńŻ":
        assert letter in names, letter
    for name in ("Siân", "Gwenllïan", "Dafydd", "Siobhán", "Ó Súilleabháin", "Łukasz", "Żółć"):
        assert name in names


def test_the_family_user_sees_its_client_and_the_notes_shared_with_them(demo: str) -> None:
    family = user("family")
    clients = list(clients_access.clients_in_family_view(family))
    assert len(clients) == 1
    notes = clients_access.notes_visible_to(family)
    assert notes.count() >= 3
    assert all(n.shareable and n.client_id == clients[0].id for n in notes)
    assert Note.objects.filter(client=clients[0], shareable=False).exists()
    assert list(clients_access.clients_in_family_view(user("client"))) == [
        Client.objects.get(user=user("client"))
    ]


def test_the_demo_has_a_team_channel_a_client_conversation_and_handovers(demo: str) -> None:
    for team in Team.objects.all():
        assert TeamMessage.objects.filter(team=team).count() >= 4
        assert TeamMessage.objects.filter(team=team, author__email=user("coach").email).exists()
        assert ClientMessage.objects.filter(team=team).count() >= 3
        assert HandoverNote.objects.filter(team=team, client__isnull=True).exists()
    assert ClientMessage.objects.filter(shared_with_family=True).exists()
    assert HandoverNote.objects.filter(client__isnull=False).exists()


def test_each_team_has_medicines_checked_by_a_second_member_due_from_tomorrow(demo: str) -> None:
    from medicines.models import MedicineLine
    from medicines.selectors import doses_due

    for team in Team.objects.all():
        lines = MedicineLine.objects.filter(client__team=team)
        assert {line.name for line in lines} >= {"Metformin", "Co-careldopa", "Paracetamol"}
        for line in lines:
            assert line.checked_by_id is not None
            assert line.checked_by_id != line.transcribed_by_id
        assert lines.filter(prn=True).exists()
        assert lines.filter(time_critical=True).exists()
        assert lines.exclude(visit_part="").exists()  # given with a visit, not at a time
        # No dose is due before the demo was loaded, so its MAR holds no gap nobody made.
        tomorrow = timeutil.local_today(team.zone) + dt.timedelta(days=1)
        visits = Visit.objects.filter(team=team, client__medicine_lines__isnull=False).distinct()
        past = [v for v in visits if v.planned_end <= timezone.now()]
        assert not any(doses_due(visit=v) for v in past)
        ahead = [v for v in visits if v.planned_start.astimezone(team.zone).date() == tomorrow]
        assert any(doses_due(visit=v) for v in ahead)


def test_the_rota_reaches_two_weeks_back_and_two_weeks_ahead_of_today(demo: str) -> None:
    for team in Team.objects.all():
        today = timeutil.local_today(team.zone)
        days = {
            v.planned_start.astimezone(team.zone).date() for v in Visit.objects.filter(team=team)
        }
        wanted = {today + dt.timedelta(days=n) for n in range(-14, 15)}
        assert wanted <= days, sorted(wanted - days)
        weeks = dict(RotaWeek.objects.filter(team=team).values_list("week_start", "status"))
        this_monday = timeutil.monday_of(today)
        assert weeks[this_monday] == weeks[this_monday + dt.timedelta(days=7)] == "published"
        assert weeks[max(weeks)] == "draft"


def test_every_members_shifts_leave_eleven_hours_rest_across_the_weeks(demo: str) -> None:
    by_member = defaultdict(list)
    for shift in Shift.objects.order_by("start"):
        by_member[shift.member_id].append(shift)
    for shifts in by_member.values():
        for before, after in itertools.pairwise(shifts):
            assert after.start - before.end >= dt.timedelta(hours=11)


def test_past_visits_are_done_late_or_missed_with_and_without_reasons(demo: str) -> None:
    now = timezone.now()
    late = [
        v
        for v in Visit.objects.filter(status=VisitStatus.DONE).select_related("team")
        if v.checked_in_at is not None
        and v.checked_in_at
        > (v.window_end or v.planned_start) + dt.timedelta(minutes=v.team.late_grace_minutes)
    ]
    assert late
    assert Visit.objects.filter(status=VisitStatus.MISSED, missed_reasons__isnull=False).exists()
    unexplained = Visit.objects.filter(
        status=VisitStatus.PLANNED,
        planned_end__lt=now - dt.timedelta(days=1),
        assignments__isnull=False,
    )
    assert unexplained.exists()
    assert VisitAttendance.objects.filter(checked_out_at__isnull=False).count() > 100
    assert not Visit.objects.filter(planned_start__gt=now).exclude(status="planned").exists()


def test_recent_visits_have_their_tasks_marked_some_not_done_with_a_reason(demo: str) -> None:
    outcomes = VisitTaskOutcome.objects.all()
    assert outcomes.filter(outcome="done").count() > 20
    assert outcomes.filter(outcome="not_done").exclude(reason="").exists()
    assert all(o.note for o in outcomes.filter(reason="could_not"))


def test_clients_have_doorstep_details_and_interventions_their_visits(demo: str) -> None:
    for team in Team.objects.all():
        assert team.phone
        assert team.phone_hours
    for client in Client.objects.all():
        assert client.gp_practice_name
    active = Client.objects.filter(status="active")
    assert (
        EmergencyContact.objects.filter(client__in=active).values("client").distinct().count()
        == active.count()
    )
    assert Client.objects.exclude(communication_needs="").exists()
    assert Intervention.objects.exclude(visit_parts=[]).exists()
    assert Intervention.objects.filter(every_days__gt=1).exists()


def test_the_carer_has_changes_to_a_published_week_waiting(demo: str) -> None:
    notices = RotaNotice.objects.filter(member__user=user("carer"), seen_at__isnull=True)
    assert notices.exists()


def test_every_demo_client_has_a_location_near_their_town(demo: str) -> None:
    centres = {"Shrewsbury": (52.7077, -2.7541), "Aberteifi": (52.0833, -4.6611)}
    clients = list(Client.objects.all())
    assert clients
    for client in clients:
        assert client.latitude is not None
        assert client.longitude is not None
        assert client.location_source == LocationSource.RECORD
        if client.town in centres:
            assert geo.distance_km((client.latitude, client.longitude), centres[client.town]) < 3


def test_most_demo_members_who_visit_start_their_day_near_their_teams_clients(
    demo: str,
) -> None:
    visiting = (Role.CARE_WORKER, Role.REGISTERED_NURSE, Role.NURSING_ASSOCIATE)
    for team in Team.objects.all():
        members = list(Membership.objects.filter(team=team, role__in=visiting))
        homes = [(c.latitude, c.longitude) for c in Client.objects.filter(team=team)]
        starts = {s.user_id: s for s in StartPoint.objects.filter(user__memberships__team=team)}
        assert len(members) * 3 / 4 <= len(starts) < len(members)
        for start in starts.values():
            place = (start.latitude, start.longitude)
            assert min(geo.distance_km(place, home) for home in homes) < 6  # type: ignore[arg-type]
    assert not Change.objects.filter(entity__icontains="start").exists()


def test_each_demo_team_has_a_fortnightly_round_with_usual_carers(demo: str) -> None:
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


def test_in_the_welsh_team_some_clients_prefer_cymraeg_one_needs_it_and_some_members_speak_it(
    demo: str,
) -> None:
    welsh = Client.objects.filter(team__name__startswith="Tîm", language="cy")
    assert welsh.count() >= 2
    assert welsh.filter(language_needed=True).count() == 1
    speakers = [
        m for m in Membership.objects.filter(team__name__startswith="Tîm") if "welsh" in m.skills
    ]
    assert 2 <= len(speakers) < Membership.objects.filter(team__name__startswith="Tîm").count()
