"""An appraiser accepts all remaining self-assessed scores of a unit: the appraisal page links
to a confirmation listing only the leaves not yet appraised, with their points and the total;
confirming accepts them in one step and the result says how many, each still changeable one by
one (desktop and phone screenshots kept)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Phase

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_appraiser_accepts_all_remaining_scores_of_a_unit(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    # The demo's 2025 cycle is in appraisal; thamdinh1 has appraised half of Xã Bình Minh.
    assessment = Assessment.objects.get(
        cycle__body__code="snv-vi-du", cycle__year=2025, unit__code="demo-x02"
    )
    assert assessment.cycle.phase == Phase.APPRAISAL
    left = [e.code for e in services.remaining_to_accept(assessment)]
    appraised = set(
        assessment.entries.filter(appraised_points__isnull=False).values_list("code", flat=True)
    )
    assert left and appraised
    base = f"{live_server.url}/appraisal/{assessment.pk}"

    login(phone, live_server.url, "thamdinh1")
    phone.goto(f"{base}/accept-remaining")
    assert phone.locator("#to-accept").is_visible()
    shot(phone, "appraisal-accept-remaining-1-confirm-phone")

    login(page, live_server.url, "thamdinh1")
    page.goto(f"{base}/")
    link = page.locator("#accept-remaining")
    assert f"({len(left)} tiêu chí)" in link.inner_text()
    link.click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#to-accept tbody tr")
    assert rows.count() == len(left)
    listed = [
        (rows.nth(i).get_attribute("id") or "").removeprefix("accept-") for i in range(len(left))
    ]
    assert listed == left and not appraised & set(listed)
    assert page.locator("#total").inner_text().startswith("+")
    shot(page, "appraisal-accept-remaining-1-confirm")

    before = AuditRecord.objects.filter(action="entry.appraised_points").count()
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/"
    message = page.locator(".messages .message--success").first.inner_text()
    assert f"{len(left)} tiêu chí" in message
    assert services.remaining_to_accept(assessment) == []
    after = AuditRecord.objects.filter(action="entry.appraised_points").count()
    assert after - before == len(left)
    assert AuditRecord.objects.filter(action="assessment.accept_remaining").count() == 1
    assert page.locator("#accept-remaining").count() == 0
    assert page.locator("form.appraise-form").count() > 0  # each leaf can still be changed
    shot(page, "appraisal-accept-remaining-2-result")

    phone.goto(f"{base}/")
    assert phone.locator(".message--success, .leaf").first.is_visible()
    phone.goto(f"{base}/accept-remaining")
    assert phone.locator("#nothing-left").is_visible()
    shot(phone, "appraisal-accept-remaining-2-nothing-left-phone")
