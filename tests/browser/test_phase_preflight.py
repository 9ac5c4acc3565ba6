"""The secretariat moves a cycle on with unsigned units: it sees what will happen, must tick the
confirmation, and the move is audited (desktop and phone screenshots kept)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Cycle, Phase

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_confirms_moving_on_with_unsigned_units(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.get(body__code="snv-vi-du", year=2026)
    assert cycle.phase == Phase.SELF_ASSESSMENT
    url = f"{live_server.url}/cycles/{cycle.pk}/phase"

    login(phone, live_server.url, "thuky")
    phone.goto(url)
    assert phone.locator("#preflight").is_visible()
    shot(phone, "secretariat-preflight-phone")

    login(page, live_server.url, "thuky")
    page.goto(url)
    table = page.locator("#preflight")
    assert "Chưa ký duyệt" in table.inner_text()
    box = page.locator("input[name=confirm]")
    token = box.get_attribute("value") or ""
    count = token.split("-")[0]
    assert int(count) >= 1
    shot(page, "secretariat-preflight-1-table")

    # Without the tick the form does not go (and the server would refuse it too).
    page.click("form:has(input[name=phase]) button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT

    box.check()
    page.click("form:has(input[name=phase]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cycles/{cycle.pk}/")
    cycle.refresh_from_db()
    assert cycle.phase == Phase.APPRAISAL
    rec = AuditRecord.objects.get(action="cycle.preflight_confirmed", cycle_id=cycle.pk)
    assert rec.actor_name == "thuky" and count in rec.reason
    shot(page, "secretariat-preflight-2-moved")
