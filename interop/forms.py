"""The team's forms: register a partner, record a client's consent."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams.forms import BoundedDateField, NhsForm
from interop.models import ConsentBasis, ConsentScope, Partner, PartnerKind


class PartnerForm(NhsForm):
    name = forms.CharField(label=_("Organisation's name"), max_length=150)
    ods_code = forms.CharField(
        label=_("ODS code"),
        max_length=10,
        help_text=_("Its code in the NHS Organisation Data Service, e.g. A81001."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=PartnerKind.choices, widget=forms.RadioSelect
    )


class ConsentForm(NhsForm):
    partner = forms.ChoiceField(label=_("Which partner may read the record"))
    basis = forms.ChoiceField(
        label=_("Basis"), choices=ConsentBasis.choices, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label=_("What they may read"), choices=ConsentScope.choices, widget=forms.RadioSelect
    )
    given_on = BoundedDateField(label=_("Given on"))
    until = BoundedDateField(
        label=_("Until"), required=False, help_text=_("Leave empty if it has no end date.")
    )

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a partner"))] + [(str(p.id), str(p)) for p in partners]
