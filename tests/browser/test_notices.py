"""An officer sees the unread count in the header, opens the notices and follows one to its page.

On the demo, in a real browser on a desktop and on a phone (390 px): the header's badge with
its words for screen readers, the notices page without horizontal scrolling and without an
axe-core violation (WCAG 2.1 A and AA), the notice's link opening the page where the work is,
and the count going down. Screenshots: artifacts/screenshots/notices-desktop.png, -phone.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from parindex_web.accounts.models import Role
from parindex_web.cycles.models import Assessment
from parindex_web.notifications.models import Event, Notice
from parindex_web.notifications.services import notify

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def appraised(settings: Any, tmp_path: Any) -> Assessment:
    """The demo, and canbo1 told that their unit's 2025 appraisal is complete."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    officer = get_user_model().objects.get(username="canbo1")
    unit = officer.memberships.get(role=Role.OFFICER).unit
    a = Assessment.objects.select_related("cycle", "unit").get(cycle__year=2025, unit=unit)
    link = reverse("appraisal:explanations", args=[a.pk])
    notify(Event.APPRAISED, [officer], {"assessment": a}, link)
    return a


def unread(username: str) -> int:
    return Notice.objects.filter(recipient__username=username, read_at__isnull=True).count()


def check(page: Any, base: str, a: Assessment, name: str) -> None:
    login(page, base, "canbo1")
    page.goto(f"{base}/work/")
    count = unread("canbo1")
    assert count >= 1
    badge = page.locator("#notices-link .notice-badge")
    assert badge.locator("[aria-hidden=true]").inner_text() == str(count)
    assert badge.locator(".visually-hidden").inner_text() == f"{count} chưa đọc"
    page.click("#notices-link")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/notices/")
    first = page.locator("#notices li").first
    assert "Đã có kết quả thẩm định" in first.inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    shot(page, name)
    with page.expect_navigation():
        first.locator("a").click()
    assert page.url.endswith(f"/appraisal/{a.pk}/explanations/")
    assert page.locator("h1").count() == 1
    assert unread("canbo1") == count - 1


def test_an_officer_follows_a_notice_on_desktop_and_phone(
    appraised: Assessment, live_server: Any, page: Any, phone: Any
) -> None:
    check(page, live_server.url, appraised, "notices-desktop")
    notify(
        Event.APPRAISED,
        [get_user_model().objects.get(username="canbo1")],
        {"assessment": appraised},
        reverse("appraisal:explanations", args=[appraised.pk]),
    )
    check(phone, live_server.url, appraised, "notices-phone")


def remind(page: Any, base: str, name: str) -> None:
    from parindex_web.cycles.models import Cycle, Phase

    cycle = Cycle.objects.get(body__code="snv-vi-du", phase=Phase.SELF_ASSESSMENT)
    login(page, base, "thuky")
    page.goto(f"{base}/cycles/{cycle.pk}/reminders")
    boxes = page.locator("#late-units input[type=checkbox]")
    assert boxes.count() >= 1
    boxes.first.check()
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#recipients tbody tr").count() >= 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"
    violations = Axe().run(page, options=OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    shot(page, name)
    with page.expect_navigation():
        page.click("#confirm button[type=submit]")
    assert "Đã gửi lời nhắc cho" in page.locator("ul.messages").inner_text()


def test_the_secretariat_reminds_a_late_unit_on_desktop_and_phone(
    appraised: Assessment, live_server: Any, page: Any, phone: Any
) -> None:
    remind(page, live_server.url, "reminders-desktop")
    remind(phone, live_server.url, "reminders-phone")
    assert Notice.objects.filter(event=Event.REMINDER).exists()
