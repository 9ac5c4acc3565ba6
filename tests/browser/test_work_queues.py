""" "My work" as each role's queue, in a real browser on a desktop and on a phone (390 px).

For the officer, the leader, the appraiser and the secretariat of the demo: the page lists their
queue with a direct link per item, the deadline in words, no horizontal scrolling on the phone,
no axe-core violation (WCAG 2.1 A and AA), and following the first item's link opens its page.
Screenshots: artifacts/screenshots/work-<role>-desktop.png and -phone.png.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from parindex_web.cycles.models import Cycle

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# who, their role's queue, and the first thing waiting for them in the demo.
PEOPLE = [
    ("canbo1", "officer", "tiêu chí phải nhập"),  # criteria left to fill in
    ("lanhdao3", "leader", "đang chờ bạn ký duyệt"),  # waiting for your sign-off
    ("thamdinh1", "appraiser", "phải thẩm định"),  # criteria left to appraise
    ("thuky", "secretariat", "chưa thẩm định xong"),  # units not appraised yet (2025)
]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    # One deadline close, so that a "soon" item shows in its colour beside its words.
    Cycle.objects.filter(year=2025, body__code="snv-vi-du").update(
        appraisal_due=timezone.now() + timedelta(days=2)
    )


def check(page: Any, base: str, user: str, role: str, first: str, name: str) -> None:
    login(page, base, user)
    page.goto(f"{base}/work/")
    page.wait_for_load_state("networkidle")
    queue = page.locator(f"#queue-{role}")
    assert queue.count() == 1
    item = queue.locator(f"#todo-{role} li.work-item").first
    assert first in item.inner_text()
    assert item.locator(".deadline__words").count() == 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    done = page.locator("details.work-done summary")
    if done.count():
        done.first.click()  # the screenshot shows the done group open too
    shot(page, name)
    href = item.locator("a").first.get_attribute("href")
    response = page.goto(f"{base}{href}")
    assert response is not None and response.status == 200, href


@pytest.mark.parametrize(("user", "role", "first"), PEOPLE, ids=[p[1] for p in PEOPLE])
def test_each_role_sees_its_queue_on_desktop_and_phone(
    demo: None, live_server: Any, page: Any, phone: Any, user: str, role: str, first: str
) -> None:
    check(page, live_server.url, user, role, first, f"work-{role}-desktop")
    check(phone, live_server.url, user, role, first, f"work-{role}-phone")
