"""The team changes its own settings and its members' skills and hours: each change attributed,
versioned, in the feed, and in the team's history."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from careteams import services
from careteams.errors import Conflict, DomainError, NotAllowed, NotFound
from careteams.models import Change, Team
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def settings_url(cast: Cast) -> str:
    return reverse("teamwork:team-settings", kwargs={"team_id": cast.team.id})


def settings_post(cast: Cast, **changed: object) -> dict[str, object]:
    data: dict[str, object] = {
        **{name: getattr(cast.team, name) for name in services.TEAM_SETTINGS_FIELDS},
        "version": cast.team.version,
    }
    return {**data, **changed}


def test_a_carer_changes_the_continuity_limit_and_the_change_is_attributed_in_the_feed(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    response = client.post(settings_url(cast), settings_post(cast, continuity_limit=3))
    assert response.status_code == 302
    team = Team.objects.get(pk=cast.team.pk)
    assert (team.continuity_limit, team.version) == (3, cast.team.version + 1)
    change = Change.objects.filter(entity="team", entity_id=team.pk).latest("seq")
    assert change.actor == cast.carer
    assert change.data["continuity_limit"] == 3
    assert team.timezone == "Europe/London"  # not on the page: unchanged


def test_the_history_shows_who_changed_the_settings(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    client.post(settings_url(cast), settings_post(cast, continuity_limit=3))
    page = client.get(reverse("teamwork:history", kwargs={"team_id": cast.team.id}))
    text = page.content.decode()
    assert "Aoife Ní Bhriain" in text
    assert "limit 3 carers per client" in text


def test_a_stale_settings_page_is_a_conflict_and_nothing_is_overwritten(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    client.post(settings_url(cast), settings_post(cast, continuity_limit=3))
    stale = client.post(settings_url(cast), settings_post(cast, continuity_limit=6))
    assert stale.status_code == 409
    assert Team.objects.get(pk=cast.team.pk).continuity_limit == 3


@pytest.mark.parametrize(
    ("field", "value"), [("continuity_limit", 0), ("continuity_limit", 21), ("name", " ")]
)
def test_a_bad_setting_is_refused_beside_its_field(
    client: HttpClient, cast: Cast, field: str, value: object
) -> None:
    client.force_login(cast.nurse)
    response = client.post(settings_url(cast), settings_post(cast, **{field: value}))
    assert response.status_code in (400, 422)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Team.objects.get(pk=cast.team.pk).version == cast.team.version


def test_when_the_team_chose_a_role_only_its_holders_change_settings(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.nurse)  # the planner
    client.post(settings_url(cast), settings_post(cast, managed_by_role="planner"))
    cast.team.refresh_from_db()
    assert cast.team.managed_by_role == "planner"
    client.force_login(cast.carer)
    page = client.get(settings_url(cast)).content.decode()
    assert "Save the settings" not in page
    refused = client.post(settings_url(cast), settings_post(cast, continuity_limit=2))
    assert refused.status_code == 403
    assert Team.objects.get(pk=cast.team.pk).continuity_limit == cast.team.continuity_limit


def test_when_nobody_holds_the_chosen_role_any_member_may(cast: Cast) -> None:
    cast.team.managed_by_role = "finance"
    cast.team.save()
    details = services.TeamDetails(name="Riverside North", managed_by_role="finance")
    assert (
        services.team_update(
            team=cast.team, version=cast.team.version, details=details, actor=cast.carer
        ).name
        == "Riverside North"
    )


def test_another_teams_member_cannot_change_the_settings(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.team_update(
            team=cast.team,
            version=cast.team.version,
            details=services.TeamDetails(name="Taken over"),
            actor=cast.other_nurse,
        )


def test_the_team_changes_a_members_skills_and_hours(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    member = cast.nurse_membership
    url = reverse(
        "teamwork:member-edit", kwargs={"team_id": cast.team.id, "membership_id": member.id}
    )
    response = client.post(
        url, {"skills": ["medication", "palliative"], "contracted_hours": "30.5", "version": 1}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.skills == ["medication", "palliative"]
    assert member.contracted_hours == Decimal("30.5")
    assert member.team_roles == ["planner"]  # roles change through terms only
    change = Change.objects.filter(entity="membership", entity_id=member.id).latest("seq")
    assert change.actor == cast.carer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: {**d, "skills": ["juggling"]}, "skills"),
        (lambda d: {**d, "contracted_hours": Decimal("61")}, "contracted_hours"),
        (lambda d: {**d, "contracted_hours": Decimal("20.25")}, "contracted_hours"),
    ],
)
def test_a_bad_member_detail_is_refused_under_its_field(
    cast: Cast, change: Callable[[dict[str, object]], dict[str, object]], field: str
) -> None:
    base: dict[str, object] = {"role": "care_worker", "contracted_hours": Decimal(30)}
    details = services.MembershipDetails(**change(base))  # type: ignore[arg-type]
    with pytest.raises(DomainError) as caught:
        services.membership_update(
            membership=cast.carer_membership, version=1, details=details, actor=cast.nurse
        )
    assert caught.value.field == field


def test_a_member_edit_from_a_stale_version_is_a_conflict(cast: Cast) -> None:
    details = services.MembershipDetails(role="care_worker", contracted_hours=Decimal(20))
    services.membership_update(
        membership=cast.carer_membership, version=1, details=details, actor=cast.nurse
    )
    with pytest.raises(Conflict):
        services.membership_update(
            membership=cast.carer_membership, version=1, details=details, actor=cast.nurse
        )


def test_a_non_holder_cannot_change_members_when_the_team_chose_a_role(cast: Cast) -> None:
    cast.team.managed_by_role = "planner"
    cast.team.save()
    with pytest.raises(NotAllowed):
        services.membership_update(
            membership=cast.carer_membership,
            version=1,
            details=services.MembershipDetails(role="care_worker"),
            actor=cast.carer,
        )


def test_a_welsh_team_chooses_to_offer_cymraeg_first_on_its_settings_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.carer)
    page = client.get(settings_url(cast)).content.decode()
    assert "The language the team offers first" in page
    response = client.post(settings_url(cast), settings_post(cast, language="cy"))
    assert response.status_code == 302
    team = Team.objects.get(pk=cast.team.pk)
    assert (team.language, team.version) == ("cy", cast.team.version + 1)
    change = Change.objects.filter(entity="team", entity_id=team.pk).latest("seq")
    assert change.data["language"] == "cy"


def test_a_language_the_service_does_not_offer_is_refused_by_name(cast: Cast) -> None:
    details = services.TeamDetails(name=cast.team.name, language="fr")
    with pytest.raises(DomainError) as refused:
        services.team_update(
            team=cast.team, version=cast.team.version, details=details, actor=cast.carer
        )
    assert refused.value.field == "language"
