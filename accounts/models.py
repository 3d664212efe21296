"""Invitations to join a team, the per-user session epoch behind "sign out everywhere", the
failed sign-ins behind the lockout (accounts.lockout) and the signed-in devices' tokens
(accounts.tokens)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from careteams.models import Role, Team


class TeamInvitation(models.Model):
    """A team member invites a colleague by email. The link carries a random token; only its
    SHA-256 is stored. It works once, for TEAM_INVITATION_DAYS, unless withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Role.choices)
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_hours__gte=0) & Q(contracted_hours__lte=60),
                name="team_invitation_hours_0_to_60",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="team_invitation_accepted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.team}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class SessionEpoch(models.Model):
    """Raised by "sign out of all other devices": a session signed in under an older epoch is
    ended on its next request. Read in the same query that loads the user (accounts.backends)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="session_epoch",
    )
    epoch = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id} epoch {self.epoch}"


class SignInFailures(models.Model):
    """Failed sign-ins for one account (the email address typed, known or not) from one client
    address, or from everywhere when `address` is ANYWHERE. Kept in the database, not the cache,
    so that restarting or losing Redis neither lifts nor breaks a lockout."""

    ANYWHERE = "*"

    id = models.BigAutoField(primary_key=True)
    account = models.CharField(max_length=254)
    address = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "address"], name="sign_in_failures_once")
        ]

    def __str__(self) -> str:
        return f"{self.account} from {self.address}: {self.failures}"


class DeviceToken(models.Model):
    """A signed-in device. Only the SHA-256 of the token is kept: the token is shown once.

    A token works while it is not revoked, has been used within DEVICE_TOKEN_IDLE_DAYS, is
    younger than DEVICE_TOKEN_MAX_DAYS, the password is the one it was issued under
    (`password_stamp`), and it carries the second factor the account needs (accounts.tokens).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    name = models.CharField(max_length=100, help_text="The device's name, as the user gave it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    with_second_factor = models.BooleanField(
        default=False, help_text="Issued after a two-factor code, not the password alone."
    )
    # An HMAC of the password hash when issued: any password change, by any route, ends it.
    password_stamp = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        # Moved from mobile_api with its rows: the table keeps its name (migrations
        # accounts.0003 and mobile_api.0004 move the model in state only).
        db_table = "mobile_api_devicetoken"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "created_at"], name="device_token_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def expires_at(self) -> dt.datetime:
        """When it ends if not used again: idle, or at the latest, its absolute limit."""
        idle = (self.last_used_at or self.created_at) + dt.timedelta(
            days=settings.DEVICE_TOKEN_IDLE_DAYS
        )
        return min(idle, self.created_at + dt.timedelta(days=settings.DEVICE_TOKEN_MAX_DAYS))
