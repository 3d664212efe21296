"""The form of where a person's working day starts: two numbers, typed or filled in from the
browser's location ("Use where I am now"); the service checks them again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams.forms import NhsForm

WHY = _(
    "The planner counts the travel from here to your first visit and back from your last as "
    "working time. Only you see it."
)


class StartPointForm(NhsForm):
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("Where you start your working day, usually home: for example 52.4862."),
        error_messages={
            "required": _("Enter the latitude, like 52.4862."),
            "invalid": _("Enter the latitude as a number, like 52.4862."),
        },
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("For example -1.8904."),
        error_messages={
            "required": _("Enter the longitude, like -1.8904."),
            "invalid": _("Enter the longitude as a number, like -1.8904."),
        },
    )
    # Blank while the person has none: the service then makes one, and refuses if one was made
    # meanwhile on another page.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
