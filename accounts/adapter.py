from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from accounts.signals import client_ip, security_log


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up (people join through invitations), plain-English messages, and a log
    line for every sign-in refused because the address is locked."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "Enter a correct email address and password. Both are case-sensitive."
        ),
        "too_many_login_attempts": (
            "This account is locked after too many failed sign-in attempts. Try again in "
            f"{settings.LOGIN_LOCKOUT_MINUTES} minutes, or reset your password."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            email = str(credentials.get("email") or credentials.get("username") or "")[:254]
            security_log.warning(
                "Sign-in refused (locked) for %r from %s", email, client_ip(request)
            )
            raise
