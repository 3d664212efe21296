"""The lockout a stranger cannot turn against a member: failures count per account and address
together, the account as a whole only slows down (and not for a second factor or a reset), and
it is kept in the database, so a cache clear, a Redis restart or outage changes nothing."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import SignInFailures
from tests.accounts.helpers import sign_in
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
MEMBER = "198.51.100.7"


def attempt(email: str, password: str, address: str) -> HttpClient:
    client = HttpClient(REMOTE_ADDR=address)
    sign_in(client, email, password)
    return client


def signed_in(client: HttpClient) -> bool:
    return "_auth_user_id" in client.session


def api_sign_in(email: str, password: str, address: str) -> int:
    body = {"email": email, "password": password, "device_name": "Phone"}
    response = HttpClient().post(
        "/api/v1/auth/sign-in", body, content_type="application/json", REMOTE_ADDR=address
    )
    return int(response.status_code)


def lock_out_from_the_attackers_address(email: str) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        assert not signed_in(attempt(email, "wrong password", ATTACKER))


def test_wrong_passwords_from_one_address_do_not_stop_the_member_elsewhere(cast: Cast) -> None:
    lock_out_from_the_attackers_address(cast.nurse.email)
    assert signed_in(attempt(cast.nurse.email, PASSWORD, MEMBER))


def test_the_attackers_address_is_locked_even_with_the_right_password(cast: Cast) -> None:
    lock_out_from_the_attackers_address(cast.nurse.email)
    client = HttpClient(REMOTE_ADDR=ATTACKER)
    page = sign_in(client, cast.nurse.email).content.decode()
    assert not signed_in(client)
    assert "locked after too many failed sign-in attempts" in page


def test_the_api_shares_the_lockout_per_account_and_address(cast: Cast) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        assert api_sign_in(cast.carer.email, "wrong", ATTACKER) == 401
    assert api_sign_in(cast.carer.email, PASSWORD, ATTACKER) == 429
    assert api_sign_in(cast.carer.email, PASSWORD, MEMBER) == 201
    assert signed_in(attempt(cast.carer.email, PASSWORD, MEMBER))
    assert not signed_in(attempt(cast.carer.email, PASSWORD, ATTACKER))


def test_a_lockout_survives_a_cache_clear(cast: Cast) -> None:
    lock_out_from_the_attackers_address(cast.nurse.email)
    cache.clear()  # what a Redis restart does
    assert not signed_in(attempt(cast.nurse.email, PASSWORD, ATTACKER))
    assert SignInFailures.objects.filter(account=cast.nurse.email, address=ATTACKER).exists()


def test_the_lockout_needs_no_cache_at_all(cast: Cast, settings: object) -> None:
    # A Redis that is down: nothing listens on port 9.
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ATTACKER)
    adapter = get_adapter(request)
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):  # type: ignore[attr-defined]
        assert adapter.authenticate(request, email=cast.nurse.email, password="wrong") is None
    with pytest.raises(Exception, match="locked"):
        adapter.authenticate(request, email=cast.nurse.email, password=PASSWORD)


def test_the_whole_account_slows_down_after_many_failures_from_many_addresses(
    cast: Cast, settings: object
) -> None:
    settings.LOGIN_ACCOUNT_ATTEMPTS = 6  # type: ignore[attr-defined]
    for n in range(3):
        for _ in range(2):
            attempt(cast.nurse.email, "wrong password", f"203.0.113.{n}")
    client = HttpClient(REMOTE_ADDR=MEMBER)
    page = sign_in(client, cast.nurse.email).content.decode()
    assert not signed_in(client)
    assert "too many failed sign-ins to this account" in page
    assert "reset your password" in page


def test_a_member_with_a_second_factor_goes_on_to_the_code_while_the_account_is_slowed(
    cast: Cast, settings: object
) -> None:
    settings.LOGIN_ACCOUNT_ATTEMPTS = 6  # type: ignore[attr-defined]
    TOTP.activate(cast.nurse, generate_totp_secret())
    for n in range(3):
        for _ in range(2):
            attempt(cast.nurse.email, "wrong password", f"203.0.113.{n}")
    response = sign_in(HttpClient(REMOTE_ADDR=MEMBER), cast.nurse.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_password_reset_lifts_every_lock_on_the_account(cast: Cast) -> None:
    lock_out_from_the_attackers_address(cast.nurse.email)
    client = HttpClient(REMOTE_ADDR=ATTACKER)
    client.post(reverse("account_reset_password"), {"email": cast.nurse.email})
    [sent] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", str(sent.body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    new = "a quite different passphrase 42"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert not SignInFailures.objects.filter(account=cast.nurse.email).exists()
    assert signed_in(attempt(cast.nurse.email, new, ATTACKER))


def test_failures_for_unknown_addresses_are_counted_the_same_way(db: None) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        attempt("nobody@example.test", "guess", ATTACKER)
    client = HttpClient(REMOTE_ADDR=ATTACKER)
    assert "locked" in sign_in(client, "nobody@example.test", "guess").content.decode()
