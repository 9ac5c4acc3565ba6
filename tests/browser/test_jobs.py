"""The secretariat imports survey and data points of a cycle run as a job: the job's page
follows it (a progress bar fed by the JSON twin) until the result, on desktop and phone."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from parindex_web.cycles.models import Cycle, Entry, Phase
from parindex_web.jobs.models import Job
from parindex_web.secretariat.imports import template_csv
from web.job_worker import run_jobs

from .conftest import login, shot
from .test_accessibility import OPTIONS, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def filled_template(cycle: Cycle) -> str:
    """The cycle's points template with every criterion given its maximum."""
    rows = list(csv.DictReader(io.StringIO(template_csv(cycle).lstrip("\ufeff"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "code", "points"])
    for row in rows:
        writer.writerow([row["unit"], row["code"], row["max_points"]])
    return out.getvalue()


def test_an_import_runs_as_a_job_and_its_page_follows_it_to_the_end(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PARINDEX_JOBS_INLINE_UNITS = 0  # the demo's six communes as a large cycle
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.get(body__code="snv-vi-du", year=2026)
    assert cycle.phase == Phase.SELF_ASSESSMENT
    points = tmp_path / "diem.csv"
    points.write_text(filled_template(cycle), encoding="utf-8")
    rows = len(points.read_text(encoding="utf-8").splitlines()) - 1

    login(page, live_server.url, "thuky")
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/external")
    page.set_input_files("input[name=file]", str(points))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    job = Job.objects.get(kind=Job.Kind.IMPORT)
    assert page.url == f"{live_server.url}/cycles/{cycle.pk}/jobs/{job.pk}"
    assert page.locator(".status--queued").is_visible()
    assert page.locator("progress#job-progress").is_visible()
    shot(page, "job-1-queued")
    axe = Axe()
    problems = describe("queued", axe.run(page, options=OPTIONS).response["violations"])

    # The worker, while the page polls (its reads can lock the live server's shared-cache SQLite).
    assert run_jobs(worker_id="browser-test", locked_tries=50) == 1
    page.wait_for_selector(".message--success", timeout=15000)  # reloaded by its script
    assert page.locator(".message--success").inner_text() == f"Đã nhập {rows} điểm."
    assert page.locator("progress#job-progress").get_attribute("value") == str(rows)
    assert Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False).count()
    shot(page, "job-2-done")
    problems += describe("done", axe.run(page, options=OPTIONS).response["violations"])

    login(phone, live_server.url, "thuky")
    phone.goto(page.url)
    assert phone.locator(".message--success").is_visible()
    shot(phone, "job-2-done-phone")
    problems += describe("phone", axe.run(phone, options=OPTIONS).response["violations"])
    assert not problems, "\n".join(problems)
    phone.click("a.button")
    assert phone.url == f"{live_server.url}/cycles/{cycle.pk}/external"
