"""Stamp each new session for the session rules; log every failed sign-in; sign devices out
when the password changes."""

import logging
import time
from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.addresses import client_address
from accounts.language import CHOSEN_ATTRIBUTE, language_activate, language_on_sign_in
from accounts.models import SessionEpoch
from accounts.tokens import tokens_revoke_all

security_log = logging.getLogger("careteams.security")

# Session keys (see accounts.middleware.SessionPolicyMiddleware).
SIGNED_IN_AT = "accounts.signed_in_at"
SEEN_AT = "accounts.seen_at"
EPOCH = "accounts.epoch"


def client_ip(request: HttpRequest | None) -> str:
    return client_address(request) or "-"


@receiver(user_logged_in, dispatch_uid="accounts-stamp-session")
def stamp_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    # Read afresh, not from facts cached on this user object: it may predate a "sign out
    # everywhere" made since.
    request.session[EPOCH] = (
        SessionEpoch.objects.filter(user_id=user.pk).values_list("epoch", flat=True).first() or 0
    )


@receiver(user_logged_in, dispatch_uid="accounts-language-on-sign-in")
def language_on_signing_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Their language from now on, on this device too: the cookie is set on the way out
    (accounts.middleware.LanguageCookieMiddleware) and outlives the session."""
    if request is None:
        return
    language = language_on_sign_in(request, user)
    language_activate(request, language)
    setattr(request, CHOSEN_ATTRIBUTE, language)


@receiver(user_login_failed, dispatch_uid="accounts-log-failed-sign-in")
def log_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    security_log.warning("Failed sign-in for %r from %s", email, client_ip(request))


@receiver(password_changed, dispatch_uid="accounts-password-changed-signs-devices-out")
@receiver(password_reset, dispatch_uid="accounts-password-reset-signs-devices-out")
@receiver(password_set, dispatch_uid="accounts-password-set-signs-devices-out")
def sign_devices_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A new password ends every device token (and its sockets): whoever had the old one may
    have signed a device in with it. (The token's password stamp catches other routes.)"""
    tokens_revoke_all(user_id=user.pk)
