"""Producing a client's own copy (subject access) is recorded, once and for good: who, when,
in which form (sharing.models.OwnCopy, append-only)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careteams import access
from careteams.access import AnyUser
from careteams.errors import DomainError
from careteams.models import User
from clients.models import Client
from sharing.models import CopyFormat, OwnCopy


def own_copy_record(*, client: Client, actor: AnyUser, format: str) -> OwnCopy:
    """Only the client's team produces it: family, the client and coaches ask the team."""
    access.require_member_of(actor, client.team_id)
    if format not in CopyFormat.values:
        raise DomainError(
            _("format: one of %(formats)s") % {"formats": ", ".join(CopyFormat.values)},
            field="format",
        )
    assert isinstance(actor, User)
    with transaction.atomic():
        return OwnCopy.objects.create(
            client=client,
            team_id=client.team_id,
            produced_by=actor,
            produced_at=timezone.now(),
            format=format,
        )
