"""The sign-in lockout, shared by the sign-in page and the API (through accounts.adapter).

Failures are counted in PostgreSQL (`SignInFailures`), in three ways at once:

- per account *and* client address: after LOGIN_LOCKOUT_ATTEMPTS failures within
  LOGIN_LOCKOUT_MINUTES, that address may not sign in to that account for LOGIN_LOCKOUT_MINUTES,
  right password or not. Someone guessing from one place is stopped; the member, elsewhere, is not;
- per address, all accounts together: LOGIN_FAILED_PER_IP_PER_MINUTE, then a minute's wait;
- per account, all addresses together: after LOGIN_ACCOUNT_ATTEMPTS failures within a day, a
  password alone waits a growing delay (1, 2, 4 … 60 minutes) between tries. An account with a
  second factor goes on to the code, which is the real proof; anyone can reset their password.

A correct password clears the account's own counts; a password reset clears them all.
"""

import datetime as dt
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import SignInFailures

ANYWHERE = SignInFailures.ANYWHERE
# Rows untouched this long (and not locked) are forgotten.
FORGET_AFTER = dt.timedelta(days=1)
ACCOUNT_WINDOW = dt.timedelta(days=1)
ACCOUNT_MAX_DELAY_MINUTES = 60


@dataclass(frozen=True)
class _Rule:
    limit: int
    window: dt.timedelta
    growing: bool = False

    def lock_for(self, over: int) -> dt.timedelta:
        """How long to refuse once `over` failures past the limit have been counted."""
        if self.growing:
            return dt.timedelta(minutes=min(2**over, ACCOUNT_MAX_DELAY_MINUTES))
        return self.window


def _pair_rule() -> _Rule:
    minutes = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return _Rule(settings.LOGIN_LOCKOUT_ATTEMPTS, minutes)


def _address_rule() -> _Rule:
    return _Rule(settings.LOGIN_FAILED_PER_IP_PER_MINUTE, dt.timedelta(minutes=1))


def _account_rule() -> _Rule:
    return _Rule(settings.LOGIN_ACCOUNT_ATTEMPTS, ACCOUNT_WINDOW, growing=True)


def account_key(email: str) -> str:
    return email.strip().lower()[:254]


def _minutes(until: dt.datetime | None, now: dt.datetime) -> int:
    seconds = int((until - now).total_seconds()) if until is not None else 60
    return max(1, -(-seconds // 60))


def lockout_refusal(*, email: str, address: str, now: dt.datetime | None = None) -> str:
    """Why a sign-in to this account from this address is refused before its password is
    even checked ("" when it may go on)."""
    now = now or timezone.now()
    account = account_key(email)
    # Only rows locked now: their locked_until is set.
    until: dict[tuple[str, str], dt.datetime | None] = {
        (account_, address_): locked_until
        for account_, address_, locked_until in SignInFailures.objects.filter(
            Q(account=account, address__in=[address, ANYWHERE])
            | Q(account=ANYWHERE, address=address),
            locked_until__gt=now,
        ).values_list("account", "address", "locked_until")
    }
    if (account, address) in until:
        return gettext(
            "This account is locked after too many failed sign-in attempts from here. Try again "
            "in %(minutes)s minutes, or reset your password."
        ) % {"minutes": _minutes(until[account, address], now)}
    if (ANYWHERE, address) in until:
        return gettext("Too many failed sign-ins from this network. Try again in a minute.")
    if (account, ANYWHERE) in until and not _has_second_factor(account):
        return gettext(
            "There have been too many failed sign-ins to this account. Try again in "
            "%(minutes)s minutes, or reset your password."
        ) % {"minutes": _minutes(until[account, ANYWHERE], now)}
    return ""


def _has_second_factor(account: str) -> bool:
    found: bool = Authenticator.objects.filter(
        user__email__iexact=account, type=Authenticator.Type.TOTP
    ).exists()
    return found


def lockout_failed(*, email: str, address: str, now: dt.datetime | None = None) -> None:
    """Counts one failed sign-in (wrong password, or an unknown address)."""
    now = now or timezone.now()
    account = account_key(email)
    with transaction.atomic():
        _count(account, address, _pair_rule(), now)
        _count(ANYWHERE, address, _address_rule(), now)
        _count(account, ANYWHERE, _account_rule(), now)
        SignInFailures.objects.filter(last_failed_at__lt=now - FORGET_AFTER).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now)
        ).delete()


def _count(account: str, address: str, rule: _Rule, now: dt.datetime) -> None:
    row, _ = SignInFailures.objects.select_for_update().get_or_create(
        account=account,
        address=address,
        defaults={"first_failed_at": now, "last_failed_at": now},
    )
    locked = row.locked_until is not None and row.locked_until > now
    if not locked and now - row.first_failed_at > rule.window:
        row.failures, row.first_failed_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failed_at = now
    if row.failures >= rule.limit:
        row.locked_until = now + rule.lock_for(row.failures - rule.limit)
    row.save()


def lockout_signed_in(*, email: str, address: str) -> None:
    """The right password: this account's counts from here, and from everywhere, start again
    (the address's count across accounts does not)."""
    account = account_key(email)
    SignInFailures.objects.filter(account=account, address__in=[address, ANYWHERE]).delete()


def lockout_clear(*, email: str) -> None:
    """A successful password reset proves the owner: every lock on the account is lifted."""
    SignInFailures.objects.filter(account=account_key(email)).delete()
