"""People and teams: users, teams, memberships, coach links, the change feed, the read log."""

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from careteams.skills import unknown_skills


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Language(models.TextChoices):
    """The interface's languages (settings.LANGUAGES). Each is named in its own language, never
    translated: a person looking for their language finds it by the name they know."""

    ENGLISH = "en-gb", "English"
    WELSH = "cy", "Cymraeg"


class User(AbstractUser):
    """Anyone who signs in: team members, coaches, family members, clients.

    What a user may see follows from their relations (memberships, coach links, family access,
    a client record of their own), never from a flag on the user.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    # Blank: their team's language (Team.language) until they choose (accounts/language.py).
    language = models.CharField(max_length=8, choices=Language.choices, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ("last_name", "first_name")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("%(value)s is not a known time zone."), params={"value": value}
        )


class HolidayRegion(models.TextChoices):
    ENGLAND = "ENG", _("England")
    WALES = "WLS", _("Wales")
    SCOTLAND = "SCT", _("Scotland")
    NORTHERN_IRELAND = "NIR", _("Northern Ireland")


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    timezone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    holiday_country = models.CharField(max_length=2, default="GB")
    holiday_subdivision = models.CharField(
        max_length=3, choices=HolidayRegion.choices, default=HolidayRegion.ENGLAND, blank=True
    )
    continuity_limit = models.PositiveSmallIntegerField(
        default=4, help_text="More distinct carers than this for one client in a week is flagged."
    )
    # How families and carers reach the team, and when a visit counts as late (issue 13).
    late_grace_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="A visit not checked in this long after its latest start is late."
    )
    phone = models.CharField(max_length=30, blank=True)
    phone_hours = models.CharField(
        max_length=200, blank=True, help_text="When the phone is answered, e.g. 8am to 8pm daily."
    )
    # Who may change the team's settings and its members' skills, hours and roles: any member
    # (blank), or the holders of this rotating role (careteams.access.require_manager_of).
    managed_by_role = models.CharField(max_length=32, blank=True, default="")
    # The language the team offers first (the Active Offer: a Welsh team offers Cymraeg without
    # being asked); its members who have not chosen one see it.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    # Notices meant for the public (the family's page header, the care plan PDF's headings) in
    # Cymraeg and English side by side, as a Welsh public service may be asked to
    # (careteams.bilingual).
    bilingual_notices = models.BooleanField(default=False)
    # The change feed's counter; only careteams.changes.record() moves it, under the row lock.
    last_change_seq = models.BigIntegerField(default=0, editable=False)
    # The seq of the team's last change of a kind its plan is derived from (registry's
    # `plan_input`: visits, shifts, members...): what the week's rule results are kept under, so
    # a note or a check-in, which the rules never read, leaves them current. Moved with
    # `last_change_seq`, in the same statement.
    plan_seq = models.BigIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(last_change_seq__gte=0), name="team_change_seq_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(late_grace_minutes__lte=240), name="team_late_grace_at_most_4_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Role(models.TextChoices):
    REGISTERED_NURSE = "registered_nurse", _("Registered nurse")
    NURSING_ASSOCIATE = "nursing_associate", _("Nursing associate")
    CARE_WORKER = "care_worker", _("Care worker")
    STUDENT = "student", _("Student")


class TeamRole(models.TextChoices):
    """Rotating roles a team hands round. Labels, not permissions: any member may plan."""

    PLANNER = "planner", _("Planner")
    MENTOR = "mentor", _("Mentor")
    TRAINING = "training", _("Training lead")
    FINANCE = "finance", _("Finance")
    QUALITY = "quality", _("Quality")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    skills = models.JSONField(default=list, blank=True)
    contracted_hours = models.DecimalField(
        max_digits=4, decimal_places=1, default=0, help_text="Hours a week."
    )
    team_roles = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ("team", "user__first_name", "user__last_name")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_user_and_team",
            ),
            models.CheckConstraint(
                condition=Q(contracted_hours__gte=0) & Q(contracted_hours__lte=60),
                name="membership_contracted_hours_0_to_60",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_is_a_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.team})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def clean(self) -> None:
        if bad := unknown_skills(self.skills):
            raise ValidationError(
                {"skills": gettext("Unknown skills: %(skills)s.") % {"skills": ", ".join(bad)}}
            )
        if not isinstance(self.team_roles, list) or any(
            r not in TeamRole.values for r in self.team_roles
        ):
            raise ValidationError({"team_roles": gettext("Unknown team role.")})


class CoachLink(models.Model):
    """A coach supports a team: team figures and the rota, never clinical detail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coach = models.ForeignKey(User, on_delete=models.PROTECT, related_name="coach_links")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="coach_links")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "team"],
                condition=Q(ended_at__isnull=True),
                name="one_active_coach_link_per_coach_and_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.team}"


class ChangeOp(models.TextChoices):
    UPSERT = "upsert", "Upsert"
    DELETE = "delete", "Delete"


class Change(models.Model):
    """One entry of a team's change feed (see docs/architecture.md, "The change feed")."""

    id = models.BigAutoField(primary_key=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="changes")
    seq = models.BigIntegerField()
    entity = models.CharField(max_length=40)
    entity_id = models.UUIDField()
    op = models.CharField(max_length=8, choices=ChangeOp.choices)
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Not a foreign key: the feed outlives any one record and must not tie careteams to clients.
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("team", "seq")
        constraints = [
            models.UniqueConstraint(fields=["team", "seq"], name="change_seq_unique_per_team"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="change_seq_positive"),
        ]
        indexes = [
            models.Index(fields=["client_id", "seq"], name="change_client_seq"),
            models.Index(fields=["entity", "entity_id"], name="change_entity"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} #{self.seq} {self.op} {self.entity} {self.entity_id}"


class Door(models.TextChoices):
    PAGE = "page", "Web page"
    API = "api", "Mobile API"
    PDF = "pdf", "PDF download"
    SOCKET = "socket", "Live connection"
    ADMIN = "admin", "Admin"


class AccessEvent(models.Model):
    """Who read (or tried to read) which client's record, when, through which door."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="access_events"
    )
    client_id = models.UUIDField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True)
    what = models.CharField(
        max_length=60, help_text="What was read, e.g. record, notes, care plan."
    )
    door = models.CharField(max_length=8, choices=Door.choices)
    allowed = models.BooleanField(default=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at",)
        indexes = [models.Index(fields=["client_id", "at"], name="access_event_client_at")]

    def __str__(self) -> str:
        return f"{self.user} read {self.what} of {self.client_id} via {self.door}"


class FeedIncarnation(models.Model):
    """The one row naming this copy of the change feed (docs/operations.md, "Restoring").

    Devices keep a cursor (a seq) into the feed. A restored backup reuses the seqs written
    after the backup for new changes, so an old cursor would silently skip them; after any
    restore `manage.py feed_new_incarnation` gives the feed a new id, and a cursor of another
    incarnation is told to resync.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    incarnation = models.UUIDField(default=uuid.uuid4)
    started_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="feed_incarnation_single")]

    def __str__(self) -> str:
        return f"Feed incarnation {self.incarnation} (since {self.started_at:%Y-%m-%d %H:%M})"


class SocketTicket(models.Model):
    """A one-time ticket for an app's WebSocket (realtime/tickets.py). In the database, not the
    cache, so that any worker redeems it whether or not Redis is up. Only its hash is kept."""

    digest = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    device_id = models.UUIDField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"ticket of {self.user_id} until {self.expires_at:%H:%M:%S}"
