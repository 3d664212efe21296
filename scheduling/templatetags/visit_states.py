from django import template

from scheduling.selectors.team_day import state_of
from scheduling.selectors.visit_card import VisitCard

register = template.Library()


@register.filter
def state_word(card: VisitCard) -> str:
    return state_of(card)
