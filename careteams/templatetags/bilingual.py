"""{% bilingual flag %}...{% endbilingual %}: the enclosed text in Cymraeg and English side by
side, each in a span with its own lang, when `flag` is true (a team's bilingual_notices);
else the text in the page's language, as if the tag were not there (careteams.bilingual)."""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from careteams.bilingual import in_both

register = template.Library()

SEPARATOR = mark_safe('<span class="app-bilingual__separator" aria-hidden="true"> / </span>')


class BilingualNode(template.Node):
    def __init__(self, flag: FilterExpression, nodelist: NodeList) -> None:
        self.flag = flag
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        if not self.flag.resolve(context):
            return self.nodelist.render(context)
        parts = in_both(lambda: mark_safe(self.nodelist.render(context).strip()))  # noqa: S308
        # The separator is decoration: a screen reader reads the two parts, each in its voice.
        return format_html(
            '<span class="app-bilingual">{}</span>',
            format_html_join(
                SEPARATOR,
                '<span lang="{}">{}</span>',
                parts,
            ),
        )


@register.tag
def bilingual(parser: Parser, token: Token) -> BilingualNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% bilingual %} takes one argument: whether to.")
    nodelist = parser.parse(("endbilingual",))
    parser.delete_first_token()
    return BilingualNode(parser.compile_filter(bits[1]), nodelist)
