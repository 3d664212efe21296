"""The forms of a kind kept on the client record, made from its declared fields
(`registry.Entity.inputs` to add, `changeable` to change): the page states no field list."""

from typing import Any

from django import forms

from careteams import registry


class VersionedChange(forms.ModelForm):  # type: ignore[type-arg]
    """A change carries the version the page was drawn from (careteams/versioned_forms.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def add_form(entity: registry.Entity) -> "type[forms.ModelForm[Any]]":
    fields = [name for name in entity.inputs if name != "client"]
    return forms.modelform_factory(entity.model, fields=fields)


def change_form(entity: registry.Entity) -> "type[forms.ModelForm[Any]]":
    return forms.modelform_factory(
        entity.model, form=VersionedChange, fields=list(entity.changeable)
    )
