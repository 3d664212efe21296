"""One-time tickets that let a mobile app open a WebSocket without putting its token in a URL.

The app asks the API for a ticket (with its device token in a header), then connects to
/ws/teams/<team>/?ticket=…. A ticket lives 60 seconds and opens one socket. Tickets are rows in
the database (only a hash of each), so any worker redeems one issued by another, with or
without Redis.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from careteams.hashing import token_hash, token_new
from careteams.models import SocketTicket, User

TICKET_SECONDS = 60


@dataclass(frozen=True)
class Redeemed:
    user: User
    # The device token the ticket was asked for with: the socket closes when it stops working.
    device_id: uuid.UUID | None


def ticket_issue(*, user: User, device_id: uuid.UUID | None = None) -> str:
    now = timezone.now()
    # Unredeemed tickets are swept here: they are few, and the index makes this cheap.
    SocketTicket.objects.filter(expires_at__lte=now).delete()
    ticket = token_new()
    SocketTicket.objects.create(
        digest=token_hash(ticket),
        user=user,
        device_id=device_id,
        expires_at=now + dt.timedelta(seconds=TICKET_SECONDS),
    )
    return ticket


def ticket_redeem(*, ticket: str) -> Redeemed | None:
    """The ticket's user (and device), once: a second redeem of the same ticket finds nothing."""
    if not ticket or len(ticket) > 100:
        return None
    digest = token_hash(ticket)
    found = (
        SocketTicket.objects.select_related("user")
        .filter(digest=digest, expires_at__gt=timezone.now())
        .first()
    )
    # The delete reports whether this call removed the row, so only one redeemer wins a race.
    if found is None or not SocketTicket.objects.filter(digest=digest).delete()[0]:
        return None
    return Redeemed(found.user, found.device_id) if found.user.is_active else None
