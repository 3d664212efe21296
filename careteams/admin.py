from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from careteams import services
from careteams.admin_feed import FeedAdmin, ReadOnlyAdmin
from careteams.errors import DomainError
from careteams.models import AccessEvent, Change, CoachLink, Membership, Team


@admin.register(Team)
class TeamAdmin(FeedAdmin):
    entity = "team"
    list_display = (
        "name",
        "timezone",
        "holiday_subdivision",
        "continuity_limit",
        "last_change_seq",
    )
    list_filter = ("holiday_subdivision", "timezone")
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(FeedAdmin):
    entity = "membership"
    list_display = ("user", "team", "role", "contracted_hours", "started_at", "ended_at")
    list_filter = ("team", "role", "ended_at")
    search_fields = ("user__email", "user__first_name", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")
    list_select_related = ("user", "team")


@admin.register(CoachLink)
class CoachLinkAdmin(admin.ModelAdmin[CoachLink]):
    """Made and ended through careteams.services, which close the coach's sockets when the
    link ends; a link is never changed or deleted."""

    list_display = ("coach", "team", "created_at", "ended_at")
    list_filter = ("team",)
    search_fields = ("coach__email", "coach__first_name", "coach__last_name", "team__name")
    autocomplete_fields = ("coach", "team")
    list_select_related = ("coach", "team")
    fields = ("coach", "team")
    actions = ("end",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        created = services.coach_link_create(coach=obj.coach, team=obj.team, actor=request.user)  # type: ignore[arg-type]
        obj.pk = created.pk

    @admin.action(description="End the chosen coach links")
    def end(self, request: HttpRequest, queryset: QuerySet[CoachLink]) -> None:
        for link in queryset:
            try:
                services.coach_link_end(link=link, actor=request.user)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{link}: {error.detail}", messages.ERROR)


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
