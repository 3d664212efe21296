"""What happened to each dose, PRN follow-ups and stock: append-only, a correction is a new
record that `supersedes` the earlier one, which stays readable."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careteams.team_owned import TeamOwnedChild
from clients.models import Client
from medicines.models.base import (
    NOTE_MAX,
    REASON_MAX,
    AppendOnly,
)
from medicines.models.lines import MedicineLine
from medicines.vocabulary import (
    TAKEN,
    NotGivenReason,
    Outcome,
    StockKind,
)


class DoseRecord(AppendOnly, TeamOwnedChild):
    """What happened to one dose: append-only, a correction supersedes it."""

    # Given by the device that recorded it: the same id again is the same record.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(MedicineLine, on_delete=models.PROTECT, related_name="doses")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="dose_records")
    visit = models.ForeignKey(
        "scheduling.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dose_records",
    )
    # The scheduled time of the dose; none for a PRN dose.
    due_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(_("amount"), null=True, blank=True, max_digits=9, decimal_places=3)
    reason = models.CharField(
        _("reason"), max_length=20, choices=NotGivenReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    prn_reason = models.CharField(_("why it was needed"), max_length=REASON_MAX, blank=True)
    taken_at = models.DateTimeField(help_text="When it happened, on the device.")
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, help_text="By the server.")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # A rule the record broke but which could not refuse it (made offline, it had happened).
    warning = models.CharField(max_length=REASON_MAX, blank=True)
    late_entry = models.BooleanField(default=False)

    team_parent = "client"

    class Meta:
        ordering = ("client", "taken_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values) & Q(reason__in=NotGivenReason.values),
                name="dose_record_choices_are_choices",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.NOT_GIVEN) & ~Q(reason=""))
                | (~Q(outcome=Outcome.NOT_GIVEN) & Q(reason="")),
                name="dose_record_reason_only_when_not_given",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.PARTLY) | Q(amount__isnull=False),
                name="dose_record_partly_says_how_much",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="dose_record_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="dose_record_correction_has_a_reason",
            ),
            # One first record per scheduled dose: anything after it is a correction of it.
            models.UniqueConstraint(
                fields=["line", "due_at"],
                condition=Q(due_at__isnull=False, supersedes__isnull=True),
                name="dose_record_one_first_per_scheduled_dose",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "due_at"], name="dose_record_client_due"),
            models.Index(fields=["line", "taken_at"], name="dose_record_line_taken"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.line_id} {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def taken(self) -> bool:
        return self.outcome in TAKEN


class PrnFollowUp(AppendOnly, TeamOwnedChild):
    """Whether a PRN dose worked, asked later (one answer per dose)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dose = models.ForeignKey(DoseRecord, on_delete=models.PROTECT, related_name="follow_ups")
    effective = models.BooleanField(_("it worked"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    team_parent = "dose"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dose"], name="prn_follow_up_once_per_dose"),
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.dose_id}"


class StockEvent(AppendOnly, TeamOwnedChild):
    """Medicine received, carried forward, returned, disposed of or counted. A count keeps what
    the records made the team expect, so a difference stays flagged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(MedicineLine, on_delete=models.PROTECT, related_name="stock_events")
    kind = models.CharField(_("what happened"), max_length=16, choices=StockKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=3)
    expected_quantity = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=3)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    team_parent = "line"

    class Meta:
        ordering = ("line", "recorded_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StockKind.values) & Q(quantity__gte=0),
                name="stock_event_kind_and_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} of {self.line_id}"

    @property
    def mismatch(self) -> bool:
        """A count that differs from what the records say should be there."""
        return (
            self.kind == StockKind.COUNTED
            and self.expected_quantity is not None
            and Decimal(self.quantity) != Decimal(self.expected_quantity)
        )
