"""Who is calling, and how often: bearer device tokens and fixed-window rate limits."""

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from accounts import policy
from accounts.addresses import client_address
from accounts.language import language_activate
from accounts.tokens import token_user
from careteams.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Overridable in settings: (requests, seconds) per window.
DEFAULT_LIMITS = {"API_SIGN_IN_RATE": (10, 60), "API_WRITE_RATE": (300, 60)}


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. Sets request.user too, so that everything downstream
    (selectors, services, the audit of reads) sees the same user as a page would."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_user(token=token, address=client_address(request))
        if found is None:
            return None
        user, device = found
        request.user = user
        request.device = device  # type: ignore[attr-defined]
        # A device sends no language cookie: its user's own setting, else Accept-Language.
        if user.language:
            language_activate(request, user.language)
        return user


class PageSessionAuth(SessionAuth):
    """The signed-in page session, with its CSRF token (`X-CSRFToken`), for the web app's
    offline store on the tablet (tablet/): the same sync endpoints as a device, no second way
    in. A session is only signed in after its second factor, and staff who must set one up
    first get nothing here either, as on the pages (accounts.middleware)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        if policy.second_factor_missing(user):
            return None
        return user


def user_of(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def client_ip(request: HttpRequest) -> str:
    """The rate limits' key: the trusted client address (accounts.addresses), never the
    proxy's."""
    return client_address(request) or "unknown"


class FixedWindow(BaseThrottle):
    """At most N requests per window of S seconds per key, counted in the shared cache (Redis
    in production, so every worker counts together). Simple on purpose: a burst of 2N across a
    window boundary is possible and acceptable."""

    setting = ""
    scope = ""

    def __init__(self) -> None:
        self.retry_after = 1.0

    def limit(self) -> tuple[int, int]:
        count, seconds = getattr(settings, self.setting, DEFAULT_LIMITS[self.setting])
        return int(count), int(seconds)

    def key(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.key(request)
        if ident is None:
            return True
        count, seconds = self.limit()
        now = time.time()
        window = int(now // seconds)
        cache_key = f"api-rate:{self.scope}:{ident}:{window}"
        cache.add(cache_key, 0, seconds + 1)
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, seconds + 1)
            used = 1
        self.retry_after = max(1.0, (window + 1) * seconds - now)
        return used <= count

    def wait(self) -> float | None:
        return float(math.ceil(self.retry_after))


class SignInRate(FixedWindow):
    setting = "API_SIGN_IN_RATE"
    scope = "sign-in"

    def key(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class WriteRate(FixedWindow):
    setting = "API_WRITE_RATE"
    scope = "write"

    def key(self, request: HttpRequest) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        user: Any = getattr(request, "auth", None)
        return f"user:{user.pk}" if user is not None else f"ip:{client_ip(request)}"
