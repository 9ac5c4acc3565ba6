"""The public ranking in pages: a reader walks to the next page and back, on a desktop and a
phone, with the search kept across pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.lib import pages

from .conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(pages, "PER_PAGE", 10)  # the demo's 34 provinces make four pages
    call_command("load_demo", verbosity=0)


def ranks(view: Any) -> list[int]:
    return [int(t) for t in view.locator("table.ranking tbody td[data-col=rank]").all_inner_texts()]


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_reader_walks_the_ranking_page_by_page(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    from parindex_web.cycles.models import Cycle

    view = request.getfixturevalue(device)
    cycle = Cycle.objects.get(body__code="bnv", year=2025)
    view.goto(f"{live_server.url}/results/{cycle.pk}/")
    view.wait_for_load_state("networkidle")
    first = ranks(view)
    assert len(first) == 10 and first[0] == 1
    pager = view.get_by_role("navigation", name="Các trang của bảng xếp hạng").first
    assert "Dòng 1–10 trên 34" in pager.inner_text()
    shot(view, f"public-{device}-ranking-page-1")

    pager.get_by_role("link", name="Tiếp").click()
    view.wait_for_load_state("networkidle")
    assert view.url.endswith("?page=2")
    second = ranks(view)
    assert len(second) == 10 and min(second) >= max(first)
    pager = view.get_by_role("navigation", name="Các trang của bảng xếp hạng").first
    assert pager.locator("[aria-current=page]").inner_text() == "2"
    shot(view, f"public-{device}-ranking-page-2")

    pager.get_by_role("link", name="Trước").click()
    view.wait_for_load_state("networkidle")
    assert ranks(view) == first

    view.fill("#filter-q", "a")
    view.get_by_role("button", name="Lọc").click()
    view.wait_for_load_state("networkidle")
    pager = view.get_by_role("navigation", name="Các trang của bảng xếp hạng").first
    pager.get_by_role("link", name="Tiếp").click()
    view.wait_for_load_state("networkidle")
    assert "q=a" in view.url and "page=2" in view.url
    assert view.locator("#filter-q").input_value() == "a"
    shot(view, f"public-{device}-ranking-search-page-2")
