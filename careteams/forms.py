"""Form pieces shared by every app's pages: NHS.UK frontend classes and native date/time inputs."""

import re
from typing import Any

from django import forms

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
