"""The main journeys in a real browser: officer, leader, appraiser (screenshots kept)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.cycles.models import Assessment, Entry

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


def assessment(unit: str, year: int) -> Assessment:
    return Assessment.objects.get(unit__code=unit, cycle__year=year, cycle__body__code="snv-vi-du")


def test_an_officer_fills_a_criterion_and_attaches_evidence(
    demo: None, live_server: Any, page: Any, phone: Any
) -> None:
    a = assessment("demo-x01", 2026)
    entry = Entry.objects.get(assessment=a, code="1.1.1")
    login(page, live_server.url, "canbo1")
    assert page.url.endswith("/work/")
    shot(page, "officer-1-my-work")
    page.click(f"a[href='/assessments/{a.pk}/']")
    page.wait_for_load_state("networkidle")
    shot(page, "officer-2-self-assessment")
    page.goto(f"{live_server.url}/assessments/{a.pk}/entries/1.1.1/")
    page.select_option(f"select[name='e{entry.pk}-level']", "late")
    # A function, not an expression: Playwright evals an expression in the page, which the
    # Content-Security-Policy (no 'unsafe-eval') refuses.
    page.wait_for_function(
        "() => document.querySelector('output[data-points]').textContent.includes('0,50')"
    )
    page.click("form.leaf-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    entry.refresh_from_db()
    assert entry.inputs == {"level": "late"} and str(entry.self_points) == "0.5000"
    page.set_input_files(
        "input[type=file][name=file]",
        files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 demo"}],
    )
    page.fill("input[name=doc_number]", "12/KH-UBND")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "12/KH-UBND" in page.content()
    assert entry.evidence.count() == 1
    shot(page, "officer-3-criterion-with-evidence")
    login(phone, live_server.url, "canbo1")
    phone.goto(f"{live_server.url}/assessments/{a.pk}/")
    shot(phone, "officer-4-self-assessment-phone")


def test_a_leader_signs_off_a_complete_self_assessment(
    demo: None, live_server: Any, page: Any
) -> None:
    a = assessment("demo-x03", 2026)
    login(page, live_server.url, "lanhdao3")
    page.goto(f"{live_server.url}/assessments/{a.pk}/review/")
    shot(page, "leader-1-review")
    page.click("a#sign-off-link")
    page.wait_for_load_state("networkidle")
    shot(page, "leader-2-confirm-sign-off")
    page.click("form[action$='/sign-off'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED and a.signed_by is not None
    shot(page, "leader-3-signed-off")


def test_an_appraiser_sets_a_score_with_a_reason(demo: None, live_server: Any, page: Any) -> None:
    a = assessment("demo-x03", 2025)
    login(page, live_server.url, "thamdinh1")
    page.goto(f"{live_server.url}/appraisal/")
    shot(page, "appraiser-1-assignments")
    page.goto(f"{live_server.url}/appraisal/{a.pk}/")
    form = page.locator("form.appraise-form").first
    form.locator("input[name$=points]").fill("0")
    form.locator("textarea[name$=reason]").fill("Thiếu tài liệu kiểm chứng")
    form.locator("button[value=set]").click()
    page.wait_for_load_state("networkidle")
    first = Entry.objects.filter(assessment=a, appraised_points__isnull=False).order_by(
        "-updated_at"
    )
    assert first.exists() and first[0].appraised_points == 0
    assert first[0].appraisal_reason == "Thiếu tài liệu kiểm chứng"
    shot(page, "appraiser-2-appraisal")


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_reader_goes_from_the_ranking_to_a_profile_and_downloads(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    from parindex_web.cycles.models import Cycle

    view = request.getfixturevalue(device)
    cycle = Cycle.objects.get(body__code="bnv", year=2025)
    view.goto(f"{live_server.url}/results/")
    shot(view, f"public-{device}-1-results")
    view.click(f"a[href='/results/{cycle.pk}/']")
    view.wait_for_load_state("networkidle")
    assert "Dữ liệu ví dụ" in view.content()
    shot(view, f"public-{device}-2-ranking")
    view.locator(f"a[href^='/results/{cycle.pk}/units/']").first.click()
    view.wait_for_load_state("networkidle")
    assert "/units/" in view.url
    shot(view, f"public-{device}-3-profile")
    with view.expect_download() as info:
        view.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = '';"
            " document.body.appendChild(a); a.click(); }",
            f"/results/{cycle.pk}/open-data.zip",
        )
    download = info.value
    assert download.suggested_filename.endswith("-open-data.zip")
    view.goto(f"{live_server.url}/results/{cycle.pk}/map")
    view.wait_for_load_state("networkidle")
    shot(view, f"public-{device}-4-map")
