"""Device tokens: issue, look up, list and revoke. Only a SHA-256 of each token is stored."""

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from careteams import access
from careteams.models import User
from mobile_api.models import DeviceToken

# Writing last_used_at on every request would turn each read into a write; a minute is enough.
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_LIVE_TOKENS = 20


@dataclass(frozen=True)
class Issued:
    token: str
    device: DeviceToken


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user: User, name: str) -> Issued:
    """A new device token. The oldest live tokens beyond MAX_LIVE_TOKENS are revoked, so that a
    loop of sign-ins cannot pile up tokens."""
    token = secrets.token_urlsafe(32)
    device = DeviceToken.objects.create(
        user=user, name=name.strip()[:100], token_hash=token_hash(token)
    )
    stale = tokens_of(user=user).values_list("id", flat=True)[MAX_LIVE_TOKENS:]
    DeviceToken.objects.filter(id__in=list(stale)).update(revoked_at=timezone.now())
    return Issued(token, device)


def token_user(*, token: str, now: dt.datetime | None = None) -> tuple[User, DeviceToken] | None:
    """The active user of a live token, or None."""
    if not token or len(token) > 200:
        return None
    device = (
        DeviceToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if device is None:
        return None
    now = now or timezone.now()
    if device.last_used_at is None or now - device.last_used_at > TOUCH_EVERY:
        DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now)
        device.last_used_at = now
    return device.user, device


def tokens_of(*, user: User) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def token_revoke(*, user: User, token_id: uuid.UUID) -> DeviceToken:
    """Revoke one of the user's own tokens; anyone else's does not exist here."""
    device = access.get_visible(tokens_of(user=user), token_id)
    device.revoked_at = timezone.now()
    device.save(update_fields=["revoked_at"])
    return device
