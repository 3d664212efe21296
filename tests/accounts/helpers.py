import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client as HttpClient
from django.urls import reverse

from tests.conftest import PASSWORD


def sign_in(client: HttpClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(reverse("login"), {"login": email, "password": password}, **extra)


def totp_code(secret: str) -> str:
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // 30))  # allauth: untyped
    return code
