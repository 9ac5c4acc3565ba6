"""A leader signs off with criteria lacking the evidence their methodology names: the
confirmation lists them, the sign-off still goes ahead (the demo's methodology marks no
evidence mandatory). Desktop and phone screenshots kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.cycles.models import Assessment

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_sees_the_criteria_lacking_evidence_and_signs_off(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    # The demo's 2026 cycle: Phường Cẩm Lệ is filled in, not signed off, without documents.
    assessment = Assessment.objects.get(
        cycle__body__code="snv-vi-du", cycle__year=2026, unit__code="demo-x03"
    )
    assert assessment.status == Assessment.Status.DRAFT
    url = f"{live_server.url}/assessments/{assessment.pk}/sign-off"

    login(phone, live_server.url, "lanhdao3")
    phone.goto(url)
    assert phone.locator("#evidence-lacking").is_visible()
    shot(phone, "sign-off-evidence-lacking-phone")

    login(page, live_server.url, "lanhdao3")
    page.goto(url)
    box = page.locator("#evidence-lacking")
    assert box.locator("li").count() == len(assessment.cycle.core().evidence_required)
    assert page.locator("#evidence-refused").count() == 0
    shot(page, "sign-off-evidence-lacking")
    page.click("#confirm form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
