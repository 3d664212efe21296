"""What happens at a visit (issue 13): who attended, what was done, why a visit was missed.

All three are append-only in spirit: a mistaken check-in is withdrawn (the withdrawal is kept),
a changed task outcome is a new outcome that supersedes the earlier one, and a missed visit's
reason is corrected by a new reason. Re-exported from scheduling/models.py, Django's home for
the app's models; kept apart to keep that file small.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from careteams import limits
from careteams.team_owned import TeamOwnedChild


class AppendOnly(Exception):
    """An attempt to change or delete a task outcome or a missed visit's reason."""


class AttendanceRole(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned carer")
    EXTRA = "extra", _("Also attending")


class VisitAttendance(TeamOwnedChild):
    """One carer at one visit: their own check-in and check-out. A double-up visit has two; a
    second carer arriving at a single visit is recorded as an extra attendee. The visit's own
    checked_in_at, checked_out_at and status are derived from these (older devices read them)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        "scheduling.Visit", on_delete=models.PROTECT, related_name="attendances"
    )
    member = models.ForeignKey(
        "careteams.Membership", on_delete=models.PROTECT, related_name="attendances"
    )
    role = models.CharField(max_length=10, choices=AttendanceRole.choices)
    checked_in_at = models.DateTimeField(help_text="On the device.")
    check_in_received_at = models.DateTimeField(help_text="By the server.")
    # Set when the check-in was far outside the visit's window and the carer confirmed it.
    confirmed_reason = models.CharField(max_length=limits.REASON_MAX, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True, help_text="On the device.")
    check_out_received_at = models.DateTimeField(null=True, blank=True, help_text="By the server.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=limits.REASON_MAX, blank=True)
    # Where the device was at check-in, only when the carer chose to share it: the team may
    # confirm it as the client's home location (with the client's consent). Team-only: never
    # in the family's or the coach's feed (scheduling/entities.py).
    device_latitude = models.FloatField(null=True, blank=True)
    device_longitude = models.FloatField(null=True, blank=True)
    device_accuracy_m = models.FloatField(null=True, blank=True, help_text="Metres.")
    version = models.PositiveIntegerField(default=1)

    team_parent = "visit"

    class Meta:
        ordering = ("visit", "checked_in_at")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "member"],
                condition=Q(withdrawn_at__isnull=True),
                name="attendance_one_live_per_member_and_visit",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=F("checked_in_at")),
                name="attendance_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(role__in=AttendanceRole.values), name="attendance_role_is_a_choice"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(checked_out_at__isnull=True),
                name="attendance_withdrawn_not_checked_out",
            ),
            models.CheckConstraint(
                condition=Q(device_latitude__isnull=True, device_longitude__isnull=True)
                | Q(
                    device_latitude__gte=-90,
                    device_latitude__lte=90,
                    device_longitude__gte=-180,
                    device_longitude__lte=180,
                ),
                name="attendance_device_location_both_or_neither_and_on_earth",
            ),
            models.CheckConstraint(
                condition=Q(device_accuracy_m__isnull=True)
                | Q(device_latitude__isnull=False, device_accuracy_m__gte=0),
                name="attendance_device_accuracy_with_a_location",
            ),
        ]
        indexes = [models.Index(fields=["member", "checked_in_at"], name="attendance_member_in")]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.visit_id}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class TaskOutcome(models.TextChoices):
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")


class NotDoneReason(models.TextChoices):
    REFUSED = "refused", _("Refused")
    NOT_NEEDED = "not_needed", _("Not needed")
    COULD_NOT = "could_not", _("Could not")


class VisitTaskOutcome(TeamOwnedChild):
    """What happened to one task of one visit. Never changed: a new outcome for the same task
    supersedes the earlier one, which stays readable (who said what, when)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        "scheduling.Visit", on_delete=models.PROTECT, related_name="task_outcomes"
    )
    # "intervention:<uuid>" for a care plan task, "visit:<text>" for one of the visit's own.
    task_key = models.CharField(max_length=limits.TASK_MAX + 20)
    task_label = models.CharField(max_length=limits.CARE_DESCRIPTION_MAX)
    intervention = models.ForeignKey(
        "clients.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_outcomes",
    )
    outcome = models.CharField(max_length=10, choices=TaskOutcome.choices)
    reason = models.CharField(max_length=12, choices=NotDoneReason.choices, blank=True)
    note = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(help_text="On the device.")
    received_at = models.DateTimeField(auto_now_add=True, help_text="By the server.")
    version = models.PositiveIntegerField(default=1)

    team_parent = "visit"

    class Meta:
        ordering = ("visit", "task_key", "received_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=TaskOutcome.values), name="task_outcome_is_a_choice"
            ),
            models.CheckConstraint(
                condition=(Q(outcome=TaskOutcome.DONE) & Q(reason=""))
                | (Q(outcome=TaskOutcome.NOT_DONE) & Q(reason__in=NotDoneReason.values)),
                name="task_not_done_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(reason=NotDoneReason.COULD_NOT) | ~Q(note=""),
                name="task_could_not_has_a_note",
            ),
            models.CheckConstraint(condition=Q(version=1), name="task_outcome_version_is_1"),
        ]
        indexes = [models.Index(fields=["visit", "task_key"], name="task_outcome_visit_task")]

    def __str__(self) -> str:
        return f"{self.task_label}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Record a new one instead: the earlier one stays as it was.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Record a new one instead: the earlier one stays as it was.")


class MissedReason(models.TextChoices):
    NOT_HOME = "not_home", _("The client was not at home")
    IN_HOSPITAL = "in_hospital", _("The client is in hospital")
    DECLINED = "declined", _("The client declined the visit")
    NO_CARER = "no_carer", _("No carer could go")
    TRAVEL = "travel", _("Travel or weather")
    OTHER = "other", _("Something else (say what)")


class MissedVisit(TeamOwnedChild):
    """Why a visit did not happen. A correction is a new record (the latest one stands)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        "scheduling.Visit", on_delete=models.PROTECT, related_name="missed_reasons"
    )
    reason = models.CharField(max_length=12, choices=MissedReason.choices)
    note = models.CharField(max_length=limits.REASON_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(help_text="On the device.")
    received_at = models.DateTimeField(auto_now_add=True, help_text="By the server.")
    version = models.PositiveIntegerField(default=1)

    team_parent = "visit"

    class Meta:
        ordering = ("visit", "received_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=MissedReason.values), name="missed_reason_is_a_choice"
            ),
            models.CheckConstraint(
                condition=~Q(reason=MissedReason.OTHER) | ~Q(note=""),
                name="missed_other_has_a_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} missed: {self.reason}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Record a new one instead: the earlier one stays as it was.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Record a new one instead: the earlier one stays as it was.")
