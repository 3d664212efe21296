"""Every rate limit and lockout counts per the same trusted client address: the forwarded one
behind the proxies that settings trust, the connection's own otherwise (issue 23). Behind the
documented nginx every request comes from the proxy, so a limit keyed on REMOTE_ADDR let ten
bad sign-ins from anywhere turn every member away."""

import time
import types
from typing import Any

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.test import Client as HttpClient
from django.test import RequestFactory

from accounts.adapter import AccountAdapter
from accounts.addresses import client_address
from mobile_api import security
from tests.accounts.helpers import sign_in
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.66"
MEMBER = "198.51.100.7"


@pytest.fixture(autouse=True)
def one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """All attempts fall in one rate window (ours and allauth's), whenever the test runs."""
    frozen = types.SimpleNamespace(
        time=lambda: 1_800_000_030.0, monotonic=time.monotonic, sleep=time.sleep
    )
    monkeypatch.setattr(security, "time", frozen)
    monkeypatch.setattr(allauth_ratelimit, "time", frozen)
    cache.clear()


def api_sign_in(email: str, password: str, forwarded_for: str) -> int:
    body = {"email": email, "password": password, "device_name": "Phone"}
    response = HttpClient().post(
        "/api/v1/auth/sign-in",
        body,
        content_type="application/json",
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": forwarded_for},
    )
    return int(response.status_code)


def test_behind_the_proxy_one_address_spending_its_sign_in_limit_does_not_block_another(
    cast: Cast, settings: Any
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.API_SIGN_IN_RATE = (3, 60)
    for _ in range(3):
        assert api_sign_in(cast.nurse.email, "wrong", ATTACKER) == 401
    assert api_sign_in(cast.nurse.email, "wrong", ATTACKER) == 429
    assert api_sign_in(cast.nurse.email, PASSWORD, MEMBER) == 201


def test_only_the_entry_the_trusted_proxy_added_counts(cast: Cast, settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.API_SIGN_IN_RATE = (3, 60)
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert api_sign_in(cast.nurse.email, "wrong", f"{forged}, {ATTACKER}") == 401
    assert api_sign_in(cast.nurse.email, "wrong", f"192.0.2.4, {ATTACKER}") == 429


def test_without_a_trusted_proxy_a_forged_forwarded_header_is_not_believed(
    cast: Cast, settings: Any
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.API_SIGN_IN_RATE = (3, 60)
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert api_sign_in(cast.nurse.email, "wrong", forged) == 401
    assert api_sign_in(cast.nurse.email, "wrong", "192.0.2.4") == 429


def test_the_page_sign_in_limit_counts_per_forwarded_address(cast: Cast, settings: Any) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    attacker = HttpClient(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": ATTACKER})
    for _ in range(3):
        sign_in(attacker, cast.nurse.email, "wrong password")
    assert sign_in(attacker, cast.nurse.email, "wrong password").status_code == 429
    member = HttpClient(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": MEMBER})
    sign_in(member, cast.nurse.email)
    assert "_auth_user_id" in member.session


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.9"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.1, 198.51.100.7", "192.0.2.1"),
        (1, "", "10.0.0.9"),
        (1, "not an address", None),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    settings: Any, proxies: int, forwarded: str, expected: str | None
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", headers=headers)
    assert client_address(request) == expected
    assert security.client_ip(request) == (expected or "unknown")
    if expected is not None:
        assert AccountAdapter(request).get_client_ip(request) == expected
