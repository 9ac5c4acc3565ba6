"""The secretariat uploads a decision's appendix table: problems, or the tree and its differences
from last year's methodology; "adopt" stores a new methodology version, audited."""

from __future__ import annotations

import dataclasses
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

import parindex
from parindex_web.audit.models import AuditRecord
from parindex_web.methodologies.models import Methodology

UPLOAD = "/secretariat/methodologies/upload"
ADOPT = "/secretariat/methodologies/adopt"
TEMPLATE = "/secretariat/methodologies/example-table.xlsx"
HEAD = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm"]


def xlsx(*rows: list[object], name: str = "phu-luc.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def good_table(m: parindex.Methodology) -> SimpleUploadedFile:
    """``m`` as an appendix table, changed: 1.1 renamed, 1.2 worth 3 points (1 less in 1.5)."""
    nodes = []
    for node in m.nodes:
        if node.code == "1.1":
            node = dataclasses.replace(node, name="Kế hoạch cải cách hành chính năm")
        nodes.append(node)
    out = io.BytesIO()
    parindex.write_appendix_xlsx(dataclasses.replace(m, nodes=tuple(nodes)), out)
    return SimpleUploadedFile("phu-luc-2026.xlsx", out.getvalue())


def form(file: SimpleUploadedFile, body, **extra: object) -> dict[str, object]:
    return {"file": file, "body": body.pk, "unit_type": "commune", "year": 2026, **extra}


@pytest.fixture
def sign_in(client, secretariat):
    client.force_login(secretariat)
    return client


def rows(html: str, css: str) -> list[list[str]]:
    """The cells' texts of the body rows of the table with class ``css``."""
    table = re.search(rf'<table class="table {css}">(.*?)</table>', html, re.S)
    assert table, css
    body = table.group(1).split("<tbody>")[1]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_upload_page_offers_the_form_and_the_example_table(sign_in, body) -> None:
    r = sign_in.get(UPLOAD)

    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="file"' in html and f'value="{body.pk}"' in html
    assert TEMPLATE in html and "không phải số liệu chính thức" in html


def test_a_refused_table_lists_every_problem_with_row_and_column_and_saves_nothing(
    sign_in, body
) -> None:
    before = (Methodology.objects.count(), AuditRecord.objects.count())
    bad = xlsx(
        ["VÍ DỤ"],
        HEAD,
        ["1", "Chỉ đạo", 5, None],
        ["1.1", "Kế hoạch", "hai", None],
        ["1.1", "", 1, None],
        ["1.1.1.1", "Quá sâu", 1, None],
        ["Tổng cộng", None, 9, None],
    )

    r = sign_in.post(UPLOAD, form(bad, body))

    assert r.status_code == 400
    assert rows(r.content.decode(), "problems") == [
        ["4", "Điểm tối đa", "điểm tối đa “hai” không phải là số"],
        ["5", "STT", "STT 1.1 được dùng hai lần (lần đầu ở dòng 4)"],
        ["5", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "tên để trống"],
        [
            "6",
            "STT",
            "1.1.1.1 là dòng cấp 4 nằm ngay dưới một dòng cấp 2: thiếu một dòng của cấp ở giữa",
        ],
        ["7", "Điểm tối đa", "tổng điểm đã ghi 9 khác tổng điểm tối đa của các lĩnh vực 5"],
    ]
    assert "Không có gì được lưu" in r.content.decode()
    assert (Methodology.objects.count(), AuditRecord.objects.count()) == before


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(sign_in, body) -> None:
    r = sign_in.post(UPLOAD, form(SimpleUploadedFile("t.xlsx", b"STT,Ten\n"), body))
    assert r.status_code == 400
    assert rows(r.content.decode(), "problems") == [["—", "—", "Không mở được tệp Excel."]]
    r = sign_in.post(UPLOAD, form(SimpleUploadedFile("t.csv", b"STT,Ten\n"), body))
    assert r.status_code == 400
    assert "Tải bảng lên dưới dạng bảng tính Excel (.xlsx)." in r.content.decode()


def test_a_good_table_shows_the_tree_and_the_differences_from_last_years_methodology(
    sign_in, body, cycle
) -> None:
    old = cycle.methodology.core()

    r = sign_in.post(UPLOAD, form(good_table(old), body, decision="12/QĐ-SNV"))

    assert r.status_code == 200
    html = r.content.decode()
    assert rows(html, "differences") == [
        [
            "đổi tên",
            "1.1 Kế hoạch cải cách hành chính năm",  # the name shows here on a phone
            "Kế hoạch cải cách hành chính năm",
            "Kế hoạch CCHC năm",
            "Kế hoạch cải cách hành chính năm",
        ]
    ]
    tree = rows(html, "tree")
    assert [row[0] for row in tree] == [n.code for n in old.nodes]
    assert tree[2][:3] == ["1.1.1", "Ban hành kế hoạch CCHC năm", "1"]
    assert tree[2][3] == "Ban hành kịp thời: 1 | Ban hành không kịp thời: 0,5 | Không ban hành: 0"
    assert "snv-a-commune-2026" in html
    assert Methodology.objects.count() == 1  # nothing stored before "adopt"


def test_without_an_earlier_cycle_there_is_nothing_to_compare_with(
    sign_in, body, methodology
) -> None:
    r = sign_in.post(UPLOAD, form(good_table(methodology.core()), body))
    assert r.status_code == 200
    assert "không có kỳ đánh giá nào của năm trước" in r.content.decode()


def token_of(html: str) -> str:
    return re.search(r'name="table" value="([^"]+)"', html).group(1)


def test_adopt_stores_a_new_methodology_version_and_audits_it(sign_in, body, cycle) -> None:
    data = form(good_table(cycle.methodology.core()), body, decision="12/QĐ-SNV", name="Bộ 2026")
    r = sign_in.post(UPLOAD, data)
    table = token_of(r.content.decode())

    refused = sign_in.post(ADOPT, {"table": table, "compared": cycle.methodology.pk})
    assert refused.status_code == 400
    assert "Đánh dấu vào ô để xác nhận." in refused.content.decode()
    assert Methodology.objects.count() == 1

    r = sign_in.post(ADOPT, {"table": table, "compared": cycle.methodology.pk, "confirm": "on"})

    assert r.status_code == 302 and r["Location"] == "/cycles/new"
    stored = Methodology.objects.get(slug="snv-a-commune-2026")
    core = stored.core()
    assert (stored.name, core.name, core.example) == ("Bộ 2026", "Bộ 2026", False)
    assert (stored.unit_type, stored.decision_number, core.valid_from) == (
        "commune",
        "12/QĐ-SNV",
        2026,
    )
    assert core.by_code["1.1"].name == "Kế hoạch cải cách hành chính năm"
    assert core.nodes[1:] and core.max_total == cycle.methodology.core().max_total
    audit = AuditRecord.objects.get(action="methodology.adopt")
    assert audit.actor.username == "thuky" and audit.object_id == str(stored.pk)
    assert (
        '"differences": 1' in audit.new_value
        and '"compared_with": "example-commune"' in audit.new_value
    )
    # The same checked table adopted twice is a second version, not an overwrite.
    sign_in.post(ADOPT, {"table": table, "confirm": "on"})
    assert Methodology.objects.filter(slug="snv-a-commune-2026-2").exists()


def test_an_altered_token_adopts_nothing(sign_in, body, methodology) -> None:
    r = sign_in.post(UPLOAD, form(good_table(methodology.core()), body))
    table = token_of(r.content.decode())

    r = sign_in.post(ADOPT, {"table": table[:-3] + "abc", "confirm": "on"})

    assert r.status_code == 400
    assert "đã hết hạn hoặc bị sửa đổi" in r.content.decode()
    assert Methodology.objects.count() == 1


def test_the_example_table_is_labelled_and_reads_back(sign_in) -> None:
    r = sign_in.get(TEMPLATE)

    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="vi-du-phu-luc-tieu-chi.xlsx"'
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet["A1"].value.startswith("VÍ DỤ – các tiêu chí, điểm và cách chấm dưới đây là ví dụ")
    assert sheet["A3"].value == "STT" and sheet["C3"].value == "Điểm tối đa"
    m = parindex.read_appendix_table(r.content, "t.xlsx")
    example = parindex.load_methodology(parindex.shipped_methodologies()["example-commune"])
    assert m.nodes == example.nodes and m.total_points == Decimal(100)


@pytest.mark.parametrize("url", [UPLOAD, TEMPLATE])
def test_only_a_secretariat_may_use_the_pages(client, url, appraiser, officer) -> None:
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    for user in (appraiser, officer):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(UPLOAD, {}).status_code == 403


def test_adopt_is_refused_to_others(
    client, sign_in, body, methodology, appraiser, outsider
) -> None:
    r = sign_in.post(UPLOAD, form(good_table(methodology.core()), body))
    data = {"table": token_of(r.content.decode()), "confirm": "on"}
    assert sign_in.get(ADOPT).status_code == 405
    client.logout()
    assert client.post(ADOPT, data)["Location"].startswith("/accounts/login/")
    client.force_login(appraiser)
    assert client.post(ADOPT, data).status_code == 403
    # Another body's secretariat cannot adopt this body's table.
    client.force_login(outsider)
    r = client.post(ADOPT, data)
    assert r.status_code == 400 and "Chỉ thư ký của cơ quan đó" in r.content.decode()
    assert Methodology.objects.count() == 1


def test_the_body_must_be_ones_own(client, body, outsider, methodology) -> None:
    client.force_login(outsider)
    r = client.post(UPLOAD, form(good_table(methodology.core()), body))
    assert r.status_code == 400
    assert (
        'name="body"' in r.content.decode() and "Hãy chọn một lựa chọn hợp lệ" in r.content.decode()
    )
