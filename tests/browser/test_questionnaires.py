"""The secretariat walks from the cycle's page to its questionnaires, uploads a malformed XLSForm
(the core's problems with sheet, row and column), then the EXAMPLE form (tests/fixtures/surveys),
and reads its questions (desktop and phone screenshots kept; no axe-core violation on any of them)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from parindex_web.cycles.models import Cycle
from parindex_web.surveys.models import Questionnaire

from .conftest import login, shot
from .test_accessibility import OPTIONS, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = Path(__file__).resolve().parents[1] / "fixtures" / "surveys" / "example-sipas-form.xlsx"


def form(version: str, bad_type: bool = False) -> bytes:
    """The EXAMPLE form with another version; ``bad_type``: row 10's type misspelt."""
    book = load_workbook(FORM)
    book["settings"]["C2"] = version
    if bad_type:
        book["survey"]["A10"] = "select_one_of muc_do"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def violations(axe: Any, page: Any, state: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations of the page (as tests/browser/test_accessibility)."""
    return describe(state, axe.run(page, options=OPTIONS).response["violations"])


def submit(page: Any, name: str, data: bytes) -> None:
    page.select_option("select[name=group]", "citizens")
    page.fill("input[name=title]", "Phiếu khảo sát người dân (VÍ DỤ)")
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_secretariat_uploads_a_questionnaire_and_reads_its_questions(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.filter(body__code="snv-vi-du").order_by("-year").first()
    assert cycle is not None
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []

    for device, suffix, version in ((page, "desktop", "1"), (phone, "phone", "2")):
        login(device, live_server.url, "thuky")
        device.goto(f"{live_server.url}/cycles/{cycle.pk}/")
        device.get_by_role("link", name="Phiếu khảo sát", exact=True).click()
        device.wait_for_load_state("networkidle")
        assert device.locator("h1").inner_text() == "Phiếu khảo sát"
        device.get_by_role("link", name="Tải lên phiếu khảo sát").click()
        device.wait_for_load_state("networkidle")

        submit(device, "phieu-loi.xlsx", form(version, bad_type=True))
        errors = device.locator("#id_file_error")
        assert errors.is_visible()
        assert "Trang “survey”, dòng 10, cột “type”" in errors.inner_text()
        shot(device, f"questionnaire-1-problems-{suffix}")
        found += violations(axe, device, f"upload-problems-{suffix}")
        assert not Questionnaire.objects.filter(form_version=version).exists()

        submit(device, "phieu-nguoi-dan.xlsx", form(version))
        assert "/questionnaires/" in device.url
        rows = device.locator("table tbody tr")
        assert rows.count() == 13
        q24 = device.locator("tr", has=device.locator("th", has_text="q24")).inner_text()
        assert "Có biển hiệu, hướng dẫn rõ ràng" in q24 and "access" in q24
        shot(device, f"questionnaire-2-questions-{suffix}")
        found += violations(axe, device, f"questions-{suffix}")

        device.get_by_role("link", name="Quay lại danh sách phiếu khảo sát").click()
        device.wait_for_load_state("networkidle")
        shot(device, f"questionnaire-3-list-{suffix}")
        found += violations(axe, device, f"list-{suffix}")
    assert Questionnaire.objects.filter(cycle=cycle).count() == 2
    assert found == [], "\n".join(found)
