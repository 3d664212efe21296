"""The team's review of an item held from a former member's tablet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams import limits
from tablet.models import HeldOutcome


class HeldReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What became of it"),
        choices=HeldOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what became of this item.")},
    )
    comment = forms.CharField(
        label=_("Comment (needed when it is not needed: say why)"),
        required=False,
        max_length=limits.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
