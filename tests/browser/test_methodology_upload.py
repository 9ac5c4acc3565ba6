"""The secretariat uploads a decision's appendix table: first a file with problems (the table of
rows, columns and messages), then a good one (the tree and its differences from last year's
methodology), and adopts it (desktop and phone screenshots kept)."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

import parindex
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Cycle
from parindex_web.methodologies.models import Methodology

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bad_table() -> bytes:
    book = Workbook()
    for row in [
        ["VÍ DỤ – bảng có lỗi"],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm"],
        ["1", "Công tác chỉ đạo, điều hành CCHC", 20, None],
        ["1.1", "Kế hoạch CCHC năm", "năm", None],
        ["1.1", "", 2, None],
        ["1.1.1.1", "Tiêu chí quá sâu", 1, None],
        ["Tổng cộng", None, 30, None],
    ]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_table(m: parindex.Methodology) -> bytes:
    """Last year's methodology with 1.1.1 renamed and one point moved from 1.1.4 to 1.1.1."""
    changed = {
        "1.1.1": {"name": "Ban hành kế hoạch CCHC năm đúng hạn"},
        "1.1.4": {"evidence": "Báo cáo kết quả thực hiện kế hoạch và phụ lục số liệu"},
    }
    nodes = tuple(dataclasses.replace(n, **changed.get(n.code, {})) for n in m.nodes)
    out = io.BytesIO()
    parindex.write_appendix_xlsx(dataclasses.replace(m, nodes=nodes), out)
    return out.getvalue()


def upload(page: Any, base: str, name: str, data: bytes) -> None:
    page.goto(f"{base}/secretariat/methodologies/upload")
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )
    page.select_option("select[name=unit_type]", "commune")
    page.select_option("select[name=year]", "2027")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_secretariat_sees_the_problems_then_the_differences_and_adopts(
    settings: Any, tmp_path: Any, live_server: Any, page: Any, phone: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)
    last = Cycle.objects.filter(body__code="snv-vi-du").order_by("-year").first()
    old = last.methodology.core()
    count = Methodology.objects.count()

    for device, suffix in ((page, "desktop"), (phone, "phone")):
        login(device, live_server.url, "thuky")
        upload(device, live_server.url, "phu-luc-loi.xlsx", bad_table())
        problems = device.locator("table.problems")
        assert problems.is_visible()
        text = problems.inner_text()
        assert "“năm” không phải là số" in text and "được dùng hai lần" in text
        assert "thiếu một dòng của cấp ở giữa" in text and "tổng điểm đã ghi 30" in text
        shot(device, f"methodology-upload-1-problems-{suffix}")
        assert Methodology.objects.count() == count

        upload(device, live_server.url, "phu-luc-2027.xlsx", good_table(old))
        differences = device.locator("table.differences")
        assert differences.is_visible()
        text = differences.inner_text()
        assert "đổi tên" in text and "Ban hành kế hoạch CCHC năm đúng hạn" in text
        assert "đổi tài liệu kiểm chứng" in text
        assert device.locator("table.tree tbody tr").count() == len(old.nodes)
        shot(device, f"methodology-upload-2-preview-{suffix}")

    page.check("input[name=confirm]")
    page.click("form[action$='/adopt'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/cycles/new")
    shot(page, "methodology-upload-3-adopted-desktop")
    stored = Methodology.objects.get(slug="snv-vi-du-commune-2027")
    assert stored.core().by_code["1.1.1"].name == "Ban hành kế hoạch CCHC năm đúng hạn"
    assert stored.core().max_total == old.max_total == Decimal(100)
    assert AuditRecord.objects.filter(action="methodology.adopt", object_id=str(stored.pk)).exists()
