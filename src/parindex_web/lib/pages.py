"""Pages of a long list (``?page=``), the one pagination of the HTML pages.

A page of :data:`PER_PAGE` rows keeps a page of thousands of units small; the ``.json`` and
``.csv`` twins stay complete. ``?page=`` past the end shows the last page and a page that is not
a number the first (Django's :meth:`~django.core.paginator.Paginator.get_page`), so that a stale
link still shows something. The page links (``templates/_pager.html``) keep every other
parameter of the address (the filters, the search, the version) with ``{% querystring %}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 100


@dataclass(frozen=True)
class Pager:
    """A page of rows and the page numbers to link to (``…`` where some are left out)."""

    page: Page[Any]
    links: list[int | str]

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)


def page_of(request: HttpRequest, items: Sequence[Any], per_page: int | None = None) -> Pager:
    """The page ``?page=`` names of ``items`` (the first when it names none)."""
    return numbered(request.GET.get("page"), items, per_page)


def numbered(number: str | None, items: Sequence[Any], per_page: int | None = None) -> Pager:
    """The page ``number`` (the text of ``?page=``) of ``items``."""
    page = Paginator(items, per_page or PER_PAGE).get_page(number)
    links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return Pager(page, links)
