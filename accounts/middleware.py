"""Session rules for staff, and two-factor authentication before anything else.

Both read facts loaded with the user (accounts.backends), so they cost no queries of their own.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from accounts import policy
from accounts.language import CHOSEN_ATTRIBUTE, language_cookie_set
from accounts.signals import EPOCH, SEEN_AT, SIGNED_IN_AT
from careteams.models import User

# Rewriting the session on every request would cost a write each time; a minute is precise
# enough for an idle limit counted in tens of minutes.
SEEN_AT_GRANULARITY = 60


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_htmx(request: HttpRequest) -> bool:
    # Read the header: django-htmx's middleware runs after these.
    return request.headers.get("HX-Request") == "true"


def _to_sign_in(request: HttpRequest, message: str) -> HttpResponse:
    """Signs out and sends the person to the sign-in page, back to where they were after."""
    logout(request)
    messages.warning(request, message)
    target = reverse("login")
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    if _is_htmx(request):
        return HttpResponseClientRedirect(target)
    return HttpResponseRedirect(target)


class SessionPolicyMiddleware:
    """Ends a session signed out from another device (its epoch is behind the user's), and
    staff sessions idle for SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            refused = self._refusal(request, user)
            if refused:
                if _is_api(request):
                    # The API answers for itself (401); never redirect a machine to a page.
                    logout(request)
                else:
                    return _to_sign_in(request, refused)
        return self.get_response(request)

    def _refusal(self, request: HttpRequest, user: User) -> str:
        session = request.session
        now = int(time.time())
        session.setdefault(SIGNED_IN_AT, now)
        refused = session_refusal(session, user, now=now)
        if not refused and (now - session.get(SEEN_AT, 0) >= SEEN_AT_GRANULARITY):
            session[SEEN_AT] = now
        return refused


def session_refusal(session: Any, user: User, *, now: int | None = None) -> str:
    """Why this session may no longer act for the user ("" when it may). Also used by the
    WebSocket consumer, which holds a session for as long as a page stays open."""
    now = int(time.time()) if now is None else now
    if session.get(EPOCH, 0) != policy.session_epoch(user):
        return gettext("You were signed out of this device from another device. Sign in again.")
    if not policy.is_staff(user):
        return ""
    signed_in_at = session.get(SIGNED_IN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    idle_minutes = settings.SESSION_IDLE_MINUTES
    max_hours = settings.SESSION_MAX_HOURS
    if now - seen_at > idle_minutes * 60:
        return gettext(
            "You were signed out after %(minutes)s minutes without activity, to keep records "
            "safe. Sign in again."
        ) % {"minutes": idle_minutes}
    if now - signed_in_at > max_hours * 3600:
        return gettext(
            "You were signed out because you signed in more than %(hours)s hours ago."
        ) % {"hours": max_hours}
    return ""


class MFARequiredMiddleware:
    """With MFA_REQUIRED_FOR_STAFF on, staff without an authenticator app see only the pages
    that set one up (and sign-out) until they have one."""

    ALLOWED_URL_NAMES = frozenset(
        {"logout", "account_logout", "account_reauthenticate", "healthz", "language-set"}
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: Any,
        kwargs: Any,
    ) -> HttpResponse | None:
        if _is_api(request):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.url_name if match else ""
        if name and (name in self.ALLOWED_URL_NAMES or name.startswith("mfa_")):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not policy.second_factor_missing(user):
            return None
        messages.info(
            request,
            gettext(
                "Set up two-factor authentication to continue: staff accounts open health "
                "records, so a password alone is not enough."
            ),
        )
        target = reverse("mfa_activate_totp")
        if _is_htmx(request):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)


class LanguageCookieMiddleware:
    """Sets the language cookie a sign-in chose (accounts.signals.language_on_signing_in): the
    signal has no response to set it on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if language := getattr(request, CHOSEN_ATTRIBUTE, None):
            language_cookie_set(response, language)
        return response
