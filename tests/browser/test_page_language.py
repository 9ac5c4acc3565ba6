"""The methodology page read in Vietnamese and in English (desktop and phone): the notes in
the page's language, source text kept in Vietnamese marked lang="vi" on the English page, and
dates day first on both."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import shot
from .test_journeys import demo  # noqa: F401 (the demo data)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEVICES = {
    "page": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("device", ["page", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_methodology_page_reads_in_one_language(
    demo: None,  # noqa: F811
    live_server: Any,
    device: str,
    language: str,
    browser: Any,
) -> None:
    from parindex_web.cycles.models import Cycle

    context = browser.new_context(
        locale="vi-VN" if language == "vi" else "en-GB", **DEVICES[device]
    )
    view = context.new_page()
    cycle = Cycle.objects.get(body__code="bnv", year=2025)
    view.goto(f"{live_server.url}/results/{cycle.pk}/methodology")
    view.wait_for_load_state("networkidle")
    shot(view, f"methodology-{language}-{device}")
    assert view.locator("html").get_attribute("lang") == language
    marked = view.locator("main [lang=vi]").count()
    assert (marked > 0) if language == "en" else (marked == 0)
    meta = view.locator("p.cycle-meta").inner_text()
    assert "/" in meta and meta.split("/")[0][-2:].isdigit()
    context.close()
