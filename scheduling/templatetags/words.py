from django import template

from scheduling.words import run_words as run_words_of
from scheduling.words import say as say_words

register = template.Library()


@register.filter
def say(text: object) -> str:
    """A rule's or the planner's sentence in the reader's language (scheduling/words.py)."""
    return say_words(text)


@register.filter
def run_words(message: str) -> str:
    """What a plan run last said, in the reader's language (scheduling/words.py)."""
    return run_words_of(message)
