"""The members page names each member's skills and team roles in words, not stored codes."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import Membership, TeamRole
from careteams.skills import Skill
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_a_member_sees_colleagues_skills_and_roles_in_words(cast: Cast, client: HttpClient) -> None:
    Membership.objects.filter(pk=cast.carer_membership.pk).update(
        skills=[Skill.MOVING_HANDLING.value, Skill.WELSH.value],
        team_roles=[TeamRole.PLANNER.value],
    )
    client.force_login(cast.nurse)
    page = client.get(reverse("teamwork:members", kwargs={"team_id": cast.team.id}))
    text = page.content.decode()
    assert "Moving and handling (hoist), Speaks Welsh (Cymraeg)" in text
    assert "moving_handling" not in text
    assert '<td class="nhsuk-table__cell">Planner</td>' in text


def test_another_team_s_member_gets_no_members_page(cast: Cast, client: HttpClient) -> None:
    client.force_login(cast.other_nurse)
    page = client.get(reverse("teamwork:members", kwargs={"team_id": cast.team.id}))
    assert page.status_code == 404
