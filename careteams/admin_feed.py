"""Admin edits of device-held records go through the change feed, like every other write."""

import operator
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from careteams import changes
from careteams.models import ChangeOp


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
