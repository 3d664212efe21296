"""Signing in by email through allauth, the lockout after repeated failures, and the log."""

import logging

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from careteams.models import User
from tests.accounts.helpers import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_a_nurse_signs_in_with_email_and_password(client: HttpClient, cast: Cast) -> None:
    response = sign_in(client, cast.nurse.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.nurse.pk)


def test_the_email_address_is_not_case_sensitive(client: HttpClient, cast: Cast) -> None:
    sign_in(client, cast.nurse.email.upper())
    assert client.session["_auth_user_id"] == str(cast.nurse.pk)


def test_the_sign_in_page_keeps_its_labels_and_a_password_reset_link(
    client: HttpClient, db: None
) -> None:
    page = client.get(reverse("login")).content.decode()
    assert ">Email address<" in page
    assert ">Password<" in page
    assert ">Sign in</button>" in page
    assert reverse("account_reset_password") in page


def test_there_is_no_open_sign_up(client: HttpClient, db: None) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert b"closed" in response.content.lower() or response.status_code in {403, 404}
    assert not User.objects.filter(email="new@example.test").exists()


def test_a_failed_sign_in_is_logged_with_the_email_and_ip(
    client: HttpClient, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="careteams.security"):
        sign_in(client, cast.nurse.email, "wrong password", REMOTE_ADDR="203.0.113.9")
    [record] = [r for r in caplog.records if r.name == "careteams.security"]
    assert cast.nurse.email in record.getMessage()
    assert "203.0.113.9" in record.getMessage()
    assert "wrong password" not in record.getMessage()


def test_after_repeated_failures_even_the_right_password_is_refused(
    client: HttpClient, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        response = sign_in(client, cast.nurse.email, "wrong password")
        assert response.status_code == 200
    with caplog.at_level(logging.WARNING, logger="careteams.security"):
        response = sign_in(client, cast.nurse.email)
    page = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "locked after too many failed sign-in attempts" in page
    assert "<title>Error: Sign in" in page
    assert any("locked" in r.getMessage() for r in caplog.records)


def test_the_lockout_is_per_account(client: HttpClient, cast: Cast) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        sign_in(client, cast.nurse.email, "wrong password")
    sign_in(client, cast.carer.email)
    assert client.session["_auth_user_id"] == str(cast.carer.pk)


def test_a_successful_sign_in_does_not_count_towards_the_lockout(
    client: HttpClient, cast: Cast
) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS + 2):
        sign_in(HttpClient(), cast.nurse.email)
    sign_in(client, cast.nurse.email)
    assert client.session["_auth_user_id"] == str(cast.nurse.pk)
