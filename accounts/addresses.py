"""The client's address, the one key of every rate limit and lockout (sign-in page and API,
allauth's limits and ours, the lockout, device tokens' last use, the security log).

Behind the documented nginx every connection comes from the proxy, so REMOTE_ADDR is the same
for everyone: a limit keyed on it lets one stranger turn every member away. The address is
therefore read from the `X-Forwarded-For` entry that the nearest trusted proxy added
(`ALLAUTH_TRUSTED_PROXY_COUNT`, set from TRUSTED_PROXY_COUNT); with no proxy trusted the header
is anyone's to write and is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, or None when it cannot be told (no request, or not an IP)."""
    if request is None:
        return None
    proxies = int(getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0))
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    if proxies > 0 and hops:
        # Each trusted proxy appended the address it was reached from; entries to the left of
        # the outermost one's are the client's own to write. Fewer entries than proxies: the
        # request skipped an outer proxy, and the leftmost entry is still a proxy's.
        address = hops[-min(proxies, len(hops))]
    else:
        address = str(request.META.get("REMOTE_ADDR") or "")
    return _ip(address)


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
