"""Accounts (saved through accounts.services.user_save), and invitations and session epochs,
changed only through accounts.services: read-only here, with actions that call those services.
The people-and-teams core (careteams/admin.py) registers the rest of its models."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.models import SessionEpoch, TeamInvitation
from accounts.services import user_save
from careteams.admin_feed import ReadOnlyAdmin
from careteams.errors import DomainError
from careteams.models import User


@admin.register(TeamInvitation)
class TeamInvitationAdmin(ReadOnlyAdmin):
    """Links are made by team members on the team's page, never here: the token is shown once."""

    list_display = ("email", "team", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("team",)
    list_select_related = ("team",)
    search_fields = ("email",)
    exclude = ("token_hash",)
    actions = ("withdraw",)

    @admin.action(description="Withdraw the chosen invitations")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[TeamInvitation]) -> None:
        for invitation in queryset:
            try:
                services.team_invitation_withdraw(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{invitation}: {error.detail}", messages.ERROR)


@admin.register(SessionEpoch)
class SessionEpochAdmin(ReadOnlyAdmin):
    list_display = ("user", "epoch", "changed_at")
    list_select_related = ("user",)

    actions = ("sign_out",)

    @admin.action(description="Sign the chosen people out everywhere")
    def sign_out(self, request: HttpRequest, queryset: QuerySet[SessionEpoch]) -> None:
        for row in queryset.select_related("user"):
            services.sessions_end_others(user=row.user)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user_save(user=obj, actor=request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Accounts are switched off (is_active), never deleted: notes and the feed name them."""
        return False
