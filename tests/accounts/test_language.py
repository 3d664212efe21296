"""The language a person chooses (issue 30): the switch on every page, kept on the person and
in a cookie that outlives the session; their team's language until they choose; the API's."""

from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from accounts.tokens import token_issue
from careteams import dates, limits
from careteams.models import Language
from tests.accounts.helpers import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _switch(client: HttpClient, language: str, next_url: str = "/") -> Any:
    return client.post(reverse("language-set"), {"language": language, "next": next_url})


def _lang_of(page: bytes) -> str:
    head = page.decode()
    start = head.index('<html lang="') + len('<html lang="')
    return head[start : head.index('"', start)]


def test_a_person_switches_to_cymraeg_and_it_is_saved_and_survives_sign_out_and_sign_in(
    client: HttpClient, cast: Cast
) -> None:
    sign_in(client, cast.carer.email)
    response = _switch(client, Language.WELSH, reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    cookie = response.cookies[COOKIE]
    assert cookie.value == "cy"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    cast.carer.refresh_from_db()
    assert cast.carer.language == "cy"

    client.post(reverse("logout"))
    assert _lang_of(client.get(reverse("login")).content) == "cy"

    # On another device (no cookie), signing in brings the setting back.
    elsewhere = HttpClient()
    signed_in = sign_in(elsewhere, cast.carer.email)
    assert signed_in.cookies[COOKIE].value == "cy"
    assert _lang_of(elsewhere.get(reverse("home"), follow=True).content) == "cy"


def test_switching_when_signed_out_sets_only_the_cookie(client: HttpClient, cast: Cast) -> None:
    response = _switch(client, Language.WELSH, reverse("login"))
    assert response.cookies[COOKIE].value == "cy"
    assert _lang_of(client.get(reverse("login")).content) == "cy"


def test_an_unsafe_next_is_refused_and_the_person_goes_home(client: HttpClient, cast: Cast) -> None:
    for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = _switch(client, Language.WELSH, unsafe)
        assert response.status_code == 302
        assert response["Location"] == reverse("home")


def test_an_unknown_language_is_a_clear_400(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.carer.email)
    response = _switch(client, "fr")
    assert response.status_code == 400
    assert COOKIE not in response.cookies
    cast.carer.refresh_from_db()
    assert cast.carer.language == ""


def test_the_switch_is_a_post_only(client: HttpClient, db: None) -> None:
    assert client.get(reverse("language-set")).status_code == 405


def test_the_teams_language_applies_to_a_member_with_no_setting(
    client: HttpClient, cast: Cast
) -> None:
    cast.team.language = Language.WELSH
    cast.team.save(update_fields=["language"])
    response = sign_in(client, cast.carer.email)
    assert response.cookies[COOKIE].value == "cy"


def test_the_persons_own_setting_wins_over_the_teams(client: HttpClient, cast: Cast) -> None:
    cast.team.language = Language.WELSH
    cast.team.save(update_fields=["language"])
    cast.carer.language = Language.ENGLISH
    cast.carer.save(update_fields=["language"])
    assert sign_in(client, cast.carer.email).cookies[COOKIE].value == "en-gb"


def test_a_family_member_gets_the_language_of_their_clients_team(
    client: HttpClient, cast: Cast
) -> None:
    cast.team.language = Language.WELSH
    cast.team.save(update_fields=["language"])
    assert sign_in(client, cast.family.email).cookies[COOKIE].value == "cy"


@pytest.mark.parametrize("name", ["login", "home", "account-security"])
def test_the_switch_and_the_lang_attribute_are_on_every_kind_of_page(
    client: HttpClient, cast: Cast, name: str
) -> None:
    if name != "login":
        sign_in(client, cast.carer.email)
    client.cookies[COOKIE] = "cy"
    page = client.get(reverse(name), follow=True).content
    assert _lang_of(page) == "cy"
    text = page.decode()
    assert f'action="{reverse("language-set")}"' in text
    assert 'lang="en-gb">English</button>' in text
    assert 'lang="cy" aria-current="true">Cymraeg<' in text


def test_a_missing_page_is_in_the_chosen_language_too(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.carer.email)
    client.cookies[COOKIE] = "cy"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _lang_of(response.content) == "cy"


def test_the_api_gives_welsh_problem_titles_to_accept_language_cy(
    client: HttpClient, db: None
) -> None:
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 401
    assert response.json()["title"] == "Heb fewngofnodi"
    assert client.get("/api/v1/me").json()["title"] == "Not signed in"


def test_a_devices_user_setting_wins_over_accept_language(client: HttpClient, cast: Cast) -> None:
    token = token_issue(user=cast.carer, name="Tablet").token
    missing = f"/api/v1/clients/{cast.other_team_client.id}"
    auth = f"Bearer {token}"
    welsh = client.get(missing, HTTP_ACCEPT_LANGUAGE="cy", HTTP_AUTHORIZATION=auth)
    assert welsh.status_code == 404
    assert welsh.json()["title"] == "Heb ei ganfod"
    cast.carer.language = Language.ENGLISH
    cast.carer.save(update_fields=["language"])
    english = client.get(missing, HTTP_ACCEPT_LANGUAGE="cy", HTTP_AUTHORIZATION=auth)
    assert english.json()["title"] == "Not found"


@pytest.mark.parametrize("name", ["413.html", "414.html", "500.html", "503.html"])
def test_the_stand_alone_error_pages_say_the_active_language(name: str) -> None:
    with translation.override("cy"):
        assert _lang_of(render_to_string(name).encode()) == "cy"
    with translation.override("en-gb"):
        assert _lang_of(render_to_string(name).encode()) == "en-gb"


def test_the_api_gives_welsh_details_too_and_a_refused_sign_in_in_welsh(
    client: HttpClient, cast: Cast
) -> None:
    unsigned = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="cy").json()
    assert unsigned["detail"].startswith("Mewngofnodwch: anfonwch 'Authorization: Bearer")
    refused = client.post(
        "/api/v1/auth/sign-in",
        {"email": cast.carer.email, "password": "not the password", "device_name": "Tablet"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="cy",
    )
    assert refused.status_code == 401
    assert refused.json()["title"] == "Heb fewngofnodi"
    assert refused.json()["detail"] == "Nid yw'r cyfeiriad e-bost neu'r cyfrinair yn gywir."


def test_a_welsh_devices_refusals_are_welsh_whatever_its_accept_language(
    client: HttpClient, cast: Cast
) -> None:
    cast.carer.language = Language.WELSH
    cast.carer.save(update_fields=["language"])
    token = token_issue(user=cast.carer, name="Tablet").token
    missing = client.get(
        f"/api/v1/clients/{cast.other_team_client.id}",
        HTTP_ACCEPT_LANGUAGE="en-GB",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert (missing["title"], missing["detail"]) == ("Heb ei ganfod", "Heb ei ganfod")


def test_the_sign_in_page_and_the_team_home_in_cymraeg(client: HttpClient, cast: Cast) -> None:
    client.cookies[COOKIE] = "cy"
    page = client.get(reverse("login")).content.decode()
    assert "<h1>Mewngofnodi</h1>" in page
    assert "Neidio i'r prif gynnwys" in page
    sign_in(client, cast.carer.email)
    client.cookies[COOKIE] = "cy"
    home = client.get(reverse("team-home", kwargs={"team_id": cast.team.id})).content.decode()
    # Django's own Welsh names of days and months, in Welsh sentences.
    assert "Heddiw, Dydd " in home
    assert "Aelodau" in home


def test_the_shared_refusals_speak_the_active_language() -> None:
    with translation.override("cy"):
        assert dates.out_of_range() == "Rhowch ddyddiad yn y blynyddoedd 1900 i 2199."
        assert limits.too_long(2000) == "Cadwch hyn i 2,000 nod neu lai."
    assert dates.out_of_range() == dates.OUT_OF_RANGE
