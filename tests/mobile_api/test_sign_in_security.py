"""A device token is a full sign-in: the second factor where the account has one, and the same
lockout as the sign-in page."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings

from tests.accounts.helpers import totp_code
from tests.conftest import PASSWORD, Cast
from tests.mobile_api.conftest import Api, is_problem

pytestmark = pytest.mark.django_db


def sign_in(api: Api, email: str, password: str = PASSWORD, code: str | None = None) -> object:
    body = {"email": email, "password": password, "device_name": "Siân's tablet"}
    if code is not None:
        body["code"] = code
    return api.post("/auth/sign-in", body)


def test_an_account_with_two_factor_needs_the_code_for_a_device_token(
    anonymous: Api, cast: Cast
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.nurse, secret)
    problem = is_problem(sign_in(anonymous, cast.nurse.email), 401)
    assert problem["errors"][0]["field"] == "code"
    is_problem(sign_in(anonymous, cast.nurse.email, code="000000"), 401)
    response = sign_in(anonymous, cast.nurse.email, code=totp_code(secret))
    assert response.status_code == 201  # type: ignore[attr-defined]


def test_a_recovery_code_also_signs_a_device_in(anonymous: Api, cast: Cast) -> None:
    TOTP.activate(cast.nurse, generate_totp_secret())
    codes = RecoveryCodes.activate(cast.nurse).get_unused_codes()
    response = sign_in(anonymous, cast.nurse.email, code=codes[0])
    assert response.status_code == 201  # type: ignore[attr-defined]


def test_an_account_without_two_factor_signs_in_with_the_password_alone(
    anonymous: Api, cast: Cast
) -> None:
    assert sign_in(anonymous, cast.carer.email).status_code == 201  # type: ignore[attr-defined]


def test_after_repeated_failures_even_the_right_password_is_refused(
    anonymous: Api, cast: Cast
) -> None:
    for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
        is_problem(sign_in(anonymous, cast.carer.email, password="wrong"), 401)
    problem = is_problem(sign_in(anonymous, cast.carer.email), 429)
    assert "locked" in problem["detail"]


def test_a_sign_in_whose_client_address_is_unknown_is_refused_with_a_problem(
    anonymous: Api, cast: Cast
) -> None:
    response = anonymous.client.post(
        "/api/v1/auth/sign-in",
        data={"email": cast.carer.email, "password": PASSWORD, "device_name": "x"},
        content_type="application/json",
        REMOTE_ADDR="",
    )
    problem = is_problem(response, 403)
    assert "IP address" in problem["detail"]
