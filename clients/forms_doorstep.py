"""Forms of the doorstep details: GP practice, communication needs, emergency contacts, and
which visits an intervention belongs to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams import dates, limits
from careteams.forms import BoundedDateField, NhsForm
from clients.forms import VersionField
from clients.models import DisclosureLevel

PARTS = (
    ("morning", _("Morning visits (before noon)")),
    ("afternoon", _("Afternoon visits (noon to 5pm)")),
    ("evening", _("Evening visits (from 5pm)")),
)


class DoorstepForm(NhsForm):
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=100,
        required=False,
        help_text=_("What they like to be called."),
    )
    gp_practice_name = forms.CharField(label=_("GP practice"), max_length=200, required=False)
    gp_practice_phone = forms.CharField(
        label=_("GP practice phone"), max_length=limits.PHONE_MAX, required=False
    )
    communication_needs = forms.CharField(
        label=_("Communication needs"),
        max_length=limits.COMMUNICATION_NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hearing, sight, language, how to speak with them."),
    )
    version = VersionField()


class ContactForm(NhsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.CharField(label=_("Relationship"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=limits.PHONE_MAX)
    may_be_told = forms.ChoiceField(
        label=_("What they may be told"),
        choices=DisclosureLevel.choices,
        initial=DisclosureLevel.CONTACT_ONLY,
        widget=forms.RadioSelect,
    )
    order = forms.IntegerField(
        label=_("Order of calling"),
        min_value=1,
        max_value=limits.EMERGENCY_CONTACTS_MAX,
        required=False,
        help_text=_("1 is called first."),
    )
    version = VersionField()


class ScheduleForm(NhsForm):
    parts = forms.MultipleChoiceField(
        label=_("At which visits of the day"),
        choices=PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: at every visit."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On which days"),
        choices=dates.ISO_WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )
    every_days = forms.IntegerField(
        label=_("Every how many days"),
        min_value=1,
        max_value=28,
        initial=1,
        help_text=_("1 for every day it falls on; 2 for every other day, and so on."),
    )
    every_days_from = BoundedDateField(
        label=_("Counting from"),
        required=False,
        help_text=_("Needed when it is every 2 days or more."),
    )
    version = VersionField()
