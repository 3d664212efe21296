"""How a team runs itself: rotating role terms, meetings and their agendas, consent decisions
(append-only), the actions they give people, and requests for the coach's help."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from careteams.models import Membership, Team, TeamRole, User

TITLE_MAX = 200
TEXT_MAX = 4_000
ACTION_MAX = 300


class RoleTerm(models.Model):
    """One member holding one rotating role from a day to a day. Ending it early (a handover)
    sets `ended_on`; a term past its end and not handed over is overdue, not ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="role_terms")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="role_terms")
    role = models.CharField(max_length=32, choices=TeamRole.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("role", "starts_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="role_term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values), name="role_term_role_is_a_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.starts_on}–{self.ends_on}"


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=TITLE_MAX)
    held_on = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-held_on", "-created_at")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("On the agenda")
    DECIDED = "decided", _("Decided")
    PARKED = "parked", _("Parked")


class AgendaItem(models.Model):
    """Anyone in the team adds one; its proposal is what the meeting decides on by consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="agenda_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(max_length=TITLE_MAX)
    proposal = models.TextField(max_length=TEXT_MAX, blank=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default="open")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="agenda_item_status_is_a_choice"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    CHANGED = "changed", _("Agreed as changed")
    PARKED = "parked", _("Parked")


class Decision(models.Model):
    """A decision by consent. Append-only, like notes: the database refuses updates and deletes
    (teamwork/db_guards.py); a change of decision is a new decision that `supersedes` it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    title = models.CharField(max_length=TITLE_MAX)
    text = models.TextField(max_length=TEXT_MAX)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # Memberships present, as ids: a list frozen with the decision (no join table to edit).
    present = models.JSONField(default=list)
    objections = models.TextField(max_length=TEXT_MAX, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-decided_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="decision_outcome_is_a_choice"
            )
        ]
        indexes = [models.Index(fields=["team", "decided_at"], name="decision_team_time")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnly("A decision is never changed: record a new one that supersedes it.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("A decision is never deleted: record a new one that supersedes it.")


class AppendOnly(Exception):
    """An attempt to change or delete a decision."""


class ActionItem(models.Model):
    """Something the team must do, on its actions list until done. Either a decision asks it of
    one member, by a day, or a record raised it for the team (`medicine_line`: a client refused
    a medicine three times in a row, so the team tells the GP); such an action has no owner
    until a member takes it, and is withdrawn, with the reason, when a correction undoes the
    refusals that raised it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="action_items")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    text = models.CharField(max_length=ACTION_MAX)
    owner = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by three refusals in a row: the line, and the time the third refused dose was due
    # (the run's anchor: one action per run, whoever or whatever writes the records again).
    medicine_line = models.ForeignKey(
        "medicines.MedicineLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dose_due_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=ACTION_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("due_on", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False, owner__isnull=False)
                | Q(decision__isnull=True, medicine_line__isnull=False, dose_due_at__isnull=False),
                name="action_item_from_a_decision_or_a_record",
            ),
            models.UniqueConstraint(
                fields=["medicine_line", "dose_due_at"], name="action_item_once_per_refusal_run"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.withdrawn_at is None


class HelpTopic(models.TextChoices):
    PLANNING = "planning", _("Planning and the rota")
    WORKLOAD = "workload", _("Workload and hours")
    DECIDING = "deciding", _("Deciding together")
    CONFLICT = "conflict", _("Working together")
    FIGURES = "figures", _("Our figures")
    OTHER = "other", _("Something else")


class HelpRequest(models.Model):
    """The team asks its coach for help; the coach answers. No client detail belongs here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="help_requests")
    topic = models.CharField(max_length=16, choices=HelpTopic.choices)
    text = models.TextField(max_length=TEXT_MAX)
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(max_length=TEXT_MAX, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-asked_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=HelpTopic.values), name="help_request_topic_is_a_choice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.asked_at:%Y-%m-%d})"
