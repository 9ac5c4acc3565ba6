import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Entry, Phase

pytestmark = pytest.mark.django_db

GOOD = 'unit,code,points\nx-a,4.1.1,12.5\nx-b,4.1.2,"7,25"\nx-d,2.2.1,10\n'


@pytest.fixture
def open_cycle(cycle, run_to):
    return run_to(cycle, Phase.SELF_ASSESSMENT)


def csv(text: str, name: str = "diem.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")


def points(cycle, unit: str, code: str) -> Decimal | None:
    return Entry.objects.get(
        assessment__cycle=cycle, assessment__unit__code=unit, code=code
    ).external_points


def test_it_shows_the_upload_form_and_each_units_points(client, parse, open_cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{open_cycle.pk}/external").content)
    assert page.find("input", name="file").attrs["type"] == "file"
    assert page.find("form", enctype="multipart/form-data")
    assert [th.text for th in page.find_all("th", scope="row")] == [
        "Phường Đông Hà",
        "Xã Ái Quốc",
        "Xã Bình An",
    ]


def test_it_imports_a_good_csv_file(client, open_cycle, secretariat):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": csv(GOOD)})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{open_cycle.pk}/external"
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("12.5")
    assert points(open_cycle, "x-b", "4.1.2") == Decimal("7.25")
    assert points(open_cycle, "x-d", "2.2.1") == Decimal("10")
    rec = AuditRecord.objects.filter(action="entry.external_points", unit_code="x-a").last()
    assert (rec.code, rec.new_value) == ("4.1.1", "12.5")


def test_it_imports_a_good_xlsx_file(client, open_cycle, secretariat):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "code", "points"])
    sheet.append(["x-a", "4.1.1", 11.75])
    sheet.append(["x-b", "3.1.3", 9])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("diem.xlsx", data.getvalue())
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})
    assert r.status_code == 302
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("11.75")
    assert points(open_cycle, "x-b", "3.1.3") == Decimal("9")


def test_it_rejects_a_bad_file_row_by_row_and_applies_nothing(
    client, parse, open_cycle, secretariat
):
    bad = (
        "unit,code,points\n"
        "x-a,4.1.1,1\n"  # good, but not applied
        "x-z,4.1.1,1\n"  # unknown unit
        "x-a,1.1.1,1\n"  # scored by appraisal
        "x-a,4.1.2,99\n"  # over the maximum (15)
        "x-b,4.1.1,abc\n"  # not a number
        "x-b,9.9.9,1\n"  # unknown criterion
        "x-a,4.1.1,2\n"  # twice
    )
    before = set(
        Entry.objects.filter(assessment__cycle=open_cycle).values_list(
            "pk", "external_points", "version"
        )
    )
    audit = AuditRecord.objects.count()
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": csv(bad)})
    assert r.status_code == 400
    errors = [li.text for li in parse(r.content).find_all("li") if li.text.startswith("Dòng")]
    assert errors == [
        "Dòng 3, cột “unit”: đơn vị “x-z” không thuộc kỳ đánh giá này",
        "Dòng 4, cột “code”: “1.1.1” được chấm qua thẩm định, không lấy từ điều tra hay dữ liệu",
        "Dòng 5, cột “points”: 99 nằm ngoài khoảng từ 0 đến 15",
        "Dòng 6, cột “points”: “abc” không phải là số",
        "Dòng 7, cột “code”: “9.9.9” không phải là tiêu chí của bộ tiêu chí",
        "Dòng 8, cột “code”: “x-a” và “4.1.1” bị nhập hai lần (lần đầu ở dòng 2)",
    ]
    after = set(
        Entry.objects.filter(assessment__cycle=open_cycle).values_list(
            "pk", "external_points", "version"
        )
    )
    assert after == before
    assert AuditRecord.objects.count() == audit


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv("unit,code\nx-a,4.1.1\n"), "thiếu cột points"),
        (csv("", "empty.csv"), "rỗng"),
        (csv("unit,code,points\n"), "không có dòng điểm"),
        (SimpleUploadedFile("diem.pdf", b"%PDF-1.4"), ".csv hoặc .xlsx"),
        (
            SimpleUploadedFile(
                "diem.csv", "unit,code,points\nx-a,4.1.1,1\nĐơn Tư,4.1.1,1\n".encode("cp1258")
            ),
            "UTF-8",
        ),
        (SimpleUploadedFile("diem.xlsx", b"not a workbook"), "Không mở được"),
    ],
)
def test_it_rejects_a_file_it_cannot_read(client, parse, open_cycle, secretariat, upload, message):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})
    assert r.status_code == 400
    assert message in parse(r.content).find("ul", class_="errorlist").text


def test_it_refuses_an_import_in_the_published_phase(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.PUBLISHED)
    before = points(cycle, "x-a", "4.1.1")
    audit = AuditRecord.objects.count()
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/external", {"file": csv(GOOD)})
    assert r.status_code == 400
    assert (
        "Không thể thực hiện trong giai đoạn hiện tại"
        in parse(r.content).find("div", role="alert").text
    )
    assert points(cycle, "x-a", "4.1.1") == before
    assert AuditRecord.objects.count() == audit


def test_it_offers_a_file_to_fill_in(client, open_cycle, secretariat):
    client.force_login(secretariat)
    r = client.get(f"/cycles/{open_cycle.pk}/external/template.csv")
    assert r["Content-Disposition"].startswith("attachment;")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "unit,unit_name,code,criterion,max_points,points"
    assert any(line.startswith("x-a,Xã Ái Quốc,4.1.1,") and line.endswith(",12") for line in lines)
    assert len(lines) == 1 + 3 * 5


def test_it_says_which_template_columns_the_import_ignores(client, parse, open_cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{open_cycle.pk}/external").content)
    hint = " ".join(p.text for p in page.find_all("p", **{"class": "hint"}))
    assert "unit_name,criterion,max_points" in hint
    assert "được bỏ qua" in hint


def test_it_refuses_everyone_else(open_cycle, refused):
    for url in (
        f"/cycles/{open_cycle.pk}/external",
        f"/cycles/{open_cycle.pk}/external/template.csv",
    ):
        refused(url)
    refused(f"/cycles/{open_cycle.pk}/external", "post", {"file": csv(GOOD)})
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("12")


# --- hostile files: read by the core's one reader, refused as form errors, never a 500 ------

MB = 1024 * 1024


def _xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_entities(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "a">]>' + body
            target.writestr(name, body)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(21):
            member.write(bytes(MB))
    return out.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("d.xlsx", _with_entities(_xlsx(["unit", "code", "points"]))),
            "Không mở được tệp Excel: phần XML của tệp khai báo thực thể",
        ),
        (SimpleUploadedFile("d.xlsx", _bomb()), "Khi giải nén, tệp lớn hơn 20 MB"),
        (csv("unit,code,points\nx-a\x00,4.1.1,1\n"), "Dòng 2: Tệp chứa ký tự NUL"),
        (
            csv("unit,code,points\nx-a\x1b,4.1.1,1\n"),
            "Dòng 2, cột “unit”: chứa ký tự điều khiển U+001B",
        ),
        (csv('unit,code,points\nx-a,"4.1.1,1\n'), "Tệp CSV sai định dạng"),
        (csv("unit,code,points\nx-a,4.1.1," + "9" * 70_000 + "\n"), "giá trị dài hơn 65536 ký tự"),
        (csv("unit,code,points\nx-a,4.1.1,1_0\n"), "Dòng 2, cột “points”: “1_0” không phải là số"),
        (
            SimpleUploadedFile("d.csv", "unit,code,points\nĐà,4.1.1,1\n".encode("cp1258")),
            "Tệp không phải văn bản UTF-8",
        ),
    ],
    ids=[
        "entities",
        "zip bomb",
        "nul",
        "control character",
        "quote",
        "long field",
        "1_0",
        "cp1258",
    ],
)
def test_it_refuses_a_hostile_file_as_a_form_error(
    client, parse, open_cycle, secretariat, upload, message
):
    before = points(open_cycle, "x-a", "4.1.1")
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})
    assert r.status_code == 400
    assert message in parse(r.content).find("ul", class_="errorlist").text
    assert points(open_cycle, "x-a", "4.1.1") == before


def test_it_reads_old_mac_line_ends(client, open_cycle, secretariat):
    client.force_login(secretariat)
    upload = csv("unit,code,points\rx-a,4.1.1,3\r")
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})
    assert r.status_code == 302
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("3")


def test_the_unpacked_size_limit_is_a_setting(client, parse, open_cycle, secretariat, settings):
    settings.PARINDEX_UPLOAD_MAX_EXPANDED_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(2 * MB))
    client.force_login(secretariat)
    upload = SimpleUploadedFile("d.xlsx", out.getvalue())
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload})
    assert r.status_code == 400
    assert "tệp lớn hơn 1 MB" in parse(r.content).find("ul", class_="errorlist").text
