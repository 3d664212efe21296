"""Another team's member gets a 404 for every page of the team's workings, GET and POST alike;
the coach answers help and reads the figures, and no coach page names a client."""

import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from messaging.models import TeamMessage
from teamwork.models import HelpRequest
from teamwork.urls import urlpatterns
from tests.conftest import Cast
from tests.teamwork.conftest import Workings

pytestmark = pytest.mark.django_db


def teamwork_urls(cast: Cast, workings: Workings) -> list[str]:
    values: dict[str, Any] = {
        "team_id": cast.team.id,
        "membership_id": cast.carer_membership.id,
        "meeting_id": workings.meeting.id,
        "item_id": workings.item.id,
        "decision_id": workings.decision.id,
        "action_id": workings.action.id,
        "term_id": workings.term.id,
        "request_id": workings.help_request.id,
    }
    urls = []
    for pattern in urlpatterns:
        names = re.findall(r"<uuid:(\w+)>", str(pattern.pattern))
        urls.append(reverse(f"teamwork:{pattern.name}", kwargs={k: values[k] for k in names}))
    return sorted(urls)


def test_another_teams_member_gets_404_on_every_page_get_and_post(
    client: HttpClient, cast: Cast, workings: Workings
) -> None:
    client.force_login(cast.other_nurse)
    urls = teamwork_urls(cast, workings)
    assert len(urls) == 19
    for url in urls:
        for method in (client.get, client.post):
            status = method(url).status_code
            assert status in (404, 405), f"{url}: {status}"
    assert HelpRequest.objects.get().answer == ""


def test_the_coach_answers_a_request_for_help_and_the_team_sees_it(
    client: HttpClient, cast: Cast, workings: Workings
) -> None:
    client.force_login(cast.coach)
    home = client.get(reverse("coach-home")).content.decode()
    url = reverse("teamwork:coach-answer", kwargs={"request_id": workings.help_request.id})
    assert url in home
    response = client.post(url, {"answer": "Try rounds: each speaks once.", "version": 1})
    assert response.status_code == 302
    asked = HelpRequest.objects.get()
    assert (asked.answered_by, asked.version) == (cast.coach, 2)
    client.force_login(cast.carer)
    help_page = client.get(reverse("teamwork:help", kwargs={"team_id": cast.team.id}))
    assert "Try rounds: each speaks once." in help_page.content.decode()
    channel = client.get(reverse("messaging:team-channel", kwargs={"team_id": cast.team.id}))
    assert "Try rounds: each speaks once." in channel.content.decode()
    assert TeamMessage.objects.get().author == cast.coach
    client.force_login(cast.nurse)
    assert client.post(url, {"answer": "Members cannot answer", "version": 2}).status_code == 404
    assert TeamMessage.objects.count() == 1


def coach_pages(cast: Cast) -> list[str]:
    team = {"team_id": cast.team.id}
    return [
        reverse("coach-home"),
        reverse("team-home", args=[cast.team.id]),
        reverse("teamwork:trends", kwargs=team),
        reverse("teamwork:trends", kwargs=team) + "?by=month",
        reverse("teamwork:trends-csv", kwargs=team),
        reverse("scheduling:figures", kwargs=team),
    ]


def test_no_coach_page_names_a_client_or_shows_an_nhs_number(
    client: HttpClient, cast: Cast, workings: Workings
) -> None:
    from tests.teamwork.test_figures import build_week_in_the_database

    build_week_in_the_database(cast)
    client.force_login(cast.coach)
    pages = [*coach_pages(cast)]
    pages.append(reverse("teamwork:coach-answer", kwargs={"request_id": workings.help_request.id}))
    identity = [
        cast.client.given_name,
        cast.client.family_name,
        cast.client.nhs_number,
        "943 476 5919",
        cast.other_client_same_team.given_name,
        "O&#x27;Neill",
        "O'Neill",
        cast.client.postcode,
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = [word for word in identity if word and word in html]
        assert not found, f"{url} shows {found}"
        # No link into a client's record either.
        assert not re.search(r"/clients/[0-9a-f-]{36}", html), url


def test_the_coach_home_lists_each_team_with_its_trend_in_a_fixed_number_of_queries(
    client: HttpClient, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.coach)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("coach-home")).content.decode()
    assert "Riverside" in html
    assert reverse("teamwork:trends", kwargs={"team_id": cast.team.id}) in html
    assert "Time with clients" in html
