"""The medicines pages' forms: a line's details (made from the model's fields), a change's note,
a stop's reason, a stock event and the team's policy. The services check everything again and
their refusals go beside the field they name."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careteams.forms import BoundedDateField, NhsForm
from medicines.models import REASON_MAX, MedicineLine, MedicinesPolicy, StockEvent
from medicines.services.details import FIELDS, LineDetails
from medicines.vocabulary import StockKind, VisitPart

DATES = ("starts_on", "stops_on", "review_on", "opened_on")


def _ordered(
    fields: dict[str, Any], *, first: tuple[str, ...] = (), last: tuple[str, ...] = ()
) -> dict[str, Any]:
    middle = [name for name in fields if name not in first and name not in last]
    return {name: fields[name] for name in (*first, *middle, *last) if name in fields}


class Versioned(NhsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class LineForm(Versioned):
    """Every detail of a line, as the model describes it; times typed as "08:00, 18:00"."""

    allergy_reason = forms.CharField(
        label=_("Reason to add it despite an allergy"),
        help_text=_("Only asked when the medicine matches an allergy on the record."),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        made: dict[str, Any] = forms.fields_for_model(MedicineLine, fields=FIELDS)
        for name in DATES:
            made[name] = BoundedDateField(label=made[name].label, required=made[name].required)
        made["times"] = forms.CharField(
            label=_("Times of day"),
            help_text=_(
                "In the team's time, e.g. 08:00, 18:00. Leave empty for PRN or for a line given "
                "with a visit."
            ),
            required=False,
        )
        made["visit_part"].choices = [("", _("At the times of day")), *VisitPart.choices]
        for name, field in made.items():
            field.label = str(field.label)[:1].upper() + str(field.label)[1:]
            self.fields[name] = field
        self.fields = _ordered(self.fields, last=("allergy_reason", "version"))
        self.style_widgets()

    def clean_times(self) -> list[str]:
        text = self.cleaned_data.get("times") or ""
        return [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]

    def details(self) -> LineDetails:
        values: dict[str, Any] = {name: self.cleaned_data.get(name) for name in FIELDS}
        for name in ("strength", "dmd_code", "dmd_kind", "ingredients", "food", "body_site"):
            values[name] = values[name] or ""
        for name in ("instructions", "cd_schedule", "covert_decision", "prn_for", "visit_part"):
            values[name] = values[name] or ""
        values["prn_if_ineffective"] = values["prn_if_ineffective"] or ""
        if values["time_tolerance_minutes"] is None:
            values["time_tolerance_minutes"] = 60
        return LineDetails(**values)


def line_initial(line: MedicineLine) -> dict[str, Any]:
    initial = {name: getattr(line, name) for name in FIELDS}
    initial["times"] = ", ".join(line.times or [])
    initial["version"] = line.version
    return initial


class ChangeForm(LineForm):
    change_note = forms.CharField(
        label=_("What changed and why"),
        help_text=_("For example: dose lowered by the GP's letter of 3 March."),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = _ordered(self.fields, first=("change_note",))
        self.style_widgets()


class StopForm(Versioned):
    stopped_reason = forms.CharField(
        label=_("Why it is stopped"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StockForm(NhsForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=StockKind.choices)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal(0), max_digits=9, decimal_places=3
    )
    note = forms.CharField(
        label=_("Note"), max_length=StockEvent._meta.get_field("note").max_length, required=False
    )


class PolicyForm(Versioned):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        made: dict[str, Any] = forms.fields_for_model(
            MedicinesPolicy, fields=("cd_witness_required", "missed_dose_grace_minutes")
        )
        for name, field in made.items():
            field.label = str(field.label)[:1].upper() + str(field.label)[1:]
            self.fields[name] = field
        self.fields = _ordered(self.fields, last=("version",))
        self.style_widgets()
