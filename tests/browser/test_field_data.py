"""The secretariat imports field data for a questionnaire: a Kobo-shaped export with a bad row
(every problem by row and column, nothing stored), then the whole export as a job (its page
follows the progress to the result), then reads the responses per unit against the sample
target and the estimates per unit (desktop and phone screenshots kept; no axe-core violation)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command

from parindex.surveys import read_xlsform
from parindex_web.cycles.models import Assessment, Cycle
from parindex_web.jobs.models import Job
from parindex_web.surveys import services
from parindex_web.surveys.models import Questionnaire, Response
from parindex_web.units.models import Unit
from web.job_worker import run_jobs

from .conftest import login, shot
from .test_accessibility import OPTIONS, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "surveys"
FORM = FIXTURES / "example-sipas-form.xlsx"
KOBO = (FIXTURES / "example-sipas-responses.csv").read_text(encoding="utf-8")


def export(bad: bool = False) -> bytes:
    rows = [row for row in csv.reader(KOBO.splitlines()) if not row[0].startswith("#")]
    if bad:
        rows[2][rows[0].index("dich_vu/q24")] = "7"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def fill(device: Any, data: bytes) -> None:
    device.set_input_files(
        "input[name=file]", files=[{"name": "kobo.csv", "mimeType": "text/csv", "buffer": data}]
    )
    device.fill("input[name=unit_column]", "nguoi_tra_loi/don_vi")
    device.fill("input[name=weight_column]", "trong_so")
    device.fill("input[name=stratum_column]", "tang")
    device.click("main form button[type=submit]")
    device.wait_for_load_state("networkidle")


def test_the_secretariat_imports_field_data_and_reads_the_estimates(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any, monkeypatch: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(services, "INLINE_BYTES", 1000)  # the EXAMPLE's 2 kB export as a job
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.filter(body__code="snv-vi-du").order_by("-year").first()
    assert cycle is not None
    for code, name in (("phuong_a", "Phường A (VÍ DỤ)"), ("phuong_b", "Phường B (VÍ DỤ)")):
        unit = Unit.objects.create(code=code, name=name, unit_type=Unit.Type.COMMUNE)
        Assessment.objects.create(cycle=cycle, unit=unit)
    data = FORM.read_bytes()
    upload = services.Upload(data, "phieu.xlsx", read_xlsform(data, "phieu.xlsx"))
    secretariat = get_user_model().objects.get(username="thuky")
    q = services.store(cycle, secretariat, upload, "citizens", "Phiếu người dân (VÍ DỤ)")
    base = f"{live_server.url}/cycles/{cycle.pk}/questionnaires/{q.pk}"
    axe, found = Axe(), []

    login(page, live_server.url, "thuky")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Nhập phiếu trả lời").click()
    page.wait_for_load_state("networkidle")
    fill(page, export(bad=True))  # a job too: it fails with every problem, nothing stored
    failed = Job.objects.get(kind=Job.Kind.RESPONSES)
    assert page.url == f"{live_server.url}/cycles/{cycle.pk}/jobs/{failed.pk}"
    assert run_jobs(worker_id="browser-test", locked_tries=50) == 1
    page.wait_for_selector("ul.errors", timeout=15000)
    message = page.locator("ul.errors").inner_text()
    assert "Dòng 3, cột “q24”: “7” không phải lựa chọn của danh sách “muc_do”" in message
    assert not Response.objects.exists()
    shot(page, "field-data-1-problems-desktop")
    found += describe("problems", axe.run(page, options=OPTIONS).response["violations"])

    page.goto(f"{base}/responses/import")
    fill(page, export())
    job = Job.objects.exclude(pk=failed.pk).get(kind=Job.Kind.RESPONSES)
    assert page.url == f"{live_server.url}/cycles/{cycle.pk}/jobs/{job.pk}"
    assert page.locator("progress#job-progress").is_visible()
    shot(page, "field-data-2-queued-desktop")
    found += describe("queued", axe.run(page, options=OPTIONS).response["violations"])
    assert run_jobs(worker_id="browser-test", locked_tries=50) == 1
    page.wait_for_selector(".message--success", timeout=15000)
    assert "Đã lưu 10 phiếu trả lời (bỏ qua 1 phiếu trùng hoàn toàn)." in page.inner_text("main")
    assert page.locator("progress#job-progress").get_attribute("value") == "100"
    shot(page, "field-data-3-done-desktop")
    found += describe("done", axe.run(page, options=OPTIONS).response["violations"])

    page.click("a.button")  # Back: the responses and estimates
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/responses/"
    page.fill("input[name=population]", "400")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    progress = page.locator("table.survey-progress").inner_text()
    assert "phuong_a" in progress and "200" in progress
    q24 = page.locator("table.estimates").first.locator("tr", has_text="q24").inner_text()
    assert "57,14" in q24 and "5,69 – 100,00" in q24 and "ít" in q24
    shot(page, "field-data-4-estimates-desktop")
    found += describe("estimates", axe.run(page, options=OPTIONS).response["violations"])

    login(phone, live_server.url, "thuky")
    for name, url in (("import", f"{base}/responses/import"), ("estimates", f"{base}/responses/")):
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        shot(phone, f"field-data-{name}-phone")
        found += describe(f"{name}-phone", axe.run(phone, options=OPTIONS).response["violations"])
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page scrolls sideways ({width} px)"
    phone.goto(f"{base}/delete")
    assert "10" in phone.inner_text("main")
    shot(phone, "field-data-delete-phone")
    found += describe("delete-phone", axe.run(phone, options=OPTIONS).response["violations"])
    assert Questionnaire.objects.filter(pk=q.pk).exists()
    assert found == [], "\n".join(found)
