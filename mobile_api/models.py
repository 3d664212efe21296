"""The results of offline mutations (device tokens are account credentials: accounts.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


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
