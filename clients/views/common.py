"""What the client views share: the signed-in request, and domain errors beside form fields."""

from django import forms
from django.http import QueryDict

from careteams.errors import Conflict, DomainError

OUT_OF_DATE = "This page is out of date: reload it and try again."


def add_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal beside the field at fault, or at the top of the form."""
    field = error.field if error.field in form.fields and not isinstance(error, Conflict) else None
    form.add_error(field, error.detail)


def with_version(data: QueryDict, version: int) -> QueryDict:
    """The same answers, based on the version now stored: after a conflict the person sees the
    message and the current version, and decides; nothing was overwritten."""
    fresh = data.copy()
    fresh["version"] = str(version)
    return fresh
