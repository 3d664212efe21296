"""Admin edits of device-held records go through the change feed, like every other write."""

import operator
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse

from careteams import changes
from careteams.access_log import access_event_record
from careteams.models import ChangeOp, Door


class FeedAdmin(admin.ModelAdmin):
    """Raises `version` on each save and records the change in the owning team's feed."""

    entity: str = ""
    team_path: str | None = "team"  # None: the record is the team itself
    client_path: str | None = None

    def _feed(self, request: HttpRequest, obj: Any, op: str) -> None:
        client_id = operator.attrgetter(self.client_path)(obj) if self.client_path else None
        changes.record(
            team=operator.attrgetter(self.team_path)(obj) if self.team_path else obj,
            entity=self.entity,
            obj=obj,
            op=op,
            actor=request.user,  # type: ignore[arg-type]
            client_id=client_id,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
        self._feed(request, obj, ChangeOp.UPSERT)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._feed(request, obj, ChangeOp.DELETE)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody may change by hand: notes, the feed, the read log."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadLoggedAdmin(admin.ModelAdmin):
    """Opening a client's record (or part of it) in the admin is a read like any other: it is
    written to the read log with the admin door."""

    read_client_path = "client"  # from the object to its Client

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if obj is not None and response.status_code == 200:
            client = (
                operator.attrgetter(self.read_client_path)(obj) if self.read_client_path else obj
            )
            access_event_record(
                user=request.user,
                client_id=client.id,
                team_id=client.team_id,
                what=str(obj._meta.verbose_name),
                door=Door.ADMIN,
            )
        return response
