"""Forms of the doorstep details: GP practice, communication needs, emergency contacts, and
which visits an intervention belongs to."""

from django import forms

from careteams import limits
from careteams.forms import BoundedDateField, NhsForm
from clients.forms import VersionField
from clients.models import DisclosureLevel

PARTS = (
    ("morning", "Morning visits (before noon)"),
    ("afternoon", "Afternoon visits (noon to 5pm)"),
    ("evening", "Evening visits (from 5pm)"),
)
WEEKDAYS = (
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
)


class DoorstepForm(NhsForm):
    preferred_name = forms.CharField(
        max_length=100, required=False, help_text="What they like to be called."
    )
    gp_practice_name = forms.CharField(label="GP practice", max_length=200, required=False)
    gp_practice_phone = forms.CharField(
        label="GP practice phone", max_length=limits.PHONE_MAX, required=False
    )
    communication_needs = forms.CharField(
        max_length=limits.COMMUNICATION_NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hearing, sight, language, how to speak with them.",
    )
    version = VersionField()


class ContactForm(NhsForm):
    name = forms.CharField(max_length=200)
    relationship = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=limits.PHONE_MAX)
    may_be_told = forms.ChoiceField(
        label="What they may be told",
        choices=DisclosureLevel.choices,
        initial=DisclosureLevel.CONTACT_ONLY,
        widget=forms.RadioSelect,
    )
    order = forms.IntegerField(
        label="Order of calling",
        min_value=1,
        max_value=limits.EMERGENCY_CONTACTS_MAX,
        required=False,
        help_text="1 is called first.",
    )
    version = VersionField()


class ScheduleForm(NhsForm):
    parts = forms.MultipleChoiceField(
        label="At which visits of the day",
        choices=PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: at every visit.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On which days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every day.",
    )
    every_days = forms.IntegerField(
        label="Every how many days",
        min_value=1,
        max_value=28,
        initial=1,
        help_text="1 for every day it falls on; 2 for every other day, and so on.",
    )
    every_days_from = BoundedDateField(
        label="Counting from",
        required=False,
        help_text="Needed when it is every 2 days or more.",
    )
    version = VersionField()
