"""One-time tickets that let a mobile app open a WebSocket without putting its token in a URL.

The app asks the API for a ticket (with its device token in a header), then connects to
/ws/teams/<team>/?ticket=…. A ticket lives 60 seconds and opens one socket. Tickets live in the
shared cache, so any worker may redeem one issued by another (Redis in production).
"""

import secrets
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from careteams.models import User

TICKET_SECONDS = 60
_PREFIX = "ws-ticket:"


@dataclass(frozen=True)
class Redeemed:
    user: User
    # The device token the ticket was asked for with: the socket closes when it stops working.
    device_id: uuid.UUID | None


def ticket_issue(*, user: User, device_id: uuid.UUID | None = None) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_PREFIX + ticket, f"{user.pk} {device_id or ''}".strip(), TICKET_SECONDS)
    return ticket


def ticket_redeem(*, ticket: str) -> Redeemed | None:
    """The ticket's user (and device), once: a second redeem of the same ticket finds nothing."""
    if not ticket or len(ticket) > 100:
        return None
    key = _PREFIX + ticket
    value = cache.get(key)
    # delete() reports whether this call removed the key, so only one redeemer wins a race.
    if value is None or not cache.delete(key):
        return None
    user_id, _, device_id = str(value).partition(" ")
    user = User.objects.filter(pk=uuid.UUID(user_id), is_active=True).first()
    if user is None:
        return None
    return Redeemed(user, uuid.UUID(device_id) if device_id else None)
