"""Messages in the admin: read only (they are written in the app and never changed), and a
client's messages are a read of the client's record, logged with the admin door."""

from django.contrib import admin

from careteams.admin_feed import ReadLoggedAdmin, ReadOnlyAdmin
from messaging.models import ChannelRead, ClientMessage, HandoverNote, HandoverRead, TeamMessage


@admin.register(TeamMessage)
class TeamMessageAdmin(ReadOnlyAdmin):
    list_display = ("team", "author", "written_at")
    list_filter = ("team",)
    date_hierarchy = "written_at"
    list_select_related = ("team", "author")


@admin.register(ClientMessage)
class ClientMessageAdmin(ReadLoggedAdmin, ReadOnlyAdmin):
    list_display = ("client", "author", "written_at", "shared_with_family")
    list_filter = ("shared_with_family", "team")
    date_hierarchy = "written_at"
    list_select_related = ("client", "author")


@admin.register(HandoverNote)
class HandoverNoteAdmin(ReadOnlyAdmin):
    list_display = ("team", "client", "author", "written_at", "amends")
    list_filter = ("team",)
    date_hierarchy = "written_at"
    list_select_related = ("team", "client", "author")


@admin.register(HandoverRead)
class HandoverReadAdmin(ReadOnlyAdmin):
    list_display = ("handover", "user", "read_at")
    list_select_related = ("handover", "user")


@admin.register(ChannelRead)
class ChannelReadAdmin(ReadOnlyAdmin):
    list_display = ("user", "team", "client", "read_upto")
    list_select_related = ("user", "team", "client")
