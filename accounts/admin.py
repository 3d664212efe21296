from django.contrib import admin

from accounts.models import SessionEpoch, TeamInvitation


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "team", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("team",)
    list_select_related = ("team",)
    search_fields = ("email",)
    # Links are made by team members on the team's page, never here: the token is shown once.
    readonly_fields = ("token_hash", "accepted_at", "accepted_by", "invited_by")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(SessionEpoch)
class SessionEpochAdmin(admin.ModelAdmin):
    list_display = ("user", "epoch", "changed_at")
    list_select_related = ("user",)
    readonly_fields = ("user", "epoch", "changed_at")

    def has_add_permission(self, request: object) -> bool:
        return False
