"""Clients, their Omaha care plans, notes and family access."""

import uuid
from typing import Any, ClassVar, Final

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careteams import limits, registry
from careteams.models import Membership, Team
from careteams.team_owned import TeamOwnedChild
from clients import nhs_number, omaha


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused (in hospital or away)")
    DISCHARGED = "discharged", _("Discharged")
    DIED = "died", _("Died")


class RiskFlag(models.TextChoices):
    FALLS = "falls", _("Falls risk")
    LIVES_ALONE = "lives_alone", _("Lives alone")
    DNACPR = "dnacpr", _("DNACPR in place")
    ALLERGY = "allergy", _("Allergy")
    SAFEGUARDING = "safeguarding", _("Safeguarding concern")
    OXYGEN = "oxygen", _("Home oxygen")
    PRESSURE_ULCER = "pressure_ulcer", _("Pressure ulcer risk")
    ANIMALS = "animals", _("Animals in the home")
    LONE_WORKING = "lone_working", _("Lone-working risk")


class ClientLanguage(models.TextChoices):
    """The language the client prefers to be cared for in (the Active Offer, docs/rostering.md).
    "" is not asked yet; another language is named in `language_other`."""

    NOT_RECORDED = "", _("Not recorded")
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Cymraeg (Welsh)")
    OTHER = "other", _("Another language")


class LocationSource(models.TextChoices):
    RECORD = "record", "Entered on the record"
    CHECK_IN = "check_in", "Confirmed from a check-in, with consent"


class Client(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="clients")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Null, not blank, when unknown: the unique constraint must not see "" as a shared value.
    nhs_number = models.CharField(  # noqa: DJ001
        "NHS number", max_length=10, null=True, blank=True, validators=[nhs_number.validate]
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    access_notes = models.TextField(
        blank=True, help_text="Key safe, parking, pets: for the team only, never the family."
    )
    # Apart from the access notes because it opens the door: only the team's nurses and the
    # carers on a visit to the client that day read it (clients.access.key_safe_client_ids),
    # and it never goes into the change feed (clients/entities.py, server_only).
    key_safe_code = models.CharField(
        "key-safe code",
        max_length=limits.KEY_SAFE_CODE_MAX,
        blank=True,
        help_text="For the team's nurses, and carers on the day of their visit only.",
    )
    # When the code last changed: the visit card tells a carer it changed since their last
    # visit, which the feed cannot (the code never goes into it).
    key_safe_changed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ClientStatus.choices, default="active")
    primary_nurse = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    second_nurse = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk_flags = models.JSONField(default=list, blank=True)
    # On the doorstep (issue 13): for the team only, never the family (clients/doorstep.py).
    gp_practice_name = models.CharField("GP practice", max_length=200, blank=True)
    gp_practice_phone = models.CharField("GP practice phone", max_length=30, blank=True)
    communication_needs = models.TextField(
        blank=True, help_text="Hearing, sight, language, how to speak with them."
    )
    # The language they prefer (issue 30), and whether they need it (dementia, a stroke: the
    # language they can still use); the planner prefers, and the board asks for, a carer who
    # speaks it (careteams.skills.Skill.WELSH for Cymraeg).
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=ClientLanguage.choices,
        blank=True,
        default=ClientLanguage.NOT_RECORDED,
    )
    language_other = models.CharField(
        _("the other language"), max_length=60, blank=True, help_text=_("For example Polish.")
    )
    language_needed = models.BooleanField(
        _("needs care in this language"),
        default=False,
        help_text=_("They cannot easily be cared for in another language, for example dementia."),
    )
    # The client's own sign-in, for the plain-language plan view.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_record",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Where the client lives, for travel between visits (scheduling/travel.py): typed on the
    # record, or confirmed by the team from a check-in's device location with consent.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(
        max_length=16, choices=LocationSource.choices, blank=True, default=""
    )

    class Meta:
        ordering = ("family_name", "given_name")
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=Q(nhs_number__isnull=False),
                name="client_nhs_number_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClientStatus.values), name="client_status_is_a_choice"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ClientLanguage.values), name="client_language_is_a_choice"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__isnull=False)
                    & Q(longitude__isnull=False)
                    & Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="client_location_both_or_neither_and_on_earth",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "family_name"], name="client_team_family_name"),
            models.Index(fields=["team", "postcode"], name="client_team_postcode"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return nhs_number.display(self.nhs_number or "")

    @property
    def language_label(self) -> str:
        """The language they prefer in words ("" when not recorded): the one named, if another."""
        if self.language == ClientLanguage.OTHER:
            return self.language_other
        return str(self.get_language_display()) if self.language else ""


class ProblemStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RESOLVED = "resolved", "Resolved"


class CareProblem(TeamOwnedChild):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="problems")
    problem_code = models.CharField(max_length=2, choices=omaha.PROBLEM_CHOICES)
    scope = models.CharField(max_length=16, choices=omaha.Scope.choices, default="individual")
    severity = models.CharField(max_length=16, choices=omaha.Severity.choices, default="actual")
    signs_symptoms = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=ProblemStatus.choices, default="active")
    identified_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    team_parent = "client"

    class Meta:
        ordering = ("client", "problem_code")
        constraints = [
            models.CheckConstraint(
                condition=Q(problem_code__in=list(omaha.PROBLEMS)), name="problem_code_is_omaha"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True)
                | Q(resolved_on__gte=models.F("identified_on")),
                name="problem_resolved_after_identified",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=omaha.Scope.values), name="problem_scope_is_omaha"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=omaha.Severity.values), name="problem_severity_is_omaha"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values), name="problem_status_is_a_choice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_code} {self.problem.name}"

    @property
    def problem(self) -> omaha.Problem:
        return omaha.PROBLEMS[self.problem_code]


class Intervention(TeamOwnedChild):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    problem = models.ForeignKey(CareProblem, on_delete=models.PROTECT, related_name="interventions")
    category = models.CharField(max_length=20, choices=omaha.Category.choices)
    target = models.CharField(max_length=2, choices=omaha.TARGET_CHOICES)
    care_description = models.TextField(help_text="What we do, specifically.")
    frequency = models.CharField(
        max_length=limits.FREQUENCY_MAX, blank=True, help_text="How often, e.g. daily."
    )
    active = models.BooleanField(default=True)
    # Which visits the intervention is a task of (scheduling/rules/tasks.py): parts of the day
    # (empty: any), ISO weekdays (empty: every day), every N days counted from a date.
    visit_parts = models.JSONField(default=list, blank=True)
    visit_weekdays = models.JSONField(default=list, blank=True)
    every_days = models.PositiveSmallIntegerField(default=1)
    every_days_from = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    team_parent = "problem"

    class Meta:
        ordering = ("problem", "category", "target")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1) & Q(every_days__lte=28),
                name="intervention_every_1_to_28_days",
            ),
            models.CheckConstraint(
                condition=Q(target__in=list(omaha.TARGETS)), name="intervention_target_is_omaha"
            ),
            models.CheckConstraint(
                condition=Q(category__in=omaha.Category.values),
                name="intervention_category_is_omaha",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.get_target_display()}"


class OutcomeRating(TeamOwnedChild):
    """Knowledge, Behaviour and Status of one problem on one day, each 1 (worst) to 5."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    problem = models.ForeignKey(CareProblem, on_delete=models.PROTECT, related_name="ratings")
    knowledge = models.PositiveSmallIntegerField()
    behaviour = models.PositiveSmallIntegerField()
    status = models.PositiveSmallIntegerField()
    rated_on = models.DateField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    team_parent = "problem"

    class Meta:
        ordering = ("problem", "rated_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{scale}__gte": 1}) & Q(**{f"{scale}__lte": 5}),
                name=f"rating_{scale}_1_to_5",
            )
            for scale in ("knowledge", "behaviour", "status")
        ]
        indexes = [models.Index(fields=["problem", "rated_on"], name="rating_problem_date")]

    def __str__(self) -> str:
        return f"K{self.knowledge} B{self.behaviour} S{self.status} on {self.rated_on}"


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete a note: write a note that amends it instead."""


class Note(TeamOwnedChild):
    """A contemporaneous note. Append-only: never updated or deleted (a database trigger, too).

    A correction is a new note whose `amends` points at the earlier one, which stays readable.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The visit the note was written at. The rota owns the link (visits are for clients, so
    # scheduling imports clients and never the reverse): here it is the visit's id, kept by the
    # database's foreign key (migration 0011), and scheduling reads a visit's notes by it.
    visit_id = models.UUIDField(null=True, blank=True, db_index=True)
    problems = models.ManyToManyField(CareProblem, through="NoteProblem", blank=True)
    body = models.TextField()
    shareable = models.BooleanField(
        default=False, help_text="The family and the client may read it."
    )
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    recorded_at = models.DateTimeField(help_text="When it was written, on the device.")
    received_at = models.DateTimeField(auto_now_add=True, help_text="When the server received it.")
    version = models.PositiveIntegerField(default=1)

    team_parent = "client"

    class Meta:
        ordering = ("client", "-recorded_at")
        constraints = [
            models.CheckConstraint(condition=Q(version=1), name="note_version_is_always_1"),
            models.CheckConstraint(
                condition=~Q(amends=models.F("id")), name="note_does_not_amend_itself"
            ),
        ]
        indexes = [models.Index(fields=["client", "recorded_at"], name="note_client_recorded")]

    def __str__(self) -> str:
        return f"Note {self.id} on {self.client_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Notes are never changed: write a note that amends this one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Notes are never deleted: write a note that amends this one.")


class NoteProblem(TeamOwnedChild):
    """The problems a note is about; fixed when the note is written (also append-only)."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT)
    problem = models.ForeignKey(CareProblem, on_delete=models.PROTECT)

    team_parent = "note"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "problem"], name="note_problem_once"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id} is about {self.problem_id}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Husband, wife or partner")
    CHILD = "child", _("Son or daughter")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    FRIEND = "friend", _("Friend or neighbour")
    ADVOCATE = "advocate", _("Advocate")


class ConsentBasis(models.TextChoices):
    CLIENT_CONSENT = "client_consent", "The client agreed"
    LPA_HEALTH = "lpa_health", "Lasting power of attorney (health and welfare)"
    COURT_DEPUTY = "court_deputy", "Court-appointed deputy"
    BEST_INTERESTS = "best_interests", "Best-interests decision"


class FamilyAccess(TeamOwnedChild):
    """A person's read access to one client's plan, visits and shared notes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="family_access")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="family_access",
        help_text="Empty until the invitation is accepted.",
    )
    invited_email = models.EmailField(blank=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    consent_basis = models.CharField(max_length=20, choices=ConsentBasis.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    # Only a hash of the invitation token is kept; the link itself is shown once.
    invitation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invitation_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[models.Manager["FamilyAccess"]] = models.Manager()
    team_parent = "client"

    class Meta:
        verbose_name_plural = "family access"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "person"],
                condition=Q(revoked_at__isnull=True, person__isnull=False),
                name="one_live_family_access_per_person_and_client",
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values),
                name="family_relationship_is_a_choice",
            ),
            models.CheckConstraint(
                condition=Q(consent_basis__in=ConsentBasis.values),
                name="family_consent_basis_is_a_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.invited_email} → {self.client}"

    @property
    def is_live(self) -> bool:
        return self.person_id is not None and self.revoked_at is None


class DisclosureLevel(models.TextChoices):
    """What the team may tell an emergency contact, as the client (or their deputy) agreed."""

    CLINICAL = "clinical", _("May be told clinical detail")
    WELFARE = "welfare", _("Only that they are safe or unwell, no clinical detail")
    CONTACT_ONLY = "contact_only", _("Only to be called in an emergency, told nothing else")


class EmergencyContact(TeamOwnedChild):
    """Whom to call in an emergency: for the team only, never the family (their own access
    is FamilyAccess). Changed and removed through clients.services.doorstep, each versioned."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="emergency_contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30)
    may_be_told = models.CharField(
        max_length=16, choices=DisclosureLevel.choices, default=DisclosureLevel.CONTACT_ONLY
    )
    order = models.PositiveSmallIntegerField(default=1, help_text="1 is called first.")
    version = models.PositiveIntegerField(default=1)

    team_parent = "client"

    class Meta:
        ordering = ("client", "order", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(may_be_told__in=DisclosureLevel.values),
                name="emergency_contact_disclosure_is_a_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship}) for {self.client_id}"

    @property
    def may_hear_clinical_detail(self) -> bool:
        return self.may_be_told == DisclosureLevel.CLINICAL


# An allergy or sensitivity on the client record (docs/architecture.md, "Adding a new kind of
# record", the worked example). Declared in clients/entities.py, written by
# clients/services/allergies.py; its page, API read and offline writes are the generic ones.
ALLERGY: Final = registry.kind_name("allergy")


class AllergyKind(models.TextChoices):
    ALLERGY = "allergy", _("Allergy")
    INTOLERANCE = "intolerance", _("Intolerance or sensitivity")


class AllergySeverity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    LIFE_THREATENING = "life_threatening", _("Life-threatening (anaphylaxis)")
    UNKNOWN = "unknown", _("Not known")


class AllergyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended (resolved or recorded in error)")


class Allergy(TeamOwnedChild):
    """What the client reacts to, and how badly. Never deleted: ended, so the history stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="allergies")
    substance = models.CharField(
        _("substance"), max_length=200, help_text=_("For example penicillin, peanuts, latex.")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AllergyKind.choices, default=AllergyKind.ALLERGY
    )
    reaction = models.CharField(
        _("reaction"), max_length=300, blank=True, help_text=_("What happens, if known.")
    )
    severity = models.CharField(
        _("severity"),
        max_length=20,
        choices=AllergySeverity.choices,
        default=AllergySeverity.UNKNOWN,
    )
    status = models.CharField(
        max_length=8, choices=AllergyStatus.choices, default=AllergyStatus.ACTIVE, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    team_parent = "client"

    class Meta:
        ordering = ("client", "status", "-created_at")
        verbose_name_plural = "allergies"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AllergyKind.values)
                & Q(severity__in=AllergySeverity.values)
                & Q(status__in=AllergyStatus.values),
                name="allergy_choices_are_choices",
            ),
        ]

    def __str__(self) -> str:
        return str(self.substance)
