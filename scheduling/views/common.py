"""What the rota views share: where to go back to, and turning domain errors into messages."""

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from careteams.errors import Conflict, DomainError


def back(request: HttpRequest, default: str) -> HttpResponse:
    """After a POST, back to the page it came from (a local URL only), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# Services name their own parameters; where a rota form has no field of that name, the person
# typed the value into this one.
PAGE_FIELDS = {
    "start": "start_time",
    "end": "end_time",
    "window_start": "earliest",
    "window_end": "latest",
}


def page_field(form: forms.Form, field: str | None) -> str | None:
    """The form's field a service's error is about: its own of that name, else the one the
    person typed the value into, else none (the message goes on top)."""
    for name in (field, PAGE_FIELDS.get(field or "")):
        if name and name in form.fields:
            return name
    return None


def add_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal beside the field at fault, or at the top of the form."""
    field = None if isinstance(error, Conflict) else page_field(form, error.field)
    form.add_error(field, error.detail)


def version_of(request: HttpRequest) -> int | None:
    """The hidden `version` of a one-button form, or None when it is missing or malformed."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def rebind_on_conflict[F: forms.Form](
    form: F,
    error: DomainError,
    *,
    make: Callable[[QueryDict], F],
    data: QueryDict,
    current_version: int,
) -> F:
    """After a conflict, the same answers again but based on the version now stored, with the
    message on top: the person sees the current state and decides, nothing is overwritten."""
    if not isinstance(error, Conflict):
        add_error(form, error)
        return form
    fresh = data.copy()
    fresh["version"] = str(current_version)
    rebound = make(fresh)
    rebound.is_valid()
    rebound.add_error(None, error.detail)
    return rebound
