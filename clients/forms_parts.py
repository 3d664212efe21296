"""The forms of a kind kept on the client record, made from its declared fields
(`registry.Entity.inputs` to add, `changeable` to change): the page states no field list."""

from typing import Any

from django import forms
from django.db import models

from careteams import registry

# Up to this many choices show as radios, each a 44px target on a tablet; more, as a list.
RADIOS_UP_TO = 6


def _field(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    if db_field.choices and len(db_field.choices) <= RADIOS_UP_TO:
        kwargs["widget"] = forms.RadioSelect
    return db_field.formfield(**kwargs)


class VersionedChange(forms.ModelForm):  # type: ignore[type-arg]
    """A change carries the version the page was drawn from (careteams/versioned_forms.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def add_form(entity: registry.Entity) -> "type[forms.ModelForm[Any]]":
    fields = [name for name in entity.inputs if name != "client"]
    return forms.modelform_factory(entity.model, fields=fields, formfield_callback=_field)


def change_form(entity: registry.Entity) -> "type[forms.ModelForm[Any]]":
    return forms.modelform_factory(
        entity.model,
        form=VersionedChange,
        fields=list(entity.changeable),
        formfield_callback=_field,
    )
