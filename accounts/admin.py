"""Invitations and session epochs are changed only through accounts.services: read-only here,
with actions that call those services."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import services
from accounts.models import SessionEpoch, TeamInvitation
from careteams.admin_feed import ReadOnlyAdmin
from careteams.errors import DomainError


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
