"""Family access: an invitation link that expires, accepted by the invitee, revoked by the team.

The link carries a random token; only its SHA-256 is stored, so the database never holds a
working link. Unknown, expired, revoked and already-used links all open nothing.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from careteams.changes import access_changed
from careteams.errors import DomainError, NotFound
from careteams.hashing import token_hash, token_new
from careteams.models import User
from careteams.versioning import change_record, versioned_save, versioned_write
from clients.models import Client, ConsentBasis, FamilyAccess, Relationship
from clients.rules import INVITATION_LIFETIME
from clients.services.common import require_writer

# Marked only: translated where it is shown (accounts' views pass it to their page too).
LINK_DOES_NOT_WORK = gettext_noop(
    "This invitation link does not work: it may have expired, been used or been withdrawn. "
    "Ask the care team for a new one."
)


def family_invite(
    *,
    client: Client,
    email: str,
    relationship: str,
    consent_basis: str,
    actor: User,
    now: dt.datetime | None = None,
) -> tuple[FamilyAccess, str]:
    """A pending access and the token for its link (shown once, never stored)."""
    require_writer(actor=actor, team_id=client.team_id)
    if relationship not in Relationship.values:
        raise DomainError(_("Choose how they are related to the client."), field="relationship")
    if consent_basis not in ConsentBasis.values:
        raise DomainError(_("Choose the basis for sharing."), field="consent_basis")
    if "@" not in email:
        raise DomainError(_("Enter the email address of the person invited."), field="email")
    token = token_new()
    with transaction.atomic():
        access = FamilyAccess.objects.create(
            team_id=client.team_id,
            client=client,
            invited_email=email.strip().lower(),
            relationship=relationship,
            consent_basis=consent_basis,
            granted_by=actor,
            invitation_token_hash=token_hash(token),
            invitation_expires_at=(now or timezone.now()) + INVITATION_LIFETIME,
        )
        change_record(entity="family_access", obj=access, actor=actor)
    return access, token


def invitation_for(token: str, *, now: dt.datetime | None = None) -> FamilyAccess:
    """The pending, unexpired, unrevoked invitation of this token, or NotFound."""
    if not token or len(token) > 100:
        raise NotFound(_(LINK_DOES_NOT_WORK))
    access = (
        FamilyAccess.objects.select_related("client")
        .filter(
            invitation_token_hash=token_hash(token),
            person__isnull=True,
            revoked_at__isnull=True,
            invitation_expires_at__gt=now or timezone.now(),
        )
        .first()
    )
    if access is None:
        raise NotFound(_(LINK_DOES_NOT_WORK))
    return access


def family_accept(*, token: str, user: User, now: dt.datetime | None = None) -> FamilyAccess:
    now = now or timezone.now()
    with transaction.atomic():
        found = invitation_for(token, now=now)
        access = FamilyAccess.objects.select_for_update().get(pk=found.pk)
        if access.person_id is not None or access.revoked_at is not None:
            raise NotFound(_(LINK_DOES_NOT_WORK))
        if access.invited_email and access.invited_email != user.email.lower():
            raise DomainError(
                _(
                    "This invitation was sent to another email address: sign in as that person, "
                    "or ask the care team to invite you."
                )
            )
        if FamilyAccess.objects.filter(
            client_id=access.client_id, person=user, revoked_at__isnull=True
        ).exists():
            raise DomainError(_("You can already read this care plan."))
        access.person = user
        access.accepted_at = now
        access.invitation_token_hash = ""
        try:
            with transaction.atomic():
                versioned_save(access, entity="family_access", actor=user)
        except IntegrityError as exc:
            raise DomainError(_("You can already read this care plan.")) from exc
    return access


def family_revoke(*, access: FamilyAccess, version: int, actor: User) -> FamilyAccess:
    """Ends the access (or withdraws the invitation): from now on it opens nothing."""
    require_writer(actor=actor, team_id=access.client.team_id)
    with transaction.atomic():
        with versioned_write(
            FamilyAccess.objects.select_related("client__team"),
            pk=access.pk,
            version=version,
            entity="family_access",
            actor=actor,
        ) as current:
            if current.revoked_at is not None:
                raise DomainError(_("This access has already been ended."))
            current.revoked_at = timezone.now()
            current.revoked_by = actor
            current.invitation_token_hash = ""
        # After the change's own event: an open socket sends it, then closes.
        if current.person_id is not None:
            access_changed(user_id=current.person_id)
    return current
