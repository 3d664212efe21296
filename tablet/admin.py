from django.contrib import admin

from careteams.admin_feed import FeedAdmin
from tablet.models import HeldItem


@admin.register(HeldItem)
class HeldItemAdmin(FeedAdmin):
    """Read-only: held by the sync push, reviewed by the team on its page, never deleted."""

    entity = "held_item"
    list_display = ("kind", "team", "author", "recorded_at", "received_at", "outcome")
    list_filter = ("team", "kind", "outcome")
    date_hierarchy = "received_at"
    list_select_related = ("team", "author")
    readonly_fields = ("payload",)
