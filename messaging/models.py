"""Handover notes and team messages: written by a member, never changed or deleted.

Handover notes and messages are part of the team's record (those about a client, of the
client's record), so, like notes, they are append-only: the ORM refuses and so does the
database (clients/db_guards.py). A correction is a new handover that `amends` the earlier one;
a message is answered, never edited. Read state is per person and does move on.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from careteams.models import Team
from careteams.team_owned import TeamOwnedChild
from clients.models import AppendOnlyError, Client


class _AppendOnly(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    written_at = models.DateTimeField(default=timezone.now, help_text="When the server took it.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} is never changed: write a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.verbose_name} is never deleted: write a new one.")


class HandoverNote(_AppendOnly):
    """What the next carer needs to know: about one client, or for the next shift (no client)."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers"
    )
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )

    class Meta:
        verbose_name = "handover note"
        constraints = [
            models.CheckConstraint(condition=Q(version=1), name="handover_version_is_always_1"),
            models.CheckConstraint(
                condition=~Q(amends=models.F("id")), name="handover_does_not_amend_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "written_at"], name="handover_team_written"),
            models.Index(fields=["client", "written_at"], name="handover_client_written"),
        ]

    def __str__(self) -> str:
        return f"Handover {self.id}"


class HandoverRead(TeamOwnedChild):
    """One person has read one handover note (then it leaves their My day and visit cards).
    Append-only too: the record of who was told what, and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    handover = models.ForeignKey(HandoverNote, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    team_parent = "handover"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["handover", "user"], name="handover_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.handover_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("A handover, once read, stays read.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("A handover, once read, stays read.")


class TeamMessage(_AppendOnly):
    """A message in the team's own channel: the members and the team's coach."""

    class Meta:
        verbose_name = "team message"
        constraints = [
            models.CheckConstraint(condition=Q(version=1), name="team_message_version_is_1"),
        ]
        indexes = [models.Index(fields=["team", "written_at"], name="team_message_written")]

    def __str__(self) -> str:
        return f"Team message {self.id}"


class ClientMessage(_AppendOnly):
    """A message in one client's channel: the client's team only (part of the client's record);
    family read it only when the writer shared it with them."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="messages")
    shared_with_family = models.BooleanField(
        default=False, help_text="The client and their family may read it."
    )

    class Meta:
        verbose_name = "client message"
        constraints = [
            models.CheckConstraint(condition=Q(version=1), name="client_message_version_is_1"),
        ]
        indexes = [models.Index(fields=["client", "written_at"], name="client_message_written")]

    def __str__(self) -> str:
        return f"Client message {self.id}"


class ChannelRead(models.Model):
    """How far one person has read a channel: the team's (no client) or a client's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_upto = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(client__isnull=True),
                name="channel_read_team_once",
            ),
            models.UniqueConstraint(
                fields=["user", "client"],
                condition=Q(client__isnull=False),
                name="channel_read_client_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.client_id or self.team_id} to {self.read_upto}"
