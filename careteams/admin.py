from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from careteams.admin_feed import FeedAdmin, ReadOnlyAdmin
from careteams.models import AccessEvent, Change, CoachLink, Membership, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


@admin.register(Team)
class TeamAdmin(FeedAdmin):
    entity = "team"
    team_path = None
    list_display = (
        "name",
        "timezone",
        "holiday_subdivision",
        "continuity_limit",
        "last_change_seq",
    )
    list_filter = ("holiday_subdivision", "timezone")
    search_fields = ("name",)
    readonly_fields = ("last_change_seq",)


@admin.register(Membership)
class MembershipAdmin(FeedAdmin):
    entity = "membership"
    list_display = ("user", "team", "role", "contracted_hours", "started_at", "ended_at")
    list_filter = ("team", "role", "ended_at")
    search_fields = ("user__email", "user__first_name", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")
    list_select_related = ("user", "team")


@admin.register(CoachLink)
class CoachLinkAdmin(admin.ModelAdmin):
    list_display = ("coach", "team", "created_at", "ended_at")
    list_filter = ("team",)
    search_fields = ("coach__email", "coach__first_name", "coach__last_name", "team__name")
    autocomplete_fields = ("coach", "team")
    list_select_related = ("coach", "team")


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("team", "seq", "entity", "op", "entity_id", "version", "actor", "created_at")
    list_filter = ("team", "entity", "op")
    search_fields = ("entity_id", "client_id")
    list_select_related = ("team", "actor")
    date_hierarchy = "created_at"


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "client_id", "what", "door", "allowed")
    list_filter = ("door", "allowed", "team")
    search_fields = ("user__email", "client_id", "what")
    list_select_related = ("user",)
    date_hierarchy = "at"
