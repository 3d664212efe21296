"""Who counts as staff for the sign-in rules, and whether they have a second factor.

The answers ride on the user object that accounts.backends loads for each request (one query,
with subqueries), so the session and two-factor middleware add no queries of their own.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import SessionEpoch
from careteams.access import AnyUser
from careteams.models import CoachLink, Membership, User

FACTS = ("_in_team", "_coaches", "_has_totp", "_session_epoch")


def sign_in_facts(user_ref: str = "pk") -> dict[str, Any]:
    """The fact expressions, for the user that `user_ref` names in the outer query."""
    return {
        "_in_team": Exists(Membership.objects.active().filter(user=OuterRef(user_ref))),
        "_coaches": Exists(
            CoachLink.objects.filter(coach=OuterRef(user_ref), ended_at__isnull=True)
        ),
        "_has_totp": Exists(
            Authenticator.objects.filter(user=OuterRef(user_ref), type=Authenticator.Type.TOTP)
        ),
        "_session_epoch": Coalesce(
            Subquery(SessionEpoch.objects.filter(user=OuterRef(user_ref)).values("epoch")[:1]),
            Value(0),
        ),
    }


def with_sign_in_facts(users: QuerySet[User]) -> QuerySet[User]:
    """Annotates each user with `_in_team`, `_coaches`, `_has_totp` and `_session_epoch`."""
    return users.annotate(**sign_in_facts())


def _facts(user: User) -> Any:
    if not hasattr(user, "_has_totp"):
        # A user loaded some other way (a test, a ticket): look the facts up once.
        loaded = with_sign_in_facts(User.objects.filter(pk=user.pk)).get()
        for name in FACTS:
            setattr(user, name, getattr(loaded, name))
    return user


def is_staff(user: AnyUser) -> bool:
    """Team members, coaches and admin staff: people who can open client records or the
    admin. Family members and clients are not."""
    if not isinstance(user, User):
        return False
    facts = _facts(user)
    return bool(user.is_staff or facts._in_team or facts._coaches)


def has_totp(user: AnyUser) -> bool:
    return isinstance(user, User) and bool(_facts(user)._has_totp)


def session_epoch(user: User) -> int:
    return int(_facts(user)._session_epoch)


def mfa_required(user: Any) -> bool:
    """Staff must have an authenticator app when MFA_REQUIRED_FOR_STAFF is on."""
    return bool(settings.MFA_REQUIRED_FOR_STAFF and is_staff(user))


def second_factor_missing(user: AnyUser) -> bool:
    """The user must set up an authenticator app before anything else opens to them. The one
    rule every door applies (the pages, the API's session and sign-in, device tokens, the team
    socket), so none of them is a way around the set-up page."""
    return mfa_required(user) and not has_totp(user)
