"""Give any form's widgets the NHS.UK frontend classes, for forms we do not define (allauth's)."""

from django import forms, template
from django.forms.widgets import Input

register = template.Library()

CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "nhsuk-checkboxes__input"),
    (forms.RadioSelect, "nhsuk-radios__input"),
    (forms.CheckboxInput, "nhsuk-checkboxes__input"),
    (forms.Textarea, "nhsuk-textarea"),
    (forms.Select, "nhsuk-select"),
    (Input, "nhsuk-input"),
]


@register.filter
def nhsuk(field: forms.BoundField) -> forms.BoundField:
    widget = field.field.widget
    if "class" not in widget.attrs:
        for kind, css in CLASSES:
            if isinstance(widget, kind):
                widget.attrs["class"] = css
                break
    # Labels and hints carry the meaning; placeholders vanish as people type.
    widget.attrs.pop("placeholder", None)
    return field
