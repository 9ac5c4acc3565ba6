"""Site-wide pieces of markup that every app's templates share (``{% load ui %}``).

``{% wide_table %}``: the one wrapper of a table wider than a phone. The wrapper scrolls
sideways, so it must be reachable and named for people who use a keyboard or a screen reader
(WCAG 2.1.1 and 4.1.2; axe-core's ``scrollable-region-focusable``): it is a focusable region
(``tabindex="0"``, ``role="region"``) named by ``label`` (text) or ``labelledby`` (the id of
the table's caption or heading)::

    {% wide_table labelledby="ranking-caption" %}<table>…</table>{% endwide_table %}
    {% wide_table label=_("Assignments") class="table-wrap table-wrap--grid" %}…{% endwide_table %}

``class`` defaults to ``table-wrap`` (each app styles its own class).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.utils.html import format_html

register = template.Library()

_NAMED_BY = ("label", "labelledby")


class WideTableNode(template.Node):
    def __init__(self, nodelist: NodeList, options: dict[str, FilterExpression]) -> None:
        self.nodelist, self.options = nodelist, options

    def render(self, context: Any) -> str:
        values = {k: str(v.resolve(context) or "") for k, v in self.options.items()}
        attribute, name = (
            ("aria-labelledby", values["labelledby"])
            if values.get("labelledby")
            else ("aria-label", values.get("label", ""))
        )
        if not name:
            raise template.TemplateSyntaxError("wide_table needs a label or a labelledby id")
        return format_html(
            '<div class="{}" role="region" {}="{}" tabindex="0">{}</div>',
            values.get("class") or "table-wrap",
            attribute,
            name,
            self.nodelist.render(context),
        )


@register.tag
def wide_table(parser: Parser, token: Token) -> WideTableNode:
    """``{% wide_table label=… | labelledby=… [class=…] %}…{% endwide_table %}``."""
    bits = token.split_contents()[1:]
    options = token_kwargs(bits, parser, support_legacy=False)
    unknown = set(options) - {*_NAMED_BY, "class"}
    if bits or unknown or not set(options) & set(_NAMED_BY):
        raise template.TemplateSyntaxError(
            "usage: {% wide_table label=… or labelledby=… [class=…] %}…{% endwide_table %}"
        )
    nodelist = parser.parse(("endwide_table",))
    parser.delete_first_token()
    return WideTableNode(nodelist, options)
