"""Uploading the filled-in workbook: every row checked, then all applied or nothing."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from parindex_web.assessments import workbook
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Entry

from .helpers import entry, fill_all, past_deadline, pdf, refusal, save

pytestmark = pytest.mark.django_db

COLUMN = {key: i for i, (key, _label) in enumerate(workbook.COLUMNS)}


def url(w):
    return f"/assessments/{w.assessment.pk}/workbook"


def filled(w, rows: dict[str, dict], extra_rows=()):
    """The unit's workbook with ``rows`` (code → {column key: value}) changed, as an upload."""
    book = load_workbook(io.BytesIO(workbook.build(w.assessment)))
    sheet = book["Tự đánh giá"]
    for cells in sheet.iter_rows(min_row=2):
        for key, value in rows.get(cells[0].value, {}).items():
            if isinstance(value, tuple):  # (value, number format)
                cells[COLUMN[key]].value, cells[COLUMN[key]].number_format = value
            else:
                cells[COLUMN[key]].value = value
    for extra in extra_rows:
        sheet.append(extra)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("tu-danh-gia.xlsx", out.getvalue(), content_type=workbook.XLSX)


def snapshot(w):
    return sorted(
        Entry.objects.filter(assessment=w.assessment).values_list(
            "code", "version", "self_points", "note"
        )
    )


@pytest.fixture
def doc(w):
    return services.add_evidence(w.officer, w.assessment, pdf(), doc_number="12/KH-UBND")


GOOD = {
    "1.1.1": {"level": "late", "note": "ban hành ngày 20/1"},
    "1.1.2": {"value": "có", "evidence": "12/KH-UBND"},
    "1.1.4": {"percent": 95},
    "1.4.1": {"achieved": 9, "planned": 10},
    "1.5.2": {"count": 2},
    "3.1.1": {"level": "Áp dụng nhưng chưa đầy đủ"},
}


def test_a_good_workbook_is_applied(client, parse, w, doc):
    client.force_login(w.officer)
    r = client.post(url(w), {"workbook": filled(w, GOOD)})
    assert r.status_code == 302
    assert r["Location"] == f"/assessments/{w.assessment.pk}/"
    got = {e.code: e for e in Entry.objects.filter(assessment=w.assessment)}
    assert (got["1.1.1"].inputs, got["1.1.1"].self_points) == ({"level": "late"}, Decimal("0.5"))
    assert got["1.1.1"].note == "ban hành ngày 20/1"
    assert (got["1.1.2"].inputs, got["1.1.2"].self_points) == ({"value": "yes"}, Decimal(1))
    assert list(got["1.1.2"].evidence.all()) == [doc]
    assert got["1.1.4"].self_points == Decimal(2)
    assert got["1.4.1"].self_points == Decimal("0.9")
    assert got["1.5.2"].self_points == Decimal(3)
    assert got["3.1.1"].inputs == {"level": "partial"}
    assert got["1.1.1"].updated_by == w.officer
    message = parse(client.get(r["Location"]).content).find("li", class_="message message--success")
    assert "6" in message.text


def test_a_percent_formatted_cell_counts_as_a_percentage(client, w):
    client.force_login(w.officer)
    client.post(url(w), {"workbook": filled(w, {"1.1.4": {"percent": (0.8, "0%")}})})
    e = entry(w.assessment, "1.1.4")
    assert (e.inputs, e.self_points) == ({"percent": "80"}, Decimal(1))


def test_an_unchanged_workbook_changes_nothing(client, w):
    save(w, "1.4.1", {"achieved": 9, "planned": 10}, note="x")
    before, audit = snapshot(w), AuditRecord.objects.count()
    client.force_login(w.officer)
    r = client.post(url(w), {"workbook": filled(w, {})})
    assert r.status_code == 302
    assert snapshot(w) == before
    assert AuditRecord.objects.count() == audit


def test_a_workbook_with_errors_is_rejected_whole(client, parse, w, doc):
    save(w, "1.2.1", {"value": "yes"})
    bad = {
        **GOOD,
        "1.1.3": {"level": "x", "value": "có lẽ"},
        "1.3.2": {"achieved": 3},
        "1.5.2": {"count": -1},
        "2.1.2": {"evidence": "12/KH-UBND, 99/XX"},
        "2.2.1": {"percent": 99},
        "1.2.1": {"value": None},
    }
    before, audit = snapshot(w), AuditRecord.objects.count()
    client.force_login(w.officer)
    extra = [["9.9.9", "không có"], ["1.1.1", "lặp lại"]]
    r = client.post(url(w), {"workbook": filled(w, bad, extra)})
    assert r.status_code == 400
    page = parse(r.content)
    box = page.find("div", id="workbook-errors")
    items = [e.text for e in page.elements if e.tag == "li" and e.text in box.text]
    text = "\n".join(items)
    assert len(items) == 8, text
    assert "Trang tính “Tự đánh giá”, dòng 4, cột G" in text  # 1.1.3: not yes/no
    assert "dòng 9, cột H" in text  # 1.3.2: needs planned too (shown at the first input)
    assert "dòng 13, cột K" in text  # 1.5.2: count below 0
    assert "dòng 15, cột N" in text and "99/XX" in text  # unknown document
    assert "dòng 16, cột H" in text  # data leaf
    assert "dòng 6, cột G" in text  # 1.2.1: input removed
    assert "9.9.9" in text and "1.1.1" in text
    assert snapshot(w) == before
    assert AuditRecord.objects.count() == audit
    assert entry(w.assessment, "1.1.2").evidence.count() == 0


def test_it_refuses_a_file_that_is_not_a_workbook(client, parse, w):
    client.force_login(w.officer)
    junk = SimpleUploadedFile("x.xlsx", b"not a zip", content_type=workbook.XLSX)
    r = client.post(url(w), {"workbook": junk})
    assert r.status_code == 400
    assert "Excel" in parse(r.content).find("div", id="workbook-errors").text


def _rewrite(data: bytes, member: str, prefix: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, prefix + body if name == member else body)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(21):
            member.write(bytes(1024 * 1024))
    return out.getvalue()


def test_it_refuses_a_workbook_whose_xml_declares_entities(client, parse, w):
    data = filled(w, {}).read()
    bad = _rewrite(data, "xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY a "aaaa">]>')
    before = snapshot(w)
    client.force_login(w.officer)
    upload = SimpleUploadedFile("x.xlsx", bad, content_type=workbook.XLSX)
    r = client.post(url(w), {"workbook": upload})
    assert r.status_code == 400
    text = parse(r.content).find("div", id="workbook-errors").text
    assert "phần XML của tệp khai báo thực thể" in text
    assert snapshot(w) == before


def test_it_refuses_a_zip_bomb_before_opening_it(client, parse, w):
    client.force_login(w.officer)
    upload = SimpleUploadedFile("x.xlsx", _bomb(), content_type=workbook.XLSX)
    r = client.post(url(w), {"workbook": upload})
    assert r.status_code == 400
    text = parse(r.content).find("div", id="workbook-errors").text
    assert "Khi giải nén, tệp lớn hơn 20 MB" in text


def test_it_refuses_a_sheet_without_a_code_column(client, parse, w):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Tên", "Điểm"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(w.officer)
    upload = SimpleUploadedFile("x.xlsx", out.getvalue(), content_type=workbook.XLSX)
    r = client.post(url(w), {"workbook": upload})
    assert "“Mã”" in parse(r.content).find("div", id="workbook-errors").text


def test_the_officer_gets_the_upload_form(client, parse, w):
    client.force_login(w.officer)
    page = parse(client.get(url(w)).content)
    assert page.find("input", name="workbook").attrs["type"] == "file"


def test_it_refuses_after_sign_off(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    before = snapshot(w)
    client.force_login(w.officer)
    page = parse(client.get(url(w)).content)
    assert page.find("p", id="read-only").text == refusal(w.assessment)
    assert page.find_all("input", name="workbook") == []
    r = client.post(url(w), {"workbook": filled(w, GOOD)})
    assert r.status_code == 400
    assert snapshot(w) == before


def test_it_refuses_after_the_deadline(client, parse, w):
    past_deadline(w)
    before = snapshot(w)
    client.force_login(w.officer)
    r = client.post(url(w), {"workbook": filled(w, GOOD)})
    assert refusal(w.assessment) in parse(r.content).find("div", id="workbook-errors").text
    assert snapshot(w) == before


def test_it_refuses_the_leader(client, w):
    client.force_login(w.leader)
    assert client.get(url(w)).status_code == 403
    assert client.post(url(w), {"workbook": filled(w, GOOD)}).status_code == 403


def test_it_hides_the_page_from_other_units_and_outsiders(client, w):
    for user in (w.other_officer, w.appraiser2, w.outsider):
        client.force_login(user)
        assert client.post(url(w), {"workbook": filled(w, GOOD)}).status_code == 404


def test_it_refuses_the_secretariat_and_the_appraiser(client, w):
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.get(url(w)).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.get(url(w))["Location"].startswith("/accounts/login/")


def test_a_sheet_with_only_some_columns_keeps_the_others(client, w, doc):
    from openpyxl import Workbook

    save(w, "1.1.2", {"value": "yes"}, note="giữ nguyên")
    book = Workbook()
    sheet = book.active
    sheet.title = "Tự đánh giá"
    sheet.append(["Mã", "Tài liệu kiểm chứng (số văn bản)", "Số đề ra"])
    sheet.append(["1.1.2", "12/KH-UBND", None])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("x.xlsx", out.getvalue(), content_type=workbook.XLSX)
    client.force_login(w.officer)
    assert client.post(url(w), {"workbook": upload}).status_code == 302
    e = entry(w.assessment, "1.1.2")
    assert (e.inputs, e.note, list(e.evidence.all())) == ({"value": "yes"}, "giữ nguyên", [doc])


def test_a_missing_column_is_named_in_the_error(client, parse, w):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã", "Số đề ra"])
    book.active.append(["1.4.1", 10])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("x.xlsx", out.getvalue(), content_type=workbook.XLSX)
    client.force_login(w.officer)
    text = (
        parse(client.post(url(w), {"workbook": upload}).content)
        .find("div", id="workbook-errors")
        .text
    )
    assert "dòng 2, cột B" in text and "Số đã hoàn thành:" in text
