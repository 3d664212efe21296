"""What a former member's tablet sent that the team reviews by hand (docs/sync.md, "A leaver's
tablet"): a check-in, a task outcome, a rating... recorded while its author was a member and
arriving after they left. Not applied (the team planned on without them since), never lost."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from careteams.models import Team


class HeldOutcome(models.TextChoices):
    ENTERED = "entered", _("Entered into the record")
    NOT_NEEDED = "not_needed", _("Not needed")


class HeldItem(models.Model):
    """One mutation of a former member's tablet, as sent, held for the team to review.

    Append-only in spirit: written once by the sync push (a retry of the same mutation id
    finds it), then reviewed once through tablet.services.held_item_review; never deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="held_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="held_items"
    )
    mutation_id = models.UUIDField(help_text="The tablet's id of the item.")
    kind = models.CharField(max_length=40, help_text="The mutation's kind, e.g. visit.check_in.")
    payload = models.JSONField(default=dict, help_text="The item's data as the tablet sent it.")
    recorded_at = models.DateTimeField(help_text="On the device.")
    received_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(help_text="When the author's membership ended.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=HeldOutcome.choices, blank=True)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-received_at",)
        constraints = [
            models.UniqueConstraint(fields=["author", "mutation_id"], name="held_item_once"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *HeldOutcome.values]),
                name="held_item_outcome_known",
            ),
            # Reviewed means all three: who, when and how; awaiting review, none.
            models.CheckConstraint(
                condition=Q(outcome="", reviewed_at__isnull=True, reviewed_by__isnull=True)
                | (~Q(outcome="") & Q(reviewed_at__isnull=False, reviewed_by__isnull=False)),
                name="held_item_review_whole",
            ),
        ]
        indexes = [models.Index(fields=["team", "reviewed_at"], name="held_item_team_review")]

    def __str__(self) -> str:
        return f"{self.kind} by {self.author} at {self.recorded_at:%Y-%m-%d %H:%M}"
