"""Device tokens and the results of offline mutations."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeviceToken(models.Model):
    """A signed-in device. Only the SHA-256 of the token is kept: the token is shown once.

    A token works while it is not revoked, has been used within DEVICE_TOKEN_IDLE_DAYS, is
    younger than DEVICE_TOKEN_MAX_DAYS, the password is the one it was issued under
    (`password_stamp`), and it carries the second factor the account needs (mobile_api.tokens).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(max_length=100, help_text="The device's name, as the user gave it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    with_second_factor = models.BooleanField(
        default=False, help_text="Issued after a two-factor code, not the password alone."
    )
    # An HMAC of the password hash when issued: any password change, by any route, ends it.
    password_stamp = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "created_at"], name="device_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def expires_at(self) -> dt.datetime:
        """When it ends if not used again: idle, or at the latest, its absolute limit."""
        idle = (self.last_used_at or self.created_at) + dt.timedelta(
            days=settings.DEVICE_TOKEN_IDLE_DAYS
        )
        return min(idle, self.created_at + dt.timedelta(days=settings.DEVICE_TOKEN_MAX_DAYS))


class MutationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    CONFLICT = "conflict", "Conflict"
    REJECTED = "rejected", "Rejected"
    # From a former member's tablet: kept as sent for the team to review (tablet.HeldItem).
    HELD = "held", "Held for the team"


class SyncMutation(models.Model):
    """One offline mutation as the server answered it: a repeat of the same mutation id gets
    this answer again and changes nothing."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mutation_id = models.UUIDField()
    team_id = models.UUIDField()
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=MutationStatus.choices)
    result = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(null=True, blank=True, help_text="On the device.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("received_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "mutation_id"], name="mutation_once_per_user"),
            models.CheckConstraint(
                condition=Q(status__in=["applied", "conflict", "rejected", "held"]),
                name="mutation_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mutation_id}: {self.status}"
