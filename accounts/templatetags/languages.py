"""The language switch's choices (templates/components/language_switch.html)."""

from django import template

from careteams.models import Language

register = template.Library()


@register.simple_tag
def languages_offered() -> list[tuple[str, str]]:
    """Each language named in its own words. Not i18n's get_available_languages: that
    translates the names ("English" becomes "Saesneg" in Welsh), and a person looks for the name
    of their own language."""
    return [(str(code), str(name)) for code, name in Language.choices]
