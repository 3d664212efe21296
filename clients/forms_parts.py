"""The forms of a kind kept on the client record, made from its declared fields
(`registry.Entity.inputs` to add, `changeable` to change): the page states no field list."""

from typing import Any

from django import forms
from django.db import models

from careteams import registry
from careteams.forms import NARROW, WIDGET_CLASSES, DateInput

# Up to this many choices show as radios, each a 44px target on a tablet; more, as a list.
RADIOS_UP_TO = 6


def _field(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    if db_field.choices and len(db_field.choices) <= RADIOS_UP_TO:
        kwargs["widget"] = forms.RadioSelect
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["widget"] = DateInput
    field = db_field.formfield(**kwargs)
    if field is not None:
        # The NHS.UK frontend class each widget's field group expects (careteams.forms.NhsForm).
        kind = type(field.widget).__name__.lower().removesuffix("widget").removesuffix("input")
        css = WIDGET_CLASSES.get(kind, "nhsuk-input")
        field.widget.attrs.setdefault(
            "class", css + (" nhsuk-input--width-10" if kind in NARROW else "")
        )
    return field


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
