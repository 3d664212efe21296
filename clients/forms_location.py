"""The form that confirms a client's home location from a check-in's device location."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams.forms import NhsForm
from clients.forms import VersionField


class LocationConfirmForm(NhsForm):
    # The coordinates come from the stored check-in named here, never from the page.
    attendance = forms.UUIDField(widget=forms.HiddenInput)
    # Required by the service, not here, so the refusal is the service's own words.
    consent = forms.BooleanField(
        label=_("The client agreed to us keeping where they live"), required=False
    )
    version = VersionField()
    service_fields = {"latitude": "attendance", "longitude": "attendance"}
