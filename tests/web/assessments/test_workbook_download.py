"""The self-assessment workbook (.xlsx): one row per leaf, level lists, current values."""

import io

import pytest
from openpyxl import load_workbook

from parindex_web.cycles import services

from .helpers import entry, pdf, save

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Nguồn điểm",
    "Cách chấm điểm",
    "Mức",
    "Đạt yêu cầu (có/không)",
    "Tỷ lệ (%)",
    "Số đã hoàn thành",
    "Số đề ra",
    "Số nội dung không đạt",
    "Điểm",
    "Ghi chú",
    "Tài liệu kiểm chứng (số văn bản)",
    "Điểm hiện tại",
]


def url(w):
    return f"/assessments/{w.assessment.pk}/workbook.xlsx"


def book(response):
    return load_workbook(io.BytesIO(response.content))


def test_it_downloads_one_row_per_leaf_with_vietnamese_headers(client, w):
    client.force_login(w.officer)
    r = client.get(url(w))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="tu-danh-gia-x01-2026.xlsx"' in r["Content-Disposition"]
    sheet = book(r)["Tự đánh giá"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert codes == [leaf.code for leaf in w.cycle.core().leaves]
    first = [c.value for c in sheet[2]]
    assert first[:3] == ["1.1.1", "Ban hành kế hoạch CCHC năm", 1]
    assert "Ban hành kịp thời: 1" in first[4]


def test_it_holds_the_current_input_note_evidence_and_points(client, w):
    e = entry(w.assessment, "1.1.2")
    services.add_evidence(w.officer, w.assessment, pdf(), doc_number="12/KH-UBND", entry=e)
    save(w, "1.1.2", {"value": "yes"}, note="đã có kế hoạch")
    save(w, "1.4.1", {"achieved": 9, "planned": 10})
    client.force_login(w.leader)
    sheet = book(client.get(url(w)))["Tự đánh giá"]
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=2)}
    assert rows["1.1.2"][6] == "có"
    assert rows["1.1.2"][12:] == ["đã có kế hoạch", "12/KH-UBND", 1]
    assert rows["1.4.1"][8:10] == [9, 10]
    assert rows["1.4.1"][14] == 0.9


def test_it_lists_each_leafs_levels_and_validates_level_cells(client, w):
    client.force_login(w.officer)
    workbook = book(client.get(url(w)))
    levels = [[c.value for c in row] for row in workbook["Các mức"].iter_rows(min_row=2)]
    assert levels[:3] == [
        ["1.1.1", "Ban hành kịp thời", 1, "on_time"],
        ["1.1.1", "Ban hành không kịp thời", 0.5, "late"],
        ["1.1.1", "Không ban hành", 0, "none"],
    ]
    rules = {
        str(v.sqref): v.formula1 for v in workbook["Tự đánh giá"].data_validations.dataValidation
    }
    assert rules["F2"] == "'Các mức'!$B$2:$B$4"
    assert '"có,không"' in rules.values()


def test_the_secretariat_and_the_assigned_appraiser_may_download(client, w):
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.get(url(w)).status_code == 200


def test_it_hides_the_workbook_from_everyone_else(client, w):
    for user in (w.appraiser2, w.other_officer, w.outsider):
        client.force_login(user)
        assert client.get(url(w)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.get(url(w))["Location"].startswith("/accounts/login/")
