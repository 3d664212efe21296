"""Admin edits of device-held records call the same services as every other writer.

`FeedAdmin` reads the kind's declaration in `careteams.registry`: its add form has the fields
the create service takes and saves through it; its change form lets a person change only what
the update service takes and saves through it (with the version the page showed, so a stale
page gets the service's conflict); delete calls the delete service. A kind whose delete keeps
the record (a membership ends, a visit is cancelled) gets an action instead of "delete". A kind
without a service for a step is read-only for that step. The feed entry, version, notices and
closing of sockets are therefore the services' own, never the admin's.
"""

import operator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from careteams import registry
from careteams.access_log import access_event_record
from careteams.errors import DomainError
from careteams.models import Door
from careteams.registry import EntityName


class FeedAdmin(admin.ModelAdmin[Any]):
    entity: EntityName
    actions = ("end_selected",)

    @property
    def declared(self) -> registry.Entity:
        return registry.get(self.entity)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.declared.create is not None and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.declared.update is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        declared = self.declared
        if declared.delete is None or declared.ends_instead is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return list(self.declared.inputs)
        hidden = {*self.declared.server_only, "version"}
        shown = [f.name for f in self.model._meta.concrete_fields if f.editable]
        return [name for name in shown if name not in hidden] + ["version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        changeable = {*self.declared.changeable, "version"}
        return [name for name in self.get_fields(request, obj) if name not in changeable]

    def formfield_for_dbfield(
        self, db_field: "models.Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "version":
            # The version the page showed travels with the form: the service checks it.
            kwargs["widget"] = forms.HiddenInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> "type[forms.ModelForm[Any]]":
        base = super().get_form(request, obj, change=change, **kwargs)
        declared, actor = self.declared, request.user

        class ServiceForm(base):  # type: ignore[valid-type, misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                # The service validates and writes now, inside the admin's transaction, so
                # its refusal is shown on the form like any other error.
                form: Any = self  # a ModelForm subclass made at run time: typed loosely
                instance = form.instance
                try:
                    if instance._state.adding:
                        assert declared.create is not None
                        self.instance = declared.create(instance, actor)
                    else:
                        assert declared.update is not None
                        self.instance = declared.update(instance, instance.version, actor)
                except DomainError as error:
                    field = error.field if error.field in self.fields else None
                    self.add_error(field, error.detail)

        return ServiceForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Saved already, by the service, when the form was checked."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        assert self.declared.delete is not None
        try:
            self.declared.delete(obj, obj.version, request.user)
        except DomainError as error:
            self.message_user(request, f"{obj}: {error.detail}", messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def has_end_permission(self, request: HttpRequest) -> bool:
        declared = self.declared
        ends = declared.delete is not None and declared.ends_instead is not None
        return ends and super().has_delete_permission(request)

    @admin.action(
        permissions=["end"], description="End the chosen (they are kept, as their service says)"
    )
    def end_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The "delete" of a kind that keeps its records, through its service, one by one."""
        assert self.declared.delete is not None
        done = 0
        for obj in queryset:
            try:
                self.declared.delete(obj, obj.version, request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{obj}: {error.detail}", messages.ERROR)
        if done:
            self.message_user(request, f"{self.declared.ends_instead}: {done} done.")


def declared_admin(name: EntityName, *, list_display: tuple[str, ...] = ("__str__",)) -> None:
    """The admin of a kind, from its declaration, registered by the kind's own module (its
    `entities.py`): a FeedAdmin, and for a kind kept on the client record one whose opening is
    written to the client's read log. A kind with an admin of its own registers it in its app's
    admin.py instead."""
    declared = registry.get(name)
    bases: tuple[type, ...] = (FeedAdmin,)
    if declared.part is not None:
        bases = (ReadLoggedAdmin, FeedAdmin)
    attrs = {"entity": name, "list_display": list_display, "__module__": __name__}
    admin.site.register(declared.model, type(f"{declared.model.__name__}Admin", bases, attrs))


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """For records nobody may change by hand: notes, the feed, the read log."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadLoggedAdmin(admin.ModelAdmin[Any]):
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
