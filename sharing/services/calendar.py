"""Members' calendar addresses: made, replaced and revoked by the member alone.

The address is a secret link (careteams.hashing): the token is returned once, to show, and only
its hash is kept. A member has at most one live address per team; making a new one revokes the
old in the same transaction, so a leaked address is ended by replacing it.
"""

from django.db import transaction
from django.utils import timezone

from careteams import hashing
from careteams.access import AnyUser
from careteams.errors import NotFound
from careteams.models import Membership
from sharing.models import CalendarFeed


def _own_membership(membership: Membership, actor: AnyUser) -> Membership:
    """Only the member themselves: nobody else, not even a teammate, may see or end it."""
    locked = Membership.objects.active().select_for_update().filter(pk=membership.pk).first()
    if locked is None or actor is None or locked.user_id != getattr(actor, "pk", None):
        raise NotFound()
    return locked


def calendar_feed_revoke(*, membership: Membership, actor: AnyUser) -> int:
    """Ends the member's live address, if any, at once; answers how many were ended."""
    with transaction.atomic():
        locked = _own_membership(membership, actor)
        return CalendarFeed.objects.filter(membership=locked, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def calendar_feed_create(*, membership: Membership, actor: AnyUser) -> tuple[CalendarFeed, str]:
    """A new address (the old one, if any, ends): the feed and its token, to show once."""
    with transaction.atomic():
        locked = _own_membership(membership, actor)
        CalendarFeed.objects.filter(membership=locked, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token = hashing.token_new()
        feed = CalendarFeed.objects.create(
            membership=locked, team_id=locked.team_id, token_hash=hashing.token_hash(token)
        )
    return feed, token
