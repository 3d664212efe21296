"""Writes about people and teams. Each one others must hear about goes through changes.record."""

from django.db import transaction
from django.utils import timezone

from careteams import access, changes
from careteams.errors import DomainError
from careteams.models import Membership, User
from careteams.versioning import bump, check_version


def membership_end(*, membership: Membership, version: int, actor: User) -> Membership:
    """A leaver: from this moment the membership opens nothing. Their pages and API calls are
    scoped by active memberships, and their open sockets close once this commits."""
    access.require_member_of(actor, membership.team_id)
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
        )
        check_version(current, expected=version)
        if current.ended_at is not None:
            raise DomainError("This person has already left the team.")
        current.ended_at = timezone.now()
        bump(current)
        current.save(update_fields=["ended_at", "version"])
        changes.record(team=current.team, entity="membership", obj=current, actor=actor)
        changes.access_changed(user_id=current.user_id)
    return current
