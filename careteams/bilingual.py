"""Notices for the public in Cymraeg and English side by side (issue 30, docs/welsh.md).

A team that chooses it (Team.bilingual_notices) shows the family's page heading and the care
plan PDF's headings in both languages, Welsh first: the Welsh Language Standards ask that the
Welsh be placed where it is likely to be read first. Each part carries its own language, so a
screen reader speaks each in the right voice (the template tag in careteams/templatetags).
"""

from collections.abc import Callable

from django.utils import translation

from careteams.models import Language

# Welsh first (see above).
ORDER = (Language.WELSH, Language.ENGLISH)
# Between the two in a PDF heading, where there is no markup to tell them apart.
SEPARATOR = " / "


def in_both(render: Callable[[], str]) -> list[tuple[str, str]]:
    """(language, text) for each language, `render` called with that language active. A string
    without a Welsh translation yet reads the same in both: it is given once, in English."""
    parts: list[tuple[str, str]] = []
    for language in ORDER:
        with translation.override(language):
            parts.append((str(language), render()))
    if parts[0][1] == parts[1][1]:
        return parts[1:]
    return parts


def text_in_both(render: Callable[[], str], *, bilingual: bool) -> str:
    """For plain text (a PDF heading): both languages with a separator when the team chooses it,
    else the active language's only."""
    if not bilingual:
        return render()
    return SEPARATOR.join(text for _, text in in_both(render))
