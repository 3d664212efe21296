"""Device tokens and the results of offline mutations."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeviceToken(models.Model):
    """A signed-in device. Only the SHA-256 of the token is kept: the token is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(max_length=100, help_text="The device's name, as the user gave it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "created_at"], name="device_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class MutationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    CONFLICT = "conflict", "Conflict"
    REJECTED = "rejected", "Rejected"


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
                condition=Q(status__in=["applied", "conflict", "rejected"]),
                name="mutation_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mutation_id}: {self.status}"
