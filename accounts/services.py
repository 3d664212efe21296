"""Every write of the accounts app: team invitations, accounts made from invitations, and
"sign out of all other devices".

Invitation links carry a random token; only its SHA-256 is stored, so the database never holds
a working link. Unknown, expired, withdrawn and used links all open nothing (NotFound).
"""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts import tokens
from accounts.models import SessionEpoch, TeamInvitation
from careteams import access, changes
from careteams.errors import DomainError, NotFound
from careteams.hashing import token_hash, token_new
from careteams.models import Language, Membership, Role, Team, User
from clients.models import FamilyAccess
from clients.services import family as family_services

LINK_DOES_NOT_WORK = gettext_noop(
    "This invitation link does not work: it may have expired, been used or been withdrawn. "
    "Ask the team for a new one."
)
ACCOUNT_EXISTS = gettext_noop(
    "There is already an account for this email address: sign in to accept the invitation."
)


def _new_account(*, email: str, first_name: str, last_name: str, password: str) -> User:
    """A user whose address the invitation link has just proven."""
    email = email.strip().lower()
    if not email:
        raise DomainError(gettext("This invitation has no email address: ask for a new one."))
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(gettext(ACCOUNT_EXISTS))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, first_name=first_name.strip(), last_name=last_name.strip()
            )
    except IntegrityError as exc:  # the same address, signed up a moment ago
        raise DomainError(gettext(ACCOUNT_EXISTS)) from exc
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


# Team invitations --------------------------------------------------------------------------


def team_invite(
    *,
    team: Team,
    email: str,
    role: str,
    contracted_hours: Decimal,
    actor: User,
    now: dt.datetime | None = None,
) -> tuple[TeamInvitation, str]:
    """A pending invitation and the token for its link (shown once, never stored). Any member
    of the team may invite: the team organises itself."""
    if access.membership_of(actor, team) is None:
        raise NotFound(gettext("No such team."))
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(
            gettext("Enter the email address of the person you are inviting."), field="email"
        )
    if role not in Role.values:
        raise DomainError(gettext("Choose their role."), field="role")
    if not Decimal(0) <= Decimal(contracted_hours) <= Decimal(60):
        raise DomainError(
            gettext("Contracted hours must be between 0 and 60."), field="contracted_hours"
        )
    if Membership.objects.active().filter(team=team, user__email__iexact=email).exists():
        raise DomainError(
            gettext("%(email)s is already a member of %(team)s.")
            % {"email": email, "team": team.name},
            field="email",
        )
    now = now or timezone.now()
    token = token_new()
    with transaction.atomic():
        # One working link per person and team: a new invitation replaces an older one.
        TeamInvitation.objects.filter(
            team=team, email=email, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        invitation = TeamInvitation.objects.create(
            team=team,
            email=email,
            role=role,
            contracted_hours=contracted_hours,
            invited_by=actor,
            token_hash=token_hash(token),
            expires_at=now + dt.timedelta(days=settings.TEAM_INVITATION_DAYS),
        )
    return invitation, token


def team_invitation_for(token: str, *, now: dt.datetime | None = None) -> TeamInvitation:
    """The pending, unexpired invitation of this token, or NotFound."""
    if not token or len(token) > 100:
        raise NotFound(gettext(LINK_DOES_NOT_WORK))
    invitation = (
        TeamInvitation.objects.select_related("team", "invited_by")
        .filter(
            token_hash=token_hash(token),
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        .first()
    )
    if invitation is None:
        raise NotFound(gettext(LINK_DOES_NOT_WORK))
    return invitation


def team_invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
    now: dt.datetime | None = None,
) -> Membership:
    """Joins the team: as `user` when they already have an account (the invitation must be to
    their address), else as a new account made with the name and password given."""
    now = now or timezone.now()
    with transaction.atomic():
        found = team_invitation_for(token, now=now)
        invitation = TeamInvitation.objects.select_for_update().get(pk=found.pk)
        if not invitation.is_pending:
            raise NotFound(gettext(LINK_DOES_NOT_WORK))
        if user is None:
            user = _new_account(
                email=invitation.email,
                first_name=first_name,
                last_name=last_name,
                password=password,
            )
        elif user.email.lower() != invitation.email:
            raise DomainError(
                gettext(
                    "This invitation was sent to another email address: sign in as that person, "
                    "or ask the team to invite you."
                )
            )
        team = found.team
        if access.membership_of(user, team) is not None:
            raise DomainError(
                gettext("You are already a member of %(team)s.") % {"team": team.name}
            )
        membership = Membership.objects.create(
            user=user,
            team=team,
            role=invitation.role,
            contracted_hours=invitation.contracted_hours,
        )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        changes.record(team=team, entity="membership", obj=membership, actor=user)
    return membership


# Family: an account made from the client's family invitation ------------------------------


def family_sign_up(
    *,
    token: str,
    first_name: str,
    last_name: str,
    password: str,
    now: dt.datetime | None = None,
) -> FamilyAccess:
    """Creates the invitee's account (the invited address, now proven) and accepts the
    invitation, both or neither."""
    with transaction.atomic():
        invitation = family_services.invitation_for(token, now=now)
        user = _new_account(
            email=invitation.invited_email,
            first_name=first_name,
            last_name=last_name,
            password=password,
        )
        return family_services.family_accept(token=token, user=user, now=now)


# Sessions ----------------------------------------------------------------------------------


def sessions_end_others(*, user: User) -> int:
    """Raises the user's session epoch: every session signed in before now ends on its next
    request, and every device token is revoked. Returns the new epoch, for the caller to keep
    its own session alive."""
    with transaction.atomic():
        row, _ = SessionEpoch.objects.select_for_update().get_or_create(user=user)
        row.epoch += 1
        row.save(update_fields=["epoch", "changed_at"])
        tokens.tokens_revoke_all(user_id=user.pk)
        # Open pages (sockets) of the ended sessions close once this commits.
        changes.access_changed(user_id=user.pk)
    return row.epoch


def team_invitation_withdraw(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    """The link stops working at once (as when a newer invitation replaces it)."""
    with transaction.atomic():
        current = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not current.is_pending:
            raise DomainError(gettext("This invitation has already been used or withdrawn."))
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["withdrawn_at"])
    return current


# Accounts, as an administrator changes them ---------------------------------------------------

# Changing any of these ends the account's sessions: what signed in before may no longer hold.
SIGN_IN_FIELDS = ("email", "password", "is_active", "is_staff", "is_superuser")


def user_save(*, user: User, actor: User | None) -> User:
    """Save an account an administrator made or changed. Switching it off, changing its powers,
    address or password signs it out everywhere (its open sockets close once this commits)."""
    with transaction.atomic():
        before = User.objects.select_for_update().filter(pk=user.pk).first()
        user.save()
        if before is not None and any(
            getattr(before, name) != getattr(user, name) for name in SIGN_IN_FIELDS
        ):
            sessions_end_others(user=user)
    return user


def user_language_set(*, user: User, language: str) -> User:
    """The person's own language, from the switch on every page (accounts/language.py)."""
    if language not in Language.values:
        raise DomainError(_("Choose English or Cymraeg."), field="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
