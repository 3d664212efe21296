"""The ceremony every page that changes a versioned record shares.

A page carries the version it was drawn from. A missing or malformed version means the page is
out of date; a refusal from the service goes beside the field at fault; a conflict shows the
person their answers again, now based on the version stored, with the message on top, so they
see the current state and decide: nothing is overwritten.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext, gettext_noop

from careteams.errors import Conflict, DomainError, NotFound

OUT_OF_DATE = gettext_noop("This page is out of date: reload it and try again.")


def page_field(form: forms.BaseForm, field: str | None) -> str | None:
    """The form's field a service's error is about: its own of that name, else the one the
    person typed the value into (the form's `service_fields`), else none (the message goes on
    top). Services name their own parameters; each door names the fields its caller sent."""
    for name in (field, getattr(form, "service_fields", {}).get(field or "")):
        if name and name in form.fields:
            return str(name)
    return None


def add_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's refusal beside the field at fault, or at the top of the form."""
    field = None if isinstance(error, Conflict) else page_field(form, error.field)
    form.add_error(field, error.detail)


def with_version(data: QueryDict, version: int) -> QueryDict:
    """The same answers, based on the version now stored."""
    fresh = data.copy()
    fresh["version"] = str(version)
    return fresh


def posted_version(request: HttpRequest) -> int:
    """The hidden `version` of a one-button form; an out-of-date refusal when it is missing or
    malformed (a page drawn before versions, or tampered with)."""
    raw = request.POST.get("version", "")
    if not raw.isdigit() or len(raw) >= 10:
        raise DomainError(gettext(OUT_OF_DATE))
    return int(raw)


@dataclass
class Submitted[F: forms.BaseForm]:
    form: F
    status: int
    saved: bool
    result: Any = None


def submit_versioned[F: forms.BaseForm](
    *,
    data: QueryDict,
    make: Callable[[QueryDict], F],
    save: Callable[[F], Any],
    current_version: Callable[[], int],
) -> Submitted[F]:
    """Bind `data` with `make`, and when it is valid and carries a version, `save` the form.
    `current_version` is asked only after a conflict. NotFound passes through (a 404)."""
    form = make(data)
    if form.is_valid() and form.cleaned_data.get("version") is None:
        form.add_error(None, OUT_OF_DATE)
    if not form.is_valid():
        return Submitted(form, 400, saved=False)
    try:
        result = save(form)
    except NotFound:
        raise
    except DomainError as error:
        if isinstance(error, Conflict):
            form = make(with_version(data, current_version()))
            form.is_valid()
        add_error(form, error)
        return Submitted(form, error.status, saved=False)
    return Submitted(form, 200, saved=True, result=result)
