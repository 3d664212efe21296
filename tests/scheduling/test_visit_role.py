"""A visit's required role (a registered nurse): set on visits and patterns, carried to the
generated visits, kept by the planner and flagged by the board's rules when broken."""

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.errors import DomainError
from careteams.models import Role
from scheduling import rules, selectors
from scheduling.models import Shift, Visit, VisitPattern
from scheduling.services import patterns, planning
from scheduling.services import visits as visit_services
from tests.conftest import Cast
from tests.scheduling.conftest import on

pytestmark = pytest.mark.django_db
NURSE = Role.REGISTERED_NURSE


def member_id(text: str) -> uuid.UUID:
    return uuid.UUID(int=int(text, 16))


@pytest.fixture(autouse=True)
def quick_planner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "PLAN_SECONDS", 2.0)


def suggest(cast: Cast, monday: dt.date) -> tuple[dict[str, list[str]], dict[str, str]]:
    run = planning.plan_run_start(
        team=cast.team, monday=monday, day=None, actor=cast.nurse, background=False
    )
    proposed = {p["visit_id"]: p["member_ids"] for p in run.proposals}
    return proposed, {u["visit_id"]: u["rule"] for u in run.unassignable}


def test_a_visit_needing_a_registered_nurse_is_never_proposed_to_a_carer(
    cast: Cast, monday: dt.date, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    # Only the carer is on shift on Monday; both on Tuesday.
    make_shift(cast.carer_membership, 0)
    make_shift(cast.carer_membership, 1)
    make_shift(cast.nurse_membership, 1)
    monday_visit = make_visit(day=0, required_role=NURSE)
    tuesday_visit = make_visit(day=1, required_role=NURSE)
    plain = make_visit(client=cast.other_client_same_team, day=0, start="11:00", end="11:30")
    proposed, blocked = suggest(cast, monday)
    assert str(monday_visit.id) not in proposed
    assert blocked[str(monday_visit.id)] == "no_member_with_role"
    assert proposed[str(tuesday_visit.id)] == [str(cast.nurse_membership.id)]
    assert proposed[str(plain.id)] == [str(cast.carer_membership.id)]


def test_the_board_flags_a_care_worker_on_a_visit_needing_a_registered_nurse(
    cast: Cast, monday: dt.date, make_shift: Callable[..., Shift], make_visit: Callable[..., Visit]
) -> None:
    make_shift(cast.carer_membership, 0)
    make_shift(cast.nurse_membership, 0)
    wrong = make_visit(day=0, required_role=NURSE)
    right = make_visit(client=cast.other_client_same_team, day=0, required_role=NURSE)
    wrong.assignments.create(member=cast.carer_membership)
    right.assignments.create(member=cast.nurse_membership)
    board = selectors.week_board(user=cast.nurse, team_id=cast.team.id, monday=monday)
    flagged = [p for p in board.problems if p.code == "wrong_role"]
    assert [(p.visit_ids, p.member_ids, p.level) for p in flagged] == [
        ((wrong.id,), (cast.carer_membership.id,), rules.Level.ERROR)
    ]
    assert "needs a registered nurse: Aoife Ní Bhriain is not one" in flagged[0].message


def test_a_role_above_the_one_needed_is_no_problem_and_one_below_is() -> None:
    plan = rules.Plan(
        zone=ZoneInfo("Europe/London"),
        week_start=on(0, "00:00"),
        week_end=on(7, "00:00"),
        members={
            m.id: m
            for m in (
                rules.Member(member_id("a"), "Nora", role="registered_nurse"),
                rules.Member(member_id("b"), "Ben", role="nursing_associate"),
                rules.Member(member_id("c"), "Cat", role="student"),
            )
        },
        visits=[
            rules.Visit(
                member_id("1"),
                member_id("9"),
                "Mr Nowak",
                on(0, "09:00"),
                on(0, "09:30"),
                carer_ids=(member_id("a"), member_id("b"), member_id("c")),
                required_role="nursing_associate",
            ),
            rules.Visit(
                member_id("2"),
                member_id("9"),
                "Mr Nowak",
                on(1, "09:00"),
                on(1, "09:30"),
                carer_ids=(member_id("c"),),
            ),
        ],
    )
    assert [p.member_ids for p in rules.wrong_roles(plan)] == [(member_id("c"),)]


def test_the_visit_form_sets_the_role_and_refuses_an_unknown_one(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)
    url = reverse("scheduling:visit-new", kwargs={"team_id": cast.team.id})
    data = {
        "client": cast.client.id,
        "day": "2030-11-25",
        "start_time": "09:00",
        "end_time": "09:30",
        "carers_needed": 1,
    }
    assert "Role needed" in client.get(url).content.decode()
    refused = client.post(url, {**data, "required_role": "surgeon"})
    assert refused.status_code == 400
    assert not Visit.objects.exists()
    client.post(url, {**data, "required_role": NURSE})
    visit = Visit.objects.get()
    assert visit.required_role == NURSE
    page = client.get(
        reverse("scheduling:visit", kwargs={"team_id": cast.team.id, "visit_id": visit.id})
    )
    assert "Registered nurse" in page.content.decode()


def test_the_pattern_form_sets_the_role_and_generated_visits_carry_it(
    client: HttpClient, cast: Cast, monday: dt.date, pattern: VisitPattern
) -> None:
    client.force_login(cast.nurse)
    url = reverse(
        "scheduling:pattern-edit", kwargs={"team_id": cast.team.id, "pattern_id": pattern.id}
    )
    response = client.post(
        url,
        {
            "client": cast.client.id,
            "weekdays": [1, 3],
            "window_start": "08:00",
            "window_end": "08:30",
            "duration_minutes": 30,
            "carers_needed": 1,
            "valid_from": pattern.valid_from.isoformat(),
            "active": "on",
            "interval_weeks": 1,
            "required_role": NURSE,
            "version": pattern.version,
        },
    )
    assert response.status_code == 302
    pattern.refresh_from_db()
    assert pattern.required_role == NURSE
    patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    assert {v.required_role for v in Visit.objects.filter(pattern=pattern)} == {NURSE}
    # Anyone again: the untouched visits follow the pattern when the week is generated again.
    pattern.required_role = ""
    pattern.save()
    patterns.week_generate(team=cast.team, monday=monday, actor=cast.nurse)
    assert {v.required_role for v in Visit.objects.filter(pattern=pattern)} == {""}


def test_another_teams_member_gets_404_on_the_visit_and_pattern_pages(
    client: HttpClient, cast: Cast, make_visit: Callable[..., Visit], pattern: VisitPattern
) -> None:
    visit = make_visit(required_role=NURSE)
    client.force_login(cast.other_nurse)
    team = {"team_id": cast.team.id}
    for url in (
        reverse("scheduling:visit", kwargs={**team, "visit_id": visit.id}),
        reverse("scheduling:pattern-edit", kwargs={**team, "pattern_id": pattern.id}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"required_role": "care_worker"}).status_code == 404
    visit.refresh_from_db()
    assert visit.required_role == NURSE


def test_the_services_refuse_an_unknown_role_naming_the_field(cast: Cast) -> None:
    details = visit_services.VisitDetails(
        start=on(0, "09:00"),
        end=on(0, "09:30"),
        window_start=None,
        window_end=None,
        required_skills=[],
        carers_needed=1,
        tasks=[],
        required_role="surgeon",
    )
    with pytest.raises(DomainError) as refused:
        visit_services.visit_create(
            team=cast.team, client=cast.client, details=details, actor=cast.nurse
        )
    assert refused.value.field == "required_role"
