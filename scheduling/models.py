"""Shifts, absences, visits and their patterns, rota weeks and swaps."""

import calendar
import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from careteams import limits
from careteams.models import Membership, Role, Team
from careteams.team_owned import TeamOwnedChild
from scheduling.rules.words import from_data
from scheduling.words import say


class ShiftKind(models.TextChoices):
    EARLY = "early", _("Early")
    LATE = "late", _("Late")
    LONG_DAY = "long_day", _("Long day")
    NIGHT = "night", _("Night")
    ON_CALL = "on_call", _("On call")
    OFFICE = "office", _("Office and planning")


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
    ANNUAL_LEAVE = "annual_leave", _("Annual leave")
    SICKNESS = "sickness", _("Sickness")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


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
    # The least role a visit needs ("" anyone): a role above it may take it, never one below.
    required_role = models.CharField(max_length=32, choices=Role.choices, blank=True, default="")
    carers_needed = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Every week (1), fortnightly (2) or every N weeks, counted from the week of valid_from.
    interval_weeks = models.PositiveSmallIntegerField(default=1)
    # The members who usually make these visits (ids, in order of preference): put on each new
    # visit when they are free. Plain ids travel in the feed and sync as they are.
    usual_carers = models.JSONField(default=list, blank=True)

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
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=1)
                & Q(interval_weeks__lte=limits.PATTERN_INTERVAL_WEEKS_MAX),
                name="pattern_interval_1_to_52_weeks",
            ),
            models.CheckConstraint(
                condition=Q(required_role="") | Q(required_role__in=Role.values),
                name="pattern_required_role_is_a_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} at {self.window_start:%H:%M} on {', '.join(self.day_names)}"

    @property
    def day_names(self) -> list[str]:
        return [calendar.day_abbr[day - 1] for day in sorted(self.weekdays)]

    @property
    def repeats(self) -> str:
        if self.interval_weeks == 1:
            return "Every week"
        if self.interval_weeks == 2:
            return "Every other week"
        return f"Every {self.interval_weeks} weeks"

    def in_week(self, monday: dt.date) -> bool:
        """Whether the pattern's visits fall in the week of `monday` (counted in whole weeks
        from the week of valid_from, so a fortnightly pattern keeps its own weeks)."""
        first = self.valid_from - dt.timedelta(days=self.valid_from.weekday())
        weeks = (monday - first).days // 7
        return weeks >= 0 and weeks % self.interval_weeks == 0


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


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
    # The least role the visit needs ("" anyone), e.g. a registered nurse: carried from its pattern.
    required_role = models.CharField(max_length=32, choices=Role.choices, blank=True, default="")
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
            models.CheckConstraint(
                condition=Q(required_role="") | Q(required_role__in=Role.values),
                name="visit_required_role_is_a_choice",
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


class VisitAssignment(TeamOwnedChild):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why a person gave the place although it breaks a hard rule (no shift, a missing skill,
    # double-booked, working time): asked for before the move, kept with it.
    reason = models.CharField(max_length=limits.REASON_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)

    team_parent = "visit"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "member"], name="assignment_once_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.visit}"


class RotaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


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
    OPEN = "open", _("Open")
    TAKEN = "taken", _("Taken")
    WITHDRAWN = "withdrawn", _("Withdrawn")


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
    # The text's template and values (scheduling/rules/words.py `as_data`), so a page says it
    # again in its reader's language; notices written before it have none and show their text.
    sentence = models.JSONField(null=True, blank=True)
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

    @property
    def said(self) -> str:
        """The notice as a Said, its days as When (to be said with `say`); the English text of
        a notice stored without its sentence."""
        restored = from_data(self.sentence) if self.sentence else None
        return restored if isinstance(restored, str) else self.text

    @property
    def words(self) -> str:
        """The notice in the active language (the reader's), for the pages that show it."""
        return say(self.said)


class PlanRunStatus(models.TextChoices):
    RUNNING = "running", _("Working out suggestions")
    STOPPING = "stopping", _("Stopping")
    DONE = "done", _("Suggestions ready")
    STOPPED = "stopped", _("Stopped")
    FAILED = "failed", _("Failed")


PLAN_RUN_ACTIVE = (PlanRunStatus.RUNNING, PlanRunStatus.STOPPING)


class PlanRun(models.Model):
    """One "Suggest carers" run of the planner for a team's week (or one day of it).

    The row is the run's whole state, so that any worker can show its progress or stop it: the
    thread that solves writes its progress here, and reads `status` to know it must stop.
    Proposals wait here until a person accepts them; nothing is assigned before that.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="plan_runs")
    week_start = models.DateField(help_text="The Monday of the week planned.")
    day = models.DateField(null=True, blank=True, help_text="The one day planned, if not the week.")
    status = models.CharField(
        max_length=10, choices=PlanRunStatus.choices, default=PlanRunStatus.RUNNING
    )
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    solver_status = models.CharField(max_length=16, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    # The solving thread's heartbeat: a run not heard of for a while died with its worker.
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{visit_id, visit_version, member_ids, reasons, state, note}] and [{visit_id, rule, reason}]
    proposals = models.JSONField(default=list, blank=True)
    unassignable = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-started_at",)
        constraints = [
            # One run at a time per team: two would propose the same carers twice.
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(status__in=["running", "stopping"]),
                name="plan_run_one_active_per_team",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanRunStatus.values), name="plan_run_status_is_a_choice"
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1),
                name="plan_run_progress_0_to_1",
            ),
        ]
        indexes = [models.Index(fields=["team", "week_start"], name="plan_run_team_week")]

    def __str__(self) -> str:
        return f"{self.team} plan of {self.day or self.week_start}"

    @property
    def active(self) -> bool:
        return self.status in PLAN_RUN_ACTIVE

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


# What happens at a visit and where a carer starts their day have their own modules
# (scheduling/visit_models.py, start_models.py: to keep files small);
# importing them here is what registers their models with the app.
from scheduling import start_models, visit_models  # noqa: E402, F401
