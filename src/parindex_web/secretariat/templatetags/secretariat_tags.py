"""Display helpers of the secretariat's pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from parindex_web.results.templatetags.results_tags import direction, signed

register = template.Library()


@register.filter
def difference(value: Decimal | None) -> SafeString:
    """A difference of points in a cell: an arrow, the signed figure and, for screen readers,
    the words ("▼ −1,50 appraised lower"); colour (the cell's ``diff--`` class) only repeats it.
    One filter rather than an included template: the matrix has a cell per criterion and unit."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>',
            _("not appraised"),
        )
    way = direction(value)
    if way == "same":
        return format_html(
            '<span aria-hidden="true">=</span><span class="visually-hidden">{}</span>',
            _("the same"),
        )
    arrow, words = ("▼", _("appraised lower")) if way == "down" else ("▲", _("appraised higher"))
    return format_html(
        '<span aria-hidden="true">{}</span> {}<span class="visually-hidden"> {}</span>',
        arrow,
        signed(value),
        words,
    )
