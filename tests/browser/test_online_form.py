"""The online form in Chromium: the secretariat prints codes (desktop), a citizen answers on a
phone with skip logic, errors and the screen reader's view checked (aria snapshot: each question
and group reachable by its name), a second use refused; axe-core on every page (WCAG 2.1 A/AA).
Screenshots in artifacts/screenshots/answer-*.png. The page also works without script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parindex.surveys import read_xlsform
from parindex_web.cycles.models import Cycle
from parindex_web.surveys import services as surveys_services
from parindex_web.surveys.models import Response

from .conftest import login, shot
from .test_accessibility import OPTIONS, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORM = Path(__file__).resolve().parents[1] / "fixtures" / "surveys" / "example-sipas-form.xlsx"


def violations(axe: Any, page: Any, state: str) -> list[str]:
    return describe(state, axe.run(page, options=OPTIONS).response["violations"])


def test_codes_printed_then_a_citizen_answers_on_a_phone(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any, browser: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    cycle = Cycle.objects.filter(body__code="snv-vi-du").order_by("-year").first()
    assert cycle is not None
    data = FORM.read_bytes()
    upload = surveys_services.Upload(data, "phieu-sipas.xlsx", read_xlsform(data))
    secretariat = cycle.body.memberships.filter(role="secretariat").first()
    assert secretariat is not None
    q = surveys_services.store(cycle, secretariat.user, upload, "citizens", "Phiếu người dân")
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []

    # The secretariat generates four codes and sees the receipts once.
    login(page, live_server.url, "thuky")
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/questionnaires/{q.pk}/codes/")
    found += violations(axe, page, "batches")
    page.get_by_label("Đơn vị").select_option(index=1)
    page.get_by_label("Số mã").fill("4")
    page.get_by_role("button", name="Tạo và in").click()
    page.wait_for_load_state("networkidle")
    codes = page.locator(".receipt__code").all_inner_texts()
    assert len(codes) == 4
    assert page.get_by_role("img", name=f"Mã QR của phiếu khảo sát với mã {codes[0]}").is_visible()
    shot(page, "answer-1-receipts-desktop")
    found += violations(axe, page, "receipts")
    page.reload()
    assert page.locator(".receipt__code").count() == 0  # shown once

    # A citizen opens the form by the receipt's address on a phone.
    phone.goto(f"{live_server.url}/answer/{codes[0]}")
    main = phone.locator("main")
    respondent = phone.get_by_role("region", name="Người trả lời")
    assert respondent.get_by_role("group", name="Đơn vị (bắt buộc)").is_visible()
    assert respondent.get_by_role("textbox", name="Tuổi (bắt buộc)").is_visible()
    services = phone.get_by_role("region", name="Dịch vụ hành chính công")
    assert services.get_by_role(
        "group", name="Có biển hiệu, hướng dẫn rõ ràng (bắt buộc)"
    ).is_visible()
    q37 = phone.get_by_role("group", name="Dễ phản ánh, kiến nghị")
    assert q37.count() == 0  # skip logic: it needs the in-person channel; hidden, out of the tree
    assert phone.locator("#q-q37").count() == 1 and phone.locator("#q-q37").is_hidden()
    snapshot = main.aria_snapshot()
    for expected in (
        'region "Người trả lời"',
        'group "Đơn vị (bắt buộc)"',
        'radio "VÍ DỤ – Phường A"',
        'group "Kênh giao dịch"',
        'checkbox "Trực tiếp"',
        'textbox "Tuổi (bắt buộc)"',
        'region "Dịch vụ hành chính công"',
        'textbox "Thời gian chờ (giờ)"',
    ):
        assert expected in snapshot, f"{expected} not in the accessibility tree:\n{snapshot}"
    assert "Dễ phản ánh, kiến nghị" not in snapshot  # hidden: out of the tree too
    found += violations(axe, phone, "form-phone")
    shot(phone, "answer-2-form-phone")

    phone.get_by_label("Trực tiếp").check()
    assert q37.is_visible()
    assert 'group "Dễ phản ánh, kiến nghị"' in main.aria_snapshot()
    # Tap targets: each choice row is at least 44 px high.
    box = phone.locator(".choice").first.bounding_box()
    assert box is not None and box["height"] >= 44

    # Sent without the required age and with an age out of bounds: the summary links each.
    phone.get_by_label("VÍ DỤ – Phường A").check()
    phone.get_by_role("group", name="Có biển hiệu, hướng dẫn rõ ràng (bắt buộc)").get_by_label(
        "Hài lòng", exact=True
    ).check()
    q37.get_by_label("Rất hài lòng").check()
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    phone.wait_for_load_state("networkidle")
    summary = phone.get_by_role("alert")
    assert "Có 1 lỗi" in summary.inner_text()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    age = phone.get_by_role("textbox", name="Tuổi (bắt buộc)")
    assert age.get_attribute("aria-invalid") == "true"
    assert "Hãy trả lời câu hỏi này." in age.evaluate(
        "e => e.getAttribute('aria-describedby').split(' ').map(i => document.getElementById(i).textContent).join(' ')"
    )
    found += violations(axe, phone, "form-errors-phone")
    shot(phone, "answer-3-errors-phone")
    summary.get_by_role("link").click()
    assert phone.evaluate("document.activeElement.name") == "tuoi"
    age.fill("41")
    phone.get_by_role("button", name="Gửi câu trả lời").click()
    phone.wait_for_load_state("networkidle")
    assert phone.locator("h1").inner_text() == "Cảm ơn bạn"
    found += violations(axe, phone, "thanks-phone")
    shot(phone, "answer-4-thanks-phone")
    stored = Response.objects.get(questionnaire=q)
    assert stored.answers["kenh"] == "truc_tiep" and stored.answers["q37"] == "5"
    assert stored.answers["tuoi"] == "41" and stored.source == "online"

    # The same code again: a clear refusal.
    phone.goto(f"{live_server.url}/answer/{codes[0]}")
    assert phone.locator("h1").inner_text() == "Mã này đã được dùng"
    found += violations(axe, phone, "used-phone")

    # The entry page, desktop, then the form there too.
    page.goto(f"{live_server.url}/answer/")
    page.get_by_label("Mã của bạn").fill(codes[1].lower())
    page.get_by_role("button", name="Mở phiếu").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "VÍ DỤ – Phiếu khảo sát SIPAS (minh hoạ)"
    shot(page, "answer-5-form-desktop")
    found += violations(axe, page, "form-desktop")

    # Without script every question shows, and the server drops what does not apply.
    bare = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False
    )
    try:
        nojs = bare.new_page()
        nojs.goto(f"{live_server.url}/answer/{codes[2]}")
        assert nojs.get_by_role("group", name="Dễ phản ánh, kiến nghị").is_visible()
        nojs.get_by_label("VÍ DỤ – Phường B").check()
        nojs.get_by_label("Tuổi").fill("29")
        nojs.get_by_role("group", name="Có biển hiệu, hướng dẫn rõ ràng (bắt buộc)").get_by_label(
            "Bình thường"
        ).check()
        nojs.get_by_label("Trực tuyến").check()
        nojs.get_by_role("group", name="Dễ phản ánh, kiến nghị").get_by_label(
            "Hài lòng", exact=True
        ).check()
        nojs.get_by_role("button", name="Gửi câu trả lời").click()
        nojs.wait_for_load_state("networkidle")
        assert nojs.locator("h1").inner_text() == "Cảm ơn bạn"
    finally:
        bare.close()
    assert "q37" not in Response.objects.filter(questionnaire=q).order_by("pk").last().answers
    assert found == [], "\n".join(found)


EXPRESSIONS = [
    "${a} = 'x'", "${a} != 'x'", "${a} = ''", "${n} > 3", "${n} >= 3.5", "${n} < -1",
    "${n} = 4", "${n} = '4'", "${n} + 1 = 5", "${n} * 2 > ${m}", "${n} div 0 > 1000",
    "${n} mod 3 = 1", "-${n} < 0", "${n} > 3 and ${m} < 10", "${n} > 3 or ${a} = 'y'",
    "not(${n} > 3)", "selected(${s}, 'b')", "selected(${s}, '')", "count-selected(${s}) >= 2",
    "string-length(${a}) = 2", "regex(${a}, '[a-z]+')", "regex(${n}, '[0-9]{1,2}')",
    "true()", "false() = ${a}", "${a} = true()", "${n} = ${m}", "(${n} + ${m}) div 2 > 3",
    "${blank} > 0", "${blank} = 0", "${blank} = ''", "${a} < 'z'", "1 div 0 = 2 div 0",
]  # fmt: skip
ANSWERS = [
    {"a": "x", "n": "4", "m": "7", "s": "a b"},
    {"a": "xy", "n": "3.5", "m": "7.0", "s": "b"},
    {"a": "", "n": "-4", "m": "", "s": ""},
    {"a": "😀y", "n": "abc", "m": "10", "s": "a  b c"},
    {"a": "y", "n": " 12 ", "m": "1e3", "s": "c"},
    {"a": "y", "n": "0", "m": "-0", "s": "b b"},
]


def test_the_pages_script_decides_relevance_as_the_core(live_server: Any, page: Any) -> None:
    """The script walks the tree the core parsed; on every case of the table it gives the
    core's answer (parindex.surveys.expressions.holds)."""
    from parindex.surveys.expressions import holds
    from parindex.surveys.submission import expression_data

    page.goto(f"{live_server.url}/answer/")
    page.add_script_tag(url=f"{live_server.url}/static/answering/form.js")
    cases = [(e, a) for e in EXPRESSIONS for a in ANSWERS]
    trees = [expression_data(e) for e, _a in cases]
    script = "([trees, answers]) => trees.map((t, i) => window.parindexRelevant(t, answers[i]))"
    got = page.evaluate(script, [trees, [a for _e, a in cases]])
    expected = [holds(e, lambda name, a=a: a.get(name, "")) for e, a in cases]
    wrong = [(e, a, g) for (e, a), g, x in zip(cases, got, expected, strict=True) if g != x]
    assert wrong == [], wrong
