"""What the pure code says to people, kept translatable without Django (issue 30, Welsh).

The rules and the planner say things in English (their tests, the logs and the API read that),
and each sentence also keeps its template and its values: a page says it again in the reader's
language (scheduling/words.py), each value in turn. Templates are marked with the names
`makemessages` looks for (gettext_noop, ngettext), so they land in the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

type Value = str | int | float


class Said(str):
    """An English sentence, with the template and values it was made of."""

    template: str
    plural: str
    number: int | None
    params: Mapping[str, Value]
    lowered: bool = False  # a label inside a sentence: said in lower case


class When(str):
    """A local day or time as English words, with the moment and the Django date format that
    say it in another language ("D j M H:i")."""

    moment: dt.date
    style: str


@dataclass(frozen=True)
class Forms:
    singular: str
    plural: str
    count: int


def gettext_noop(template: str) -> str:
    """Marks a template for the catalogue: named as Django's, so `makemessages` finds it."""
    return template


def ngettext(singular: str, plural: str, count: int) -> Forms:
    """Both forms of a counted sentence (named as Django's, so `makemessages` finds them)."""
    return Forms(singular, plural, count)


def said(template: str | Forms, /, **params: Value) -> Said:
    if isinstance(template, Forms):
        chosen = template.singular if template.count == 1 else template.plural
        text = Said(chosen % {"n": template.count, **params})
        text.template, text.plural, text.number = template.singular, template.plural, template.count
    else:
        text = Said(template % params if params else template)
        text.template, text.plural, text.number = template, "", None
    text.params = params
    return text


def label(text: str) -> Said:
    """A choice's label inside a sentence ("away (annual leave)"): in lower case, translated as
    the label itself is (the catalogue knows "Annual leave")."""
    words = Said(text.lower())
    words.template, words.plural, words.number, words.params = text, "", None, {}
    words.lowered = True
    return words


def when(moment: dt.date, english: str, style: str) -> When:
    text = When(f"{moment:{english}}")
    text.moment, text.style = moment, style
    return text


def as_data(text: str) -> Any:
    """A sentence as JSON keeps it (a plan run's reasons), to be said again in any language."""
    if isinstance(text, When):
        return {"when": text.moment.isoformat(), "style": text.style, "text": str(text)}
    if isinstance(text, Said):
        data: dict[str, Any] = {"template": text.template, "text": str(text)}
        if text.plural:
            data |= {"plural": text.plural, "count": text.number}
        if text.lowered:
            data["lower"] = True
        data["params"] = {
            k: as_data(v) if isinstance(v, str) else v for k, v in text.params.items()
        }
        return data
    return text


def from_data(data: Any) -> Value:
    """Back from `as_data`; plain strings (runs stored before) stay as they are."""
    if not isinstance(data, dict):
        return data  # type: ignore[no-any-return]
    if "when" in data:
        moment = (dt.datetime if "T" in data["when"] else dt.date).fromisoformat(data["when"])
        text = When(data["text"])
        text.moment, text.style = moment, data["style"]
        return text
    restored = Said(data["text"])
    restored.template, restored.plural = data["template"], data.get("plural", "")
    restored.number = data.get("count")
    restored.lowered = data.get("lower", False)
    restored.params = {k: from_data(v) for k, v in data["params"].items()}
    return restored
