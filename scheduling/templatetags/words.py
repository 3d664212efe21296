from django import template

from scheduling.words import say as say_words

register = template.Library()


@register.filter
def say(text: object) -> str:
    """A rule's or the planner's sentence in the reader's language (scheduling/words.py)."""
    return say_words(text)
