"""Unit journeys without dead ends (issue 15): the officer finds the explanation link on their
own page, the leader sends the self-assessment back with a comment (desktop and phone)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


def assessment(unit: str, year: int) -> Assessment:
    return Assessment.objects.get(unit__code=unit, cycle__year=year, cycle__body__code="snv-vi-du")


def in_explanation(a: Assessment) -> Entry:
    """The demo's 2025 cycle moved on to explanations, one leaf of ``a`` appraised lower."""
    entry = (
        Entry.objects.filter(assessment=a, self_points__gt=0, appraised_points__isnull=False)
        .order_by("code")
        .first()
    )
    assert entry is not None
    Entry.objects.filter(pk=entry.pk).update(
        appraised_points=Decimal(0), appraisal_reason="Thiếu tài liệu kiểm chứng (ví dụ)."
    )
    Cycle.objects.filter(pk=a.cycle_id).update(
        phase=Phase.EXPLANATION, explanation_due=timezone.now() + timedelta(days=7)
    )
    return entry


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_officer_finds_the_explanation_link_on_their_page(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    view = request.getfixturevalue(device)
    a = assessment("demo-x01", 2025)
    entry = in_explanation(a)
    login(view, live_server.url, "canbo1")
    view.goto(f"{live_server.url}/assessments/{a.pk}/")
    assert view.locator("#explanations-due").is_visible()
    link = view.locator(f"a.explain-link[href$='#leaf-{entry.pk}']")
    link.scroll_into_view_if_needed()
    shot(view, f"officer-{device}-5-appraised-with-explanation-link")
    link.click()
    view.wait_for_load_state("networkidle")
    assert view.url.endswith(f"/appraisal/{a.pk}/explanations/#leaf-{entry.pk}")
    assert view.locator(f"#leaf-{entry.pk} textarea").count() == 1
    shot(view, f"officer-{device}-6-explanation-page")


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_leader_sends_the_self_assessment_back_and_the_officer_reads_why(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    view = request.getfixturevalue(device)
    a = assessment("demo-x03", 2026)
    login(view, live_server.url, "lanhdao3")
    view.goto(f"{live_server.url}/assessments/{a.pk}/review/")
    comment = "Bổ sung tài liệu kiểm chứng cho lĩnh vực 1 trước khi ký."
    view.fill("#send-back textarea[name=comment]", comment)
    shot(view, f"leader-{device}-4-send-back")
    view.click("#send-back button[type=submit]")
    view.wait_for_load_state("networkidle")
    assert comment in view.locator("#sent-back").inner_text()
    shot(view, f"leader-{device}-5-sent-back")
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT
    login(view, live_server.url, "canbo3")
    assert comment in view.locator(f"#sent-back-{a.pk}").inner_text()
    shot(view, f"officer-{device}-7-my-work-sent-back")
