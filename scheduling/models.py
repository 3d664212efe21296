"""Shifts, absences, visits and their patterns, rota weeks and swaps."""

import calendar
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from careteams import limits
from careteams.models import Membership, Team


class ShiftKind(models.TextChoices):
    EARLY = "early", "Early"
    LATE = "late", "Late"
    LONG_DAY = "long_day", "Long day"
    NIGHT = "night", "Night"
    ON_CALL = "on_call", "On call"
    OFFICE = "office", "Office and planning"


class Shift(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="shifts")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="shifts")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=ShiftKind.choices, default=ShiftKind.EARLY)
    # The rest break planned inside the shift: unpaid, and what the 20-minute break rule checks.
    break_minutes = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=limits.ROTA_NOTE_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("start",)
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_start"),
            models.CheckConstraint(
                condition=Q(break_minutes__lte=180), name="shift_break_at_most_3_hours"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ShiftKind.values), name="shift_kind_is_a_choice"
            ),
            # No two shifts of one member overlap: on PostgreSQL an exclusion constraint
            # (shift_member_no_overlap) added by migration 0003 only, not declared here, because
            # SQLite cannot build it (docs/rostering.md).
        ]
        indexes = [
            models.Index(fields=["team", "start"], name="shift_team_start"),
            models.Index(fields=["member", "start"], name="shift_member_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    SICKNESS = "sickness", "Sickness"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class Absence(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="absences")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField(max_length=16, choices=AbsenceKind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=limits.ROTA_NOTE_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("start",)
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="absence_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AbsenceKind.values), name="absence_kind_is_a_choice"
            ),
        ]
        indexes = [models.Index(fields=["team", "start"], name="absence_team_start")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.start:%Y-%m-%d}"


class VisitPattern(models.Model):
    """A client's recurring visits: turned into a week's visits by the week generator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visit_patterns")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="visit_patterns"
    )
    weekdays = models.JSONField(default=list, help_text="ISO weekdays, 1 = Monday … 7 = Sunday.")
    window_start = models.TimeField(help_text="Earliest start, in the team's time zone.")
    window_end = models.TimeField(help_text="Latest start, in the team's time zone.")
    duration_minutes = models.PositiveSmallIntegerField()
    required_skills = models.JSONField(default=list, blank=True)
    carers_needed = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("client", "window_start")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=720),
                name="pattern_duration_5_to_720_minutes",
            ),
            models.CheckConstraint(
                condition=Q(carers_needed__gte=1) & Q(carers_needed__lte=2),
                name="pattern_carers_needed_1_or_2",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="pattern_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="pattern_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} at {self.window_start:%H:%M} on {', '.join(self.day_names)}"

    @property
    def day_names(self) -> list[str]:
        return [calendar.day_abbr[day - 1] for day in sorted(self.weekdays)]


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
    MISSED = "missed", "Missed"


class Visit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="visits")
    pattern = models.ForeignKey(
        VisitPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    required_skills = models.JSONField(default=list, blank=True)
    carers_needed = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=VisitStatus.choices, default="planned")
    # Kept by the week generator: a visit someone changed by hand is never regenerated.
    edited_by_hand = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True, help_text="On the device.")
    check_in_received_at = models.DateTimeField(null=True, blank=True, help_text="By the server.")
    checked_out_at = models.DateTimeField(null=True, blank=True, help_text="On the device.")
    check_out_received_at = models.DateTimeField(null=True, blank=True, help_text="By the server.")
    carers = models.ManyToManyField(Membership, through="VisitAssignment", related_name="visits")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("planned_start",)
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")), name="visit_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(carers_needed__gte=1) & Q(carers_needed__lte=2),
                name="visit_carers_needed_1_or_2",
            ),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_end__gte=F("window_start")),
                name="visit_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True)
                | Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=F("checked_in_at")),
                name="visit_check_out_after_check_in",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_is_a_choice"
            ),
            # One generated visit per pattern and start: generating a week twice adds nothing.
            models.UniqueConstraint(
                fields=["pattern", "planned_start"],
                condition=Q(pattern__isnull=False),
                name="visit_once_per_pattern_and_start",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "planned_start"], name="visit_team_start"),
            models.Index(fields=["client", "planned_start"], name="visit_client_start"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.planned_start:%Y-%m-%d %H:%M}"


class VisitAssignment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "member"], name="assignment_once_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.visit}"


class RotaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class RotaWeek(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rota_weeks")
    week_start = models.DateField(help_text="The Monday, in the team's time zone.")
    status = models.CharField(max_length=10, choices=RotaStatus.choices, default="draft")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("team", "-week_start")
        constraints = [
            models.UniqueConstraint(fields=["team", "week_start"], name="rota_week_once_per_team"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="rota_week_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RotaStatus.values), name="rota_week_status_is_a_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} week of {self.week_start}"


class SwapStatus(models.TextChoices):
    OPEN = "open", "Open"
    TAKEN = "taken", "Taken"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SwapOffer(models.Model):
    """A member offers a shift or a visit to the team; another member takes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="swap_offers")
    offered_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, null=True, blank=True)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, null=True, blank=True)
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default="open")
    taken_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=(Q(shift__isnull=False) & Q(visit__isnull=True))
                | (Q(shift__isnull=True) & Q(visit__isnull=False)),
                name="swap_offers_a_shift_or_a_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status="taken") | Q(taken_by__isnull=False),
                name="swap_taken_has_taker",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SwapStatus.values), name="swap_status_is_a_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offered_by} offers {self.shift or self.visit}"


class RotaNotice(models.Model):
    """A change to a published week, shown to the member it affects until they have seen it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rota_notices")
    week_start = models.DateField(help_text="The Monday of the published week changed.")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="rota_notices")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["team", "week_start"], name="rota_notice_team_week"),
            models.Index(fields=["member", "seen_at"], name="rota_notice_member_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.text}"


# What happens at a visit has its own module (scheduling/visit_models.py, to keep files small);
# importing it here is what registers its models with the app.
from scheduling import visit_models  # noqa: E402, F401
