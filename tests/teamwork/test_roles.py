"""Rotating roles are held for a term; a term near its end is due to rotate, and says so on the
roles page, the team's home and the holder's My day."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams import timeutil
from careteams.errors import DomainError, NotAllowed, NotFound
from careteams.models import Change, Membership
from teamwork.models import RoleTerm
from teamwork.selectors.governance import ROTATION_NOTICE_DAYS, terms_due_for
from teamwork.services import roles
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _today(cast: Cast) -> dt.date:
    return timeutil.local_today(cast.team.zone)


def start(cast: Cast, member: Membership, role: str, days_ago: int, days_left: int) -> RoleTerm:
    today = _today(cast)
    return roles.role_term_start(
        team=cast.team,
        member=member,
        role=role,
        starts_on=today - dt.timedelta(days=days_ago),
        ends_on=today + dt.timedelta(days=days_left),
        actor=cast.nurse,
    )


def test_starting_a_term_gives_the_member_the_role_and_records_it_in_the_feed(cast: Cast) -> None:
    term = start(cast, cast.carer_membership, "mentor", 0, 90)
    cast.carer_membership.refresh_from_db()
    assert cast.carer_membership.team_roles == ["mentor"]
    change = Change.objects.filter(entity="role_term", entity_id=term.id).get()
    assert change.actor == cast.nurse
    assert change.data["role"] == "mentor"


def test_a_new_term_hands_the_role_over_and_ends_the_previous_holders_term(cast: Cast) -> None:
    first = start(cast, cast.carer_membership, "mentor", 100, 10)
    second = start(cast, cast.nurse_membership, "mentor", 0, 180)
    first.refresh_from_db()
    assert first.ended_on == second.starts_on - dt.timedelta(days=1)
    cast.carer_membership.refresh_from_db()
    cast.nurse_membership.refresh_from_db()
    assert "mentor" not in cast.carer_membership.team_roles
    assert "mentor" in cast.nurse_membership.team_roles


def test_a_term_ending_within_the_notice_is_due_and_one_far_off_is_not(cast: Cast) -> None:
    start(cast, cast.carer_membership, "mentor", 30, ROTATION_NOTICE_DAYS)
    start(cast, cast.carer_membership, "training", 30, ROTATION_NOTICE_DAYS + 1)
    due = terms_due_for(member=cast.carer_membership, today=_today(cast))
    assert [t.term.role for t in due] == ["mentor"]
    assert not due[0].overdue


def test_a_term_past_its_end_is_overdue_until_it_is_handed_over(cast: Cast) -> None:
    today = _today(cast)
    term = RoleTerm.objects.create(
        team=cast.team,
        member=cast.carer_membership,
        role="quality",
        starts_on=today - dt.timedelta(days=200),
        ends_on=today - dt.timedelta(days=2),
    )
    (due,) = terms_due_for(member=cast.carer_membership, today=today)
    assert due.term == term
    assert due.overdue
    assert due.days_left == -2


def test_the_holders_my_day_and_the_team_home_show_the_reminder(
    client: HttpClient, cast: Cast
) -> None:
    start(cast, cast.carer_membership, "mentor", 170, 5)
    client.force_login(cast.carer)
    day = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
    assert "Your term as mentor ends on" in day.content.decode()
    home = client.get(reverse("team-home", args=[cast.team.id]))
    assert "Roles due to rotate" in home.content.decode()
    client.force_login(cast.nurse)
    other_day = client.get(reverse("scheduling:my-day", kwargs={"team_id": cast.team.id}))
    assert "Your term as" not in other_day.content.decode()


def test_ending_a_term_takes_the_role_away_and_keeps_the_term(cast: Cast) -> None:
    term = start(cast, cast.carer_membership, "mentor", 10, 90)
    ended = roles.role_term_end(term=term, version=term.version, actor=cast.nurse)
    assert ended.ended_on == _today(cast)
    cast.carer_membership.refresh_from_db()
    assert cast.carer_membership.team_roles == []
    with pytest.raises(DomainError, match="already ended"):
        roles.role_term_end(term=ended, version=ended.version, actor=cast.nurse)


@pytest.mark.parametrize(
    ("days_ago", "days_left", "field"),
    [(0, -3, "ends_on"), (0, 2, "ends_on"), (0, 800, "ends_on")],
)
def test_a_term_of_the_wrong_length_is_refused_under_its_field(
    cast: Cast, days_ago: int, days_left: int, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        start(cast, cast.carer_membership, "mentor", days_ago, days_left)
    assert caught.value.field == field
    assert not RoleTerm.objects.exists()


def test_a_member_of_another_team_cannot_start_or_be_given_a_term(cast: Cast) -> None:
    today = _today(cast)
    with pytest.raises(NotFound):
        roles.role_term_start(
            team=cast.team,
            member=cast.carer_membership,
            role="mentor",
            starts_on=today,
            ends_on=today + dt.timedelta(days=30),
            actor=cast.other_nurse,
        )
    with pytest.raises(NotFound):
        roles.role_term_start(
            team=cast.team,
            member=cast.other_nurse_membership,
            role="mentor",
            starts_on=today,
            ends_on=today + dt.timedelta(days=30),
            actor=cast.nurse,
        )


def test_when_the_team_chose_a_role_only_its_holders_hand_out_terms(cast: Cast) -> None:
    cast.team.managed_by_role = "planner"  # the cast's nurse is the planner
    cast.team.save()
    with pytest.raises(NotAllowed):
        roles.role_term_start(
            team=cast.team,
            member=cast.carer_membership,
            role="mentor",
            starts_on=_today(cast),
            ends_on=_today(cast) + dt.timedelta(days=30),
            actor=cast.carer,
        )
    assert start(cast, cast.carer_membership, "mentor", 0, 30).member == cast.carer_membership


def test_the_roles_page_starts_a_term_and_shows_it_due(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    today = _today(cast)
    url = reverse("teamwork:roles", kwargs={"team_id": cast.team.id})
    response = client.post(
        url,
        {
            "member": cast.carer_membership.id,
            "role": "finance",
            "starts_on": (today - dt.timedelta(days=80)).isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Due to rotate" in page
    assert "Finance" in page
    bad = client.post(
        url,
        {
            "member": cast.carer_membership.id,
            "role": "finance",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
        },
    )
    assert bad.status_code == 400
    assert "A term is from 7 days" in bad.content.decode()
