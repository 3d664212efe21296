"""Origin checking for sockets, by Django's CSRF rules: a browser's socket must come from this
site's own origin (scheme, host and port) or one in CSRF_TRUSTED_ORIGINS. Apps send no Origin.

Comparing the host alone (as Channels' AllowedHostsOriginValidator does) let a page on another
port or scheme of the same host, e.g. http://127.0.0.1:9999, ride the signed-in session.
"""

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]  # as Django's HttpRequest.get_host()
    return hosts


def _is_secure(scope: Scope) -> bool:
    if scope.get("scheme") == "wss":
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        meta_name, secure_value = proxy
        name = meta_name.removeprefix("HTTP_").lower().replace("_", "-").encode()
        forwarded = _header(scope, name)
        return forwarded is not None and forwarded.split(",")[0].strip() == secure_value
    return False


def origin_allowed(origin: str, scope: Scope) -> bool:
    """Django's CsrfViewMiddleware._origin_verified, for a socket's handshake."""
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    # A browser always sends Host; only a test harness may not. Then the origin's own host
    # stands in, on the default port of the socket's scheme (an explicit port never matches).
    host = _header(scope, b"host") or (parsed.hostname if parsed.port is None else None)
    if host:
        domain, _ = split_domain_port(host)
        if domain and validate_host(domain, _allowed_hosts()):
            scheme = "https" if _is_secure(scope) else "http"
            if origin == f"{scheme}://{host}":
                return True
    trusted = settings.CSRF_TRUSTED_ORIGINS
    if origin in {o for o in trusted if "*" not in o}:
        return True
    return any(
        is_same_domain(parsed.netloc, urlsplit(o).netloc.lstrip("*"))
        for o in trusted
        if "*" in o and urlsplit(o).scheme == parsed.scheme
    )


class BrowserOriginValidator:
    """A socket without an Origin header (a mobile app, which authenticates with a one-time
    ticket, not a cookie) is let through; a browser always sends Origin, so a page of another
    site, port or scheme still cannot ride the session cookie."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        origin = _header(scope, b"origin")
        if origin is None or origin_allowed(origin, scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
