"""The secretariat's dashboard searched, filtered and sorted without JavaScript's help, and the
report of where the appraisal differs from the self-assessment (desktop and phone screenshots)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex import unaccent
from parindex_web.cycles.models import Cycle

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def names(pg: Any) -> list[str]:
    return pg.locator(".table--progress .unit-name").all_inner_texts()


def test_the_secretariat_filters_sorts_and_reads_the_difference_report(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    current = Cycle.objects.get(body__code="snv-vi-du", year=2026)
    published = Cycle.objects.get(body__code="snv-vi-du", year=2024)
    base = f"{live_server.url}/cycles/{current.pk}/"

    login(page, live_server.url, "thuky")
    page.goto(base)
    everyone = names(page)
    assert len(everyone) >= 6
    # The form is a plain GET form: choosing and submitting puts the view in the address.
    page.select_option("select[name=status]", "submitted")
    page.select_option("select[name=sort]", "-name")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "status=submitted" in page.url and "sort=-name" in page.url
    signed = names(page)
    assert 1 <= len(signed) < len(everyone)
    assert signed == sorted(signed, key=everyone.index, reverse=True)
    assert page.locator("p.count").inner_text().startswith(f"Đang hiển thị {len(signed)} trên")
    shot(page, "secretariat-dashboard-filtered")

    # Search ignores tones: typed without them, it finds the name written with them.
    first = everyone[0]
    page.fill("input[name=q]", unaccent(first).lower())
    page.select_option("select[name=status]", "")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert names(page) == [first]

    # The table's region takes the keyboard focus (it scrolls with the arrow keys).
    page.goto(base)
    page.focus(".table-wrap")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"

    page.goto(f"{live_server.url}/cycles/{published.pk}/differences")
    assert page.locator("h1").inner_text() == "Thẩm định so với tự đánh giá"
    cut = page.locator(".table--differences tbody tr").first
    assert "▼" in cut.inner_text() and "−" in cut.inner_text()
    assert page.locator(".table--matrix td.diff--down").count() >= 1
    shot(page, "secretariat-differences")

    login(phone, live_server.url, "thuky")
    phone.goto(f"{base}?sort=progress")
    assert phone.locator(".table-wrap[role=region][tabindex='0']").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # the table scrolls inside its region, not the page
    shot(phone, "secretariat-dashboard-phone")
    phone.goto(f"{live_server.url}/cycles/{published.pk}/differences")
    shot(phone, "secretariat-differences-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
