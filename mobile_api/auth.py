"""Signing a device in, listing and revoking its tokens, and WebSocket tickets."""

import uuid
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop
from ninja import Router, Status

from accounts import policy, tokens
from accounts.addresses import client_address
from accounts.models import DeviceToken
from careteams.errors import DomainError
from careteams.models import User
from mobile_api.problems import ERRORS_FOR_READS, ERRORS_FOR_WRITES, error_responses
from mobile_api.schemas.people import DeviceOut, SignedIn, SignIn, SocketTicket
from mobile_api.security import SignInRate, user_of
from realtime.tickets import TICKET_SECONDS, ticket_issue

router = Router(tags=["Sign-in and devices"])


class BadCredentials(DomainError):
    status = 401
    title = "Not signed in"


class Locked(DomainError):
    status = 429
    title = "Too many failed sign-ins"


class SecondFactorFirst(DomainError):
    status = 403
    title = "Set up two-factor authentication first"


ENROL_ON_THE_WEB = gettext_noop(
    "Staff accounts need two-factor authentication, and this account has not set it up yet. "
    "Sign in on the website first and set up an authenticator app there (Security page), then "
    "sign this device in with a code from the app as `code`."
)


def _second_factor_passes(user: User, code: str) -> bool:
    """The same check as the sign-in page: the authenticator app's code or a recovery code."""
    authenticators = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    return any(auth.wrap().validate_code(code) for auth in authenticators)


def device_out(device: DeviceToken, *, current: DeviceToken | None = None) -> dict[str, Any]:
    return {
        "id": device.id,
        "name": device.name,
        "created_at": device.created_at,
        "last_used_at": device.last_used_at,
        "expires_at": device.expires_at,
        "current": current is not None and current.pk == device.pk,
    }


@router.post(
    "/auth/sign-in",
    auth=None,
    throttle=[SignInRate()],
    response={201: SignedIn, **error_responses((*ERRORS_FOR_READS, 413, 415))},
    summary="Sign in a device: email and password for a device token",
)
def sign_in(request: HttpRequest, payload: SignIn) -> Status[dict[str, Any]]:
    # Through allauth's adapter, so a device shares the sign-in page's lockout per address.
    try:
        user = get_adapter(request).authenticate(
            request, email=payload.email.strip().lower(), password=payload.password
        )
    except ValidationError as locked:
        raise Locked(" ".join(locked.messages)) from locked
    if not isinstance(user, User) or not user.is_active:
        # One answer for an unknown email and a wrong password: it tells nothing.
        raise BadCredentials(gettext("The email address or password is not right."))
    if policy.second_factor_missing(user):
        # The web sends such a person to set up an app before anything else; a device token
        # must not be the way around that.
        raise SecondFactorFirst(gettext(ENROL_ON_THE_WEB))
    with_second_factor = policy.has_totp(user)
    if with_second_factor:
        # A device token is a full sign-in: it needs the second factor too.
        if not payload.code:
            raise BadCredentials(
                gettext(
                    "This account uses two-factor authentication: send the code from the "
                    "authenticator app as `code`."
                ),
                field="code",
            )
        if not _second_factor_passes(user, payload.code.strip()):
            raise BadCredentials(gettext("The two-factor code is not right."), field="code")
    issued = tokens.token_issue(
        user=user,
        name=payload.device_name,
        with_second_factor=with_second_factor,
        address=client_address(request),
    )
    return Status(
        201,
        {
            "token": issued.token,
            "device": device_out(issued.device, current=issued.device),
            "user": user,
        },
    )


@router.get(
    "/auth/tokens",
    response={200: list[DeviceOut], **error_responses(ERRORS_FOR_READS)},
    summary="The signed-in devices of the current user",
)
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    current = getattr(request, "device", None)
    return [device_out(d, current=current) for d in tokens.tokens_of(user=user_of(request))]


@router.delete(
    "/auth/tokens/{token_id}",
    response={204: None, **error_responses(ERRORS_FOR_WRITES)},
    summary="Revoke one of your own device tokens (sign a device out)",
)
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    tokens.token_revoke(user=user_of(request), token_id=token_id)
    return Status(204, None)


def _device_id(request: HttpRequest) -> uuid.UUID | None:
    device = getattr(request, "device", None)
    return device.pk if isinstance(device, DeviceToken) else None


@router.post(
    "/socket-ticket",
    response={201: SocketTicket, **error_responses(ERRORS_FOR_WRITES)},
    summary="A one-time ticket to open the team WebSocket (see docs/sync.md)",
)
def socket_ticket(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(
        201,
        {
            "ticket": ticket_issue(user=user_of(request), device_id=_device_id(request)),
            "expires_in": TICKET_SECONDS,
            "socket_path": "/ws/teams/{team_id}/?ticket={ticket}&cursor={cursor}",
        },
    )
