"""Device tokens are a full sign-in that can be managed: two-factor holds at the API's door,
tokens end with time, with a new password, with "sign out of all other devices" and with a
click on the Security page."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import DeviceToken
from careteams.models import User
from tests.accounts.helpers import totp_code
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a quite different passphrase 42"


def sign_in(email: str, code: str | None = None, address: str = "127.0.0.1") -> object:
    body = {"email": email, "password": PASSWORD, "device_name": "Ward phone"}
    if code is not None:
        body["code"] = code
    return Api().client.post(
        "/api/v1/auth/sign-in", body, content_type="application/json", REMOTE_ADDR=address
    )


def web(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def works(api: Api) -> bool:
    status = api.get("/me").status_code
    assert status in (200, 401)
    return bool(status == 200)


# Two-factor at the API's door ----------------------------------------------------------------


def test_staff_without_an_authenticator_cannot_sign_a_device_in_when_mfa_is_required(
    cast: Cast, settings: object
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    for person in (cast.nurse, cast.carer, cast.coach):
        problem = is_problem(sign_in(person.email), 403)
        assert "set up an authenticator app" in problem["detail"]
        assert "website" in problem["detail"]
    assert not DeviceToken.objects.exists()


def test_family_and_clients_sign_devices_in_with_a_password_when_mfa_is_required_for_staff(
    cast: Cast, settings: object
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    assert sign_in(cast.family.email).status_code == 201  # type: ignore[attr-defined]
    assert sign_in(cast.client_user.email).status_code == 201  # type: ignore[attr-defined]


def test_enrolled_staff_sign_a_device_in_with_a_code_when_mfa_is_required(
    cast: Cast, settings: object
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    secret = generate_totp_secret()
    TOTP.activate(cast.nurse, secret)
    is_problem(sign_in(cast.nurse.email), 401)
    response = sign_in(cast.nurse.email, code=totp_code(secret))
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert works(Api(response.json()["token"]))  # type: ignore[attr-defined]
    assert DeviceToken.objects.get(user=cast.nurse).with_second_factor


def test_a_staff_token_issued_without_a_code_stops_when_mfa_becomes_required(
    cast: Cast, api_as: Callable[[User], Api], settings: object
) -> None:
    nurse, family = api_as(cast.nurse), api_as(cast.family)
    assert works(nurse)
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    assert not works(nurse)
    assert works(family)


def test_a_token_issued_with_the_password_alone_stops_once_the_account_has_two_factor(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    family = api_as(cast.family)
    TOTP.activate(cast.family, generate_totp_secret())
    assert not works(family)


def test_removing_the_authenticator_ends_a_staff_token_when_mfa_is_required(
    cast: Cast, settings: object
) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True  # type: ignore[attr-defined]
    secret = generate_totp_secret()
    totp = TOTP.activate(cast.nurse, secret)
    nurse = Api(sign_in(cast.nurse.email, code=totp_code(secret)).json()["token"])  # type: ignore[attr-defined]
    assert works(nurse)
    totp.instance.delete()
    assert not works(nurse)


# A new password, sign out everywhere -------------------------------------------------------


def test_a_token_is_dead_after_a_password_change_on_the_web(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    phone = api_as(cast.carer)
    client = web(cast.carer)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content
    assert not works(phone)
    assert DeviceToken.objects.get(user=cast.carer).revoked_at is not None


def test_a_token_is_dead_after_a_password_reset(cast: Cast, api_as: Callable[[User], Api]) -> None:
    phone = api_as(cast.carer)
    client = HttpClient()
    client.post(reverse("account_reset_password"), {"email": cast.carer.email})
    [sent] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", str(sent.body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302, response.content
    assert not works(phone)


def test_a_password_changed_some_other_way_ends_the_token_too(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    phone = api_as(cast.carer)
    cast.carer.set_password(NEW_PASSWORD)
    cast.carer.save()  # the admin or a management command: no allauth signal
    assert not works(phone)
    assert DeviceToken.objects.get(user=cast.carer).revoked_at is not None


def test_rotating_the_secret_key_with_the_old_one_as_fallback_keeps_devices_signed_in(
    cast: Cast, api_as: Callable[[User], Api], settings: object
) -> None:
    phone = api_as(cast.carer)
    old = settings.SECRET_KEY  # type: ignore[attr-defined]
    settings.SECRET_KEY = "a fresh secret key for this test " * 2  # type: ignore[attr-defined]
    settings.SECRET_KEY_FALLBACKS = [old]  # type: ignore[attr-defined]
    assert works(phone)


def test_sign_out_of_all_other_devices_ends_every_token(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    phone, tablet, colleague = api_as(cast.carer), api_as(cast.carer), api_as(cast.nurse)
    web(cast.carer).post(reverse("sign-out-other-devices"))
    assert not works(phone)
    assert not works(tablet)
    assert works(colleague)


# Lifetimes ---------------------------------------------------------------------------------


REAL_NOW = timezone.now


def later(monkeypatch: pytest.MonkeyPatch, **delta: float) -> None:
    """Moves the clock to this long after the real now."""
    then = REAL_NOW() + dt.timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: then)


def test_a_token_unused_for_its_idle_lifetime_ends(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = api_as(cast.carer)
    later(monkeypatch, days=settings.DEVICE_TOKEN_IDLE_DAYS, minutes=1)
    assert not works(phone)


def test_using_a_token_keeps_it_alive_until_its_absolute_lifetime(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = api_as(cast.carer)
    idle, most = settings.DEVICE_TOKEN_IDLE_DAYS, settings.DEVICE_TOKEN_MAX_DAYS
    day = 0.0
    while day + idle - 1 < most:
        day += idle - 1
        later(monkeypatch, days=day)
        assert works(phone), f"day {day}"
    later(monkeypatch, days=most, minutes=1)
    assert not works(phone)


def test_last_use_and_address_are_written_at_most_once_a_minute(
    cast: Cast, api_as: Callable[[User], Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = api_as(cast.carer)
    stored = DeviceToken.objects.get(user=cast.carer)
    later(monkeypatch, seconds=30)
    phone.client.get("/api/v1/me", headers=phone._headers(None), REMOTE_ADDR="198.51.100.7")
    assert DeviceToken.objects.get(pk=stored.pk).last_used_at == stored.last_used_at
    later(monkeypatch, seconds=90)
    phone.client.get("/api/v1/me", headers=phone._headers(None), REMOTE_ADDR="198.51.100.7")
    touched = DeviceToken.objects.get(pk=stored.pk)
    assert touched.last_used_at > stored.last_used_at  # type: ignore[operator]
    assert touched.last_used_ip == "198.51.100.7"


# The Security page -------------------------------------------------------------------------


def test_the_security_page_lists_the_apps_devices_with_last_use_and_address(
    cast: Cast,
) -> None:
    sign_in(cast.carer.email, address="203.0.113.20")
    page = web(cast.carer).get(reverse("account-security")).content.decode()
    assert "Ward phone" in page
    assert "203.0.113.20" in page
    assert "Last used" in page


def test_a_device_signed_out_from_the_security_page_stops_working(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    phone, tablet = api_as(cast.carer), api_as(cast.carer)
    device = DeviceToken.objects.filter(user=cast.carer).order_by("created_at").first()
    assert device is not None
    client = web(cast.carer)
    url = reverse("device-sign-out", kwargs={"device_id": device.id})
    confirm = client.get(url).content.decode()
    assert "will stop opening careteams" in confirm
    assert "csrfmiddlewaretoken" in confirm
    response = client.post(url, follow=True)
    assert "is signed out" in response.content.decode()
    assert not works(phone)
    assert works(tablet)


def test_the_device_sign_out_needs_the_csrf_token(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    phone = api_as(cast.carer)
    device = DeviceToken.objects.get(user=cast.carer)
    client = HttpClient(enforce_csrf_checks=True)
    client.force_login(cast.carer)
    response = client.post(reverse("device-sign-out", kwargs={"device_id": device.id}))
    assert response.status_code == 403
    assert works(phone)


def test_another_persons_device_is_not_found_on_the_security_page(
    cast: Cast, api_as: Callable[[User], Api]
) -> None:
    nurse_phone = api_as(cast.nurse)
    device = DeviceToken.objects.get(user=cast.nurse)
    client = web(cast.carer)
    url = reverse("device-sign-out", kwargs={"device_id": device.id})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert "Test tablet" not in client.get(reverse("account-security")).content.decode()
    assert works(nurse_phone)
