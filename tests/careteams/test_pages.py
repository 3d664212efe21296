"""Signing in and out, each role's landing page, and the admin."""

import pytest
from django.contrib import admin
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import User
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def sign_in(client: HttpClient, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("login"), {"login": email, "password": password}, follow=True)


def test_the_sign_in_page_asks_for_email_and_password(client: HttpClient) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b'type="email"' in page.content
    assert b'autocomplete="current-password"' in page.content


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("nurse", "scheduling:my-day"),
        ("carer", "scheduling:my-day"),
        ("coach", "coach-home"),
        ("family", "family-home"),
        ("client_user", "family-home"),
    ],
)
def test_each_role_lands_on_its_own_page(
    client: HttpClient, cast: Cast, who: str, lands_on: str
) -> None:
    user: User = getattr(cast, who)
    response = sign_in(client, user.email)
    final_url, _ = response.redirect_chain[-1]  # type: ignore[attr-defined]
    args = [cast.team.id] if lands_on == "scheduling:my-day" else []
    assert final_url == reverse(lands_on, args=args)
    assert response.status_code == 200  # type: ignore[attr-defined]


def test_the_team_page_lists_the_members(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.carer)
    page = client.get(reverse("team-home", args=[cast.team.id]))
    assert "Siân Ellis" in page.content.decode()
    assert "Aoife Ní Bhriain" in page.content.decode()


def test_a_user_with_no_team_is_told_so(client: HttpClient, cast: Cast) -> None:
    response = sign_in(client, cast.outsider.email)
    assert b"not part of a team yet" in response.content  # type: ignore[attr-defined]


def test_a_wrong_password_is_refused_with_a_message(client: HttpClient, cast: Cast) -> None:
    response = sign_in(client, cast.nurse.email, "not the password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert b"Error:" in response.content  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client: HttpClient, cast: Cast) -> None:
    response = client.get(reverse("team-home", args=[cast.team.id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_of_another_team_gets_404_for_the_team_page(
    client: HttpClient, cast: Cast
) -> None:
    client.force_login(cast.other_nurse)
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 404


@pytest.mark.parametrize("who", ["family", "client_user", "outsider"])
def test_people_outside_the_team_get_404_for_the_team_page(
    client: HttpClient, cast: Cast, who: str
) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 404


def test_the_coach_may_open_the_team_page(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.coach)
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200


@pytest.mark.parametrize(("who", "page"), [("nurse", "coach-home"), ("nurse", "family-home")])
def test_doors_the_user_does_not_have_are_404(
    client: HttpClient, cast: Cast, who: str, page: str
) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse(page)).status_code == 404


def test_the_health_check_answers(client: HttpClient, db: None) -> None:
    assert client.get(reverse("healthz")).json()["status"] == "ok"


def test_pages_forbid_framing_and_inline_scripts(client: HttpClient, cast: Cast) -> None:
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("admin@example.test", PASSWORD)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label_lower)
def test_every_model_has_a_working_admin_list(
    client: HttpClient,
    cast: Cast,
    superuser: User,
    model: type,
    django_assert_max_num_queries: object,
) -> None:
    client.force_login(superuser)
    meta = model._meta  # type: ignore[attr-defined]
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert add.status_code in {200, 403}


def test_the_admin_search_finds_a_client_by_nhs_number(
    client: HttpClient, cast: Cast, superuser: User
) -> None:
    client.force_login(superuser)
    page = client.get(reverse("admin:clients_client_changelist"), {"q": "9434765919"})
    assert "Llŷr" in page.content.decode()
