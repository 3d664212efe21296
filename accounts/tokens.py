"""Device tokens: issue, look up, list and revoke. Only a hash of each token is stored.

A token works while all of these hold (anything else answers 401, as for a made-up token):
- not revoked (by its owner, a password change or reset, or "sign out of all other devices");
- used within DEVICE_TOKEN_IDLE_DAYS (sliding), and issued within DEVICE_TOKEN_MAX_DAYS;
- the password is still the one it was issued under (`password_stamp`, whatever changed it);
- it carries the second factor the account needs: issued after a two-factor code when the
  account has an authenticator app, or must have one (staff, with MFA_REQUIRED_FOR_STAFF).
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import policy
from accounts.models import DeviceToken
from careteams import access, changes
from careteams.compiled import CompiledRead
from careteams.hashing import token_hash, token_new
from careteams.models import User

# Writing last_used_at on every request would turn each read into a write; a minute is enough.
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_LIVE_TOKENS = 20
STAMP_SALT = "careteams.device-token.password"


@dataclass(frozen=True)
class Issued:
    token: str
    device: DeviceToken


def _live(now: dt.datetime) -> Q:
    """Not revoked, and within the idle and absolute lifetimes at `now`."""
    idle_since = now - dt.timedelta(days=settings.DEVICE_TOKEN_IDLE_DAYS)
    return Q(
        revoked_at__isnull=True,
        created_at__gt=now - dt.timedelta(days=settings.DEVICE_TOKEN_MAX_DAYS),
    ) & (Q(last_used_at__gt=idle_since) | Q(last_used_at__isnull=True, created_at__gt=idle_since))


def _is_live(device: DeviceToken, now: dt.datetime) -> bool:
    """`_live`, for a token already read (by its hash): tests/accounts/test_tokens_live.py
    holds the two to the same answers."""
    idle_since = now - dt.timedelta(days=settings.DEVICE_TOKEN_IDLE_DAYS)
    if device.revoked_at is not None:
        return False
    if device.created_at <= now - dt.timedelta(days=settings.DEVICE_TOKEN_MAX_DAYS):
        return False
    if device.last_used_at is not None:
        return device.last_used_at > idle_since
    return device.created_at > idle_since


def live_tokens(*, now: dt.datetime | None = None) -> QuerySet[DeviceToken]:
    """Tokens not revoked and within their idle and absolute lifetimes."""
    return DeviceToken.objects.filter(_live(now or timezone.now()))


def token_issue(
    *, user: User, name: str, with_second_factor: bool = False, address: str | None = None
) -> Issued:
    """A new device token. The oldest live tokens beyond MAX_LIVE_TOKENS are revoked, so that a
    loop of sign-ins cannot pile up tokens."""
    token = token_new()
    now = timezone.now()
    device = DeviceToken.objects.create(
        user=user,
        name=name.strip()[:100],
        token_hash=token_hash(token),
        with_second_factor=with_second_factor,
        password_stamp=_password_stamp(user, settings.SECRET_KEY),
        last_used_at=now,
        last_used_ip=address,
    )
    stale = tokens_of(user=user).values_list("id", flat=True)[MAX_LIVE_TOKENS:]
    DeviceToken.objects.filter(id__in=list(stale)).update(revoked_at=now)
    return Issued(token, device)


def _password_stamp(user: User, secret: str) -> str:
    """Changes whenever the password does (as Django's session hash), without storing it."""
    return salted_hmac(STAMP_SALT, user.password, secret=secret, algorithm="sha256").hexdigest()


def _password_unchanged(device: DeviceToken, user: User) -> bool:
    # The fallbacks too, so that rotating SECRET_KEY (with the old key as a fallback) signs
    # no device out, as it signs out no session.
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(device.password_stamp, _password_stamp(user, secret))
        for secret in secrets
    )


def _with_user_facts() -> QuerySet[DeviceToken]:
    """Tokens of active users, each with its user and the user's sign-in facts (accounts.policy)
    for one query."""
    facts = {f"user{name}": expression for name, expression in policy.sign_in_facts("user").items()}
    return DeviceToken.objects.select_related("user").filter(user__is_active=True).annotate(**facts)


_DEVICE_FIELDS = tuple(field.attname for field in DeviceToken._meta.concrete_fields)
_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
_FACT_NAMES = tuple(f"user{name}" for name in policy.FACTS)


def _by_hash(hashed: Any) -> QuerySet[Any, Any]:
    """The token with this hash, if its user is active: its fields, its user's and the facts.
    Whether it is still live is answered in Python (`_is_live`): its SQL is then the same for
    every token and every moment, and compiled once (`_TOKEN_READ`)."""
    return (
        _with_user_facts()
        .filter(token_hash=hashed)
        .values_list(*_DEVICE_FIELDS, *(f"user__{name}" for name in _USER_FIELDS), *_FACT_NAMES)
    )


# Every API request reads it: compiled once (careteams/compiled.py), it costs half as much.
_TOKEN_READ = CompiledRead(_by_hash, DeviceToken._meta.get_field("token_hash"))


def _token_found(hashed: str) -> DeviceToken | None:
    rows = _TOKEN_READ.rows(hashed)
    if not rows:
        return None
    row = rows[0]
    devices, users = len(_DEVICE_FIELDS), len(_USER_FIELDS)
    device = DeviceToken.from_db("default", _DEVICE_FIELDS, row[:devices])
    user = User.from_db("default", _USER_FIELDS, row[devices : devices + users])
    device.user = user
    for name, value in zip(_FACT_NAMES, row[devices + users :], strict=True):
        setattr(device, name, value)
    return device


def _works(device: DeviceToken) -> bool:
    user = device.user
    for name in policy.FACTS:
        setattr(user, name, getattr(device, f"user{name}"))
    if not _password_unchanged(device, user):
        # The password changed by a route that sent no signal (the admin, a command).
        DeviceToken.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
        return False
    if policy.second_factor_missing(user):
        return False  # the authenticator was removed, or staff have just been required one
    return device.with_second_factor or not policy.has_totp(user)


def token_user(
    *, token: str, address: str | None = None, now: dt.datetime | None = None
) -> tuple[User, DeviceToken] | None:
    """The active user of a working token, or None."""
    if not token or len(token) > 200:
        return None
    now = now or timezone.now()
    device = _token_found(token_hash(token))
    if device is None or not _is_live(device, now) or not _works(device):
        return None
    if device.last_used_at is None or now - device.last_used_at > TOUCH_EVERY:
        DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now, last_used_ip=address)
        device.last_used_at, device.last_used_ip = now, address
    return device.user, device


def token_works(*, device_id: uuid.UUID) -> bool:
    """Whether this token still works (for a socket opened with it)."""
    device = _with_user_facts().filter(_live(timezone.now()), pk=device_id).first()
    return device is not None and _works(device)


def tokens_of(*, user: User) -> QuerySet[DeviceToken]:
    return live_tokens().filter(user=user).order_by("-created_at")


def token_revoke(*, user: User, token_id: uuid.UUID) -> DeviceToken:
    """Revoke one of the user's own tokens; anyone else's does not exist here. Sockets opened
    with it close."""
    with transaction.atomic():
        device = access.get_visible(tokens_of(user=user).select_for_update(), token_id)
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        changes.access_changed(user_id=user.pk)
    return device


def tokens_revoke_all(*, user_id: uuid.UUID) -> int:
    """Signs every device of the user out (a password change or reset, "sign out of all other
    devices"); their sockets close. Returns how many were working."""
    with transaction.atomic():
        count = DeviceToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        changes.access_changed(user_id=user_id)
    return count
