"""The rules' and the planner's sentences in the reader's language (scheduling/rules/words.py
keeps each one's template and values; here they are translated, values first)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from scheduling.rules import windows
from scheduling.rules.words import Said, When


def say(text: object) -> str:
    """`text` in the active language: a Said sentence translated with its values, a When in
    the language's day and month names; anything else as it is (people's names, old runs)."""
    if isinstance(text, When):
        return dateformat.format(text.moment, text.style)
    if not isinstance(text, Said):
        return str(text)
    if text.lowered:
        return gettext(text.template).lower()
    values: dict[str, object] = {
        key: say(value) if isinstance(value, str) else value for key, value in text.params.items()
    }
    if text.plural and text.number is not None:
        values.setdefault("n", text.number)
        return ngettext(text.template, text.plural, text.number) % values
    return gettext(text.template) % values if values else gettext(text.template)


# What a plan run last said (PlanRun.message: stored in English by the planner's thread, which
# has no reader), recognised and said again in the reader's language.
_RUN_WORDS = (
    (re.compile(r"(?i)reading the week"), gettext_noop("Reading the week")),
    (
        re.compile(r"first plan places (?P<n>\d+) visits; improving it"),
        gettext_noop("first plan places %(n)s visits; improving it"),
    ),
    (
        re.compile(r"placed (?P<n>\d+) of (?P<m>\d+) open visits"),
        gettext_noop("placed %(n)s of %(m)s open visits"),
    ),
    (
        re.compile(r"done: (?P<n>\d+) proposals, (?P<m>\d+) visits left open"),
        gettext_noop("done: %(n)s proposals, %(m)s visits left open"),
    ),
    (
        re.compile(r"Stopping: keeping what was found so far"),
        gettext_noop("Stopping: keeping what was found so far"),
    ),
    (
        re.compile(r"its server stopped while it ran\."),
        gettext_noop("its server stopped while it ran."),
    ),
    (
        re.compile(r"the planner stopped with an error \((?P<error>.*)\)\."),
        gettext_noop("the planner stopped with an error (%(error)s)."),
    ),
)


def run_words(message: str) -> str:
    """A plan run's progress or end in the active language; anything else as stored."""
    for pattern, words in _RUN_WORDS:
        if found := pattern.fullmatch(message):
            return gettext(words) % found.groupdict() if found.groupdict() else gettext(words)
    return message


def arrival(
    *,
    start: dt.datetime,
    window_start: dt.datetime | None,
    window_end: dt.datetime | None,
    zone: ZoneInfo,
) -> str:
    """When the carer will arrive ("Between 08:00 and 08:45"), in the active language."""
    return windows.arrival_text(
        start=start,
        window_start=window_start,
        window_end=window_end,
        zone=zone,
        between=gettext("Between %(first)s and %(last)s"),
        at=gettext("At %(time)s"),
    )


# Welsh "a" (and) is "ac" before a vowel: "Siân ac Aoife".
_WELSH_VOWELS = "aeiouwyâêîôûŵŷáéíóúàèìòù"


def names_joined(names: list[str]) -> str:
    """People's names joined by "and" in the active language ("Siân and Aoife")."""
    joined = names[0] if names else ""
    for name in names[1:]:
        # Translators: joins people's first names, spaces included ("Siân and Aoife").
        word = gettext(" and ")
        if get_language() == "cy" and word == " a " and name[:1].lower() in _WELSH_VOWELS:
            word = " ac "
        joined += word + name
    return joined
