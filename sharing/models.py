"""What sharing keeps: members' calendar addresses and the record of each client's own copy.

A calendar address is a secret link a calendar service fetches without signing in, so only its
SHA-256 is stored (careteams.hashing); the link itself is shown once, when it is made. Revoking
keeps the row (who made it and when stays known) and ends the address at once.

Producing a client's own copy (subject access) is recorded once and never changed: the table is
append-only, with the same database guard as the notes (clients/db_guards.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from careteams.models import Membership
from careteams.team_owned import TeamOwnedChild
from clients.models import Client


class CalendarFeed(TeamOwnedChild):
    team_parent = "membership"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar address")
        constraints = [
            # One live address per membership: replacing one revokes the old first.
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(revoked_at__isnull=True),
                name="sharing_one_live_calendar_per_membership",
            )
        ]


class CopyFormat(models.TextChoices):
    PDF = "pdf", _("PDF (to read)")
    JSON = "json", _("FHIR JSON (for another system)")


class OwnCopy(TeamOwnedChild):
    """One production of a client's own copy: who, when, in which form. Append-only."""

    team_parent = "client"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    produced_at = models.DateTimeField()
    format = models.CharField(max_length=8, choices=CopyFormat.choices)

    class Meta:
        verbose_name = _("client's own copy")
        ordering = ["-produced_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=CopyFormat.values),
                name="sharing_owncopy_format_valid",
            )
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A record of a copy produced is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A record of a copy produced is never deleted.")
