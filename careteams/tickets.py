"""One-time tickets that let a mobile app open a WebSocket without putting its token in a URL.

The app asks the API for a ticket (with its device token in a header), then connects to
/ws/teams/<team>/?ticket=…. A ticket lives 60 seconds and opens one socket. Tickets live in the
shared cache, so any worker may redeem one issued by another (Redis in production).
"""

import secrets
import uuid

from django.core.cache import cache

from careteams.models import User

TICKET_SECONDS = 60
_PREFIX = "ws-ticket:"


def ticket_issue(*, user: User) -> str:
    ticket = secrets.token_urlsafe(32)
    cache.set(_PREFIX + ticket, str(user.pk), TICKET_SECONDS)
    return ticket


def ticket_redeem(*, ticket: str) -> User | None:
    """The ticket's user, once: a second redeem of the same ticket finds nothing."""
    if not ticket or len(ticket) > 100:
        return None
    key = _PREFIX + ticket
    user_id = cache.get(key)
    # delete() reports whether this call removed the key, so only one redeemer wins a race.
    if user_id is None or not cache.delete(key):
        return None
    return User.objects.filter(pk=uuid.UUID(user_id), is_active=True).first()
