import logging
import smtplib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from accounts import lockout
from accounts.addresses import client_address
from accounts.signals import client_ip, security_log

logger = logging.getLogger(__name__)

# The mails a password reset sends: the link to a known account, and the note to an address
# with no account (allauth sends one so that the two answers cannot be told apart).
RESET_MAILS = frozenset(("account/email/password_reset_key", "account/email/unknown_account"))


def _email(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")[:254]


def _reason(exc: OSError) -> str:
    """Why a mail was not sent, without the address (a refused recipient's text names it)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPException) or not exc.strerror:
        return type(exc).__name__
    return f"{type(exc).__name__}: {exc.strerror}"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up (people join through invitations), plain-English messages, and the
    lockout of accounts.lockout (in the database, per account and address) in place of
    allauth's, which counts per account in the cache: there, five wrong passwords from anyone
    locked the member out, and a Redis restart lifted every lock."""

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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """A reset mail that cannot be sent (the mail server is down or refuses it) is logged,
        not raised: the page answers as it does when the mail goes, so the person learns
        neither that mail failed nor whether the address has an account, and asks again
        later. The log names the request's address, not the email address."""
        if template_prefix not in RESET_MAILS:
            super().send_mail(template_prefix, email, context)
            return
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, smtplib.SMTPException) as exc:
            logger.error(
                "Password reset mail not sent (%s) for a request from %s: %s",
                template_prefix.rsplit("/", 1)[-1],
                client_ip(context.get("request") or getattr(self, "request", None)),
                _reason(exc),
            )

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's own rate limits (the sign-in page's `login`) count per the same address as
        every other limit and the lockout."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = _email(credentials)
        refusal = lockout.lockout_refusal(email=email, address=self.get_client_ip(request))
        if refusal:
            security_log.warning(
                "Sign-in refused (locked) for %r from %s", email, client_ip(request)
            )
            raise ValidationError(refusal, code="too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if user is not None:
            lockout.lockout_signed_in(
                email=_email(credentials), address=self.get_client_ip(request)
            )
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        lockout.lockout_failed(email=_email(credentials), address=self.get_client_ip(request))

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth calls this for each of the user's addresses after a successful password reset.
        lockout.lockout_clear(email=_email(credentials))
