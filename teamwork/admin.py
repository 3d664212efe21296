"""The team's workings in the admin: read-only (careteams.admin_feed.FeedAdmin with no service
hooks). Decisions are append-only, and the rest is the team's own to change on its pages."""

from django.contrib import admin

from careteams.admin_feed import FeedAdmin
from teamwork.models import ActionItem, AgendaItem, Decision, HelpRequest, Meeting, RoleTerm


@admin.register(RoleTerm)
class RoleTermAdmin(FeedAdmin):
    entity = "role_term"
    list_display = ("team", "role", "member", "starts_on", "ends_on", "ended_on")
    list_filter = ("team", "role")
    list_select_related = ("team", "member__user")


@admin.register(Meeting)
class MeetingAdmin(FeedAdmin):
    entity = "meeting"
    list_display = ("team", "title", "held_on")
    list_filter = ("team",)


@admin.register(AgendaItem)
class AgendaItemAdmin(FeedAdmin):
    entity = "agenda_item"
    list_display = ("team", "title", "status", "created_at")
    list_filter = ("team", "status")


@admin.register(Decision)
class DecisionAdmin(FeedAdmin):
    entity = "decision"
    list_display = ("team", "title", "outcome", "decided_at")
    list_filter = ("team", "outcome")
    search_fields = ("title", "text")


@admin.register(ActionItem)
class ActionItemAdmin(FeedAdmin):
    entity = "action_item"
    list_display = ("team", "text", "owner", "due_on", "done_at")
    list_filter = ("team",)
    list_select_related = ("team", "owner__user")


@admin.register(HelpRequest)
class HelpRequestAdmin(FeedAdmin):
    entity = "help_request"
    list_display = ("team", "topic", "asked_at", "answered_at")
    list_filter = ("team", "topic")
