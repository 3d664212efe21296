"""The rules' and the planner's sentences in the reader's language (scheduling/rules/words.py
keeps each one's template and values; here they are translated, values first)."""

from __future__ import annotations

from django.utils import dateformat
from django.utils.translation import gettext, ngettext

from scheduling.rules.words import Said, When


def say(text: object) -> str:
    """`text` in the active language: a Said sentence translated with its values, a When in
    the language's day and month names; anything else as it is (people's names, old runs)."""
    if isinstance(text, When):
        return dateformat.format(text.moment, text.style)
    if not isinstance(text, Said):
        return str(text)
    values: dict[str, object] = {
        key: say(value) if isinstance(value, str) else value for key, value in text.params.items()
    }
    if text.plural and text.count is not None:
        values.setdefault("n", text.count)
        return ngettext(text.template, text.plural, text.count) % values
    return gettext(text.template) % values if values else gettext(text.template)
