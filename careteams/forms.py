"""Form pieces shared by every app's pages: NHS.UK frontend classes and native date/time inputs."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from careteams import dates

WIDGET_CLASSES = {
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "checkboxselectmultiple": "nhsuk-checkboxes__input",
    "checkbox": "nhsuk-checkboxes__input",
    "radioselect": "nhsuk-radios__input",
}
NARROW = {"date", "time", "number"}


class NhsForm(forms.Form):
    """Gives each widget the NHS.UK frontend class its field group expects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        # From the widget's class, as BoundField.widget_type does: going through self[name]
        # would cache bound fields before __init__ has swapped in the team's choices.
        for field in self.fields.values():
            kind = re.sub(r"widget$|input$", "", type(field.widget).__name__.lower())
            css = WIDGET_CLASSES.get(kind, "nhsuk-input")
            if kind in NARROW:
                css += " nhsuk-input--width-10"
            field.widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _in_range(value: object) -> None:
    if isinstance(value, dt.date) and not dates.in_range(value):
        raise ValidationError(dates.out_of_range(), code="out_of_range")


class BoundedDateField(forms.DateField):
    """Every date a page form takes: in the years of careteams/dates.py, refused beside the
    field otherwise (a date input also offers no other)."""

    default_validators = [_in_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DateInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, DateInput):
            attrs |= {"min": dates.FIRST_DAY.isoformat(), "max": dates.LAST_DAY.isoformat()}
        return attrs


class BoundedDateTimeField(forms.DateTimeField):
    """Every date and time a page form takes, in the same years."""

    default_validators = [_in_range]
