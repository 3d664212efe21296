"""Two-factor authentication: required for staff when MFA_REQUIRED_FOR_STAFF is on, optional
for family members and clients, and a notice to staff when it is off (the local demo)."""

import re
from typing import Any as SettingsWrapper

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client as HttpClient
from django.urls import reverse

from tests.accounts.helpers import sign_in, totp_code
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings: SettingsWrapper) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True


def set_up_totp(client: HttpClient) -> str:
    """Activates an authenticator app the way a person does: confirm the password again (allauth
    asks before any change to two-factor), read the secret, type a code."""
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret: str = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.mark.usefixtures("mfa_required")
def test_a_nurse_without_an_authenticator_is_sent_to_set_one_up(
    client: HttpClient, cast: Cast
) -> None:
    sign_in(client, cast.nurse.email)
    response = client.get(reverse("team-home", args=[cast.team.id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("who", ["nurse", "carer", "coach"])
def test_every_staff_page_waits_for_two_factor(client: HttpClient, cast: Cast, who: str) -> None:
    client.force_login(getattr(cast, who))
    for url in [reverse("home"), reverse("coach-home"), reverse("account-security")]:
        assert client.get(url)["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_after_setting_up_totp_the_pages_open(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.nurse.email)
    set_up_totp(client)
    assert Authenticator.objects.filter(user=cast.nurse, type="totp").exists()
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_the_next_sign_in_asks_for_a_code(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.nurse.email)
    secret = set_up_totp(client)
    client.post(reverse("logout"))

    response = sign_in(client, cast.nurse.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(cast.nurse.pk)
    assert client.get(reverse("team-home", args=[cast.team.id])).status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_a_staff_member_may_still_sign_out_and_use_the_api(client: HttpClient, cast: Cast) -> None:
    client.force_login(cast.nurse)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("logout"))["Location"] == reverse("login")


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("who", ["family", "client_user", "outsider"])
def test_family_and_clients_are_not_made_to_set_up_two_factor(
    client: HttpClient, cast: Cast, who: str
) -> None:
    client.force_login(getattr(cast, who))
    assert client.get(reverse("account-security")).status_code == 200
    response = client.get(reverse("home"))
    assert response.get("Location") != reverse("mfa_activate_totp")


def test_family_may_opt_in_from_the_security_page(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.family.email)
    page = client.get(reverse("account-security")).content.decode()
    assert reverse("mfa_activate_totp") in page
    assert "Optional for family members" in page
    set_up_totp(client)
    assert "On: you sign in with your password and a code" in (
        client.get(reverse("account-security")).content.decode()
    )


def test_with_two_factor_off_staff_see_the_demo_notice(
    client: HttpClient, cast: Cast, settings: SettingsWrapper
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(cast.nurse)
    page = client.get(reverse("team-home", args=[cast.team.id])).content.decode()
    assert "Two-factor authentication is off in this demo" in page


@pytest.mark.parametrize("who", ["family", "client_user"])
def test_family_and_clients_see_no_demo_notice(
    client: HttpClient, cast: Cast, settings: SettingsWrapper, who: str
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(getattr(cast, who))
    page = client.get(reverse("family-home"), follow=True).content.decode()
    assert "Two-factor authentication is off" not in page
    assert re.search(r"<h1>", page)
