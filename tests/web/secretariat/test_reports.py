"""The secretariat's reports: progress workbook, missing evidence, appraisal against
self-assessment; each worked on a small example, read back as a person would (openpyxl, CSV)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry, Evidence, Phase
from parindex_web.units.models import Unit

pytestmark = pytest.mark.django_db

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response, index: int = 0) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[index].iter_rows(values_only=True))


def attach(assessment: Assessment, code: str) -> None:
    """One document on the unit's leaf ``code`` (made directly: only the link matters here)."""
    evidence = Evidence.objects.create(
        assessment=assessment,
        sha256=f"{assessment.pk:064d}",
        size=1,
        content_type="application/pdf",
        original_name="ke-hoach.pdf",
    )
    assessment.entries.get(code=code).evidence.add(evidence)


@pytest.fixture
def opened(cycle, run_to):
    """Self-assessment open, every leaf of every unit filled; Xã Bình An documents 1.1.1."""
    run_to(cycle, Phase.SELF_ASSESSMENT)
    attach(cycle.assessments.get(unit__code="x-b"), "1.1.1")
    return cycle


def set_points(cycle, unit: str, code: str, own: str | None, appraised: str | None) -> None:
    Entry.objects.filter(assessment__cycle=cycle, assessment__unit__code=unit, code=code).update(
        self_points=None if own is None else D(own),
        appraised_points=None if appraised is None else D(appraised),
    )


@pytest.fixture
def differing(cycle, run_to):
    """Every appraisal leaf self-assessed and appraised at 1, except: Xã Bình An's 1.1.2 cut
    from 2 to 0.5, Xã Ái Quốc's from 2 to 1, Phường Đông Hà's 1.1.2 not appraised and its
    1.2.1 raised from 1 to 1.25."""
    run_to(cycle, Phase.SELF_ASSESSMENT)
    core = cycle.core()
    own = [c for c in (leaf.code for leaf in core.leaves) if core.source_of(c).value == "appraisal"]
    Entry.objects.filter(assessment__cycle=cycle, code__in=own).update(
        self_points=D(1), appraised_points=D(1)
    )
    set_points(cycle, "x-b", "1.1.2", "2", "0.5")
    set_points(cycle, "x-a", "1.1.2", "2", "1")
    set_points(cycle, "x-d", "1.1.2", "2", None)
    set_points(cycle, "x-d", "1.2.1", "1", "1.25")
    return cycle


# Missing evidence


def test_missing_evidence_lists_each_unit_and_leaf_without_a_document(
    client, parse, opened, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{opened.pk}/missing-evidence").content)
    rows = [(tr.attrs["data-unit"], tr.attrs["data-code"]) for tr in page.find_all("tr")[1:]]
    # Vietnamese order of the names, methodology order of the leaves; 1.1.1 of x-b documented.
    assert rows == [
        ("x-d", "1.1.1"),
        ("x-d", "1.1.4"),
        ("x-d", "1.4.1"),
        ("x-a", "1.1.1"),
        ("x-a", "1.1.4"),
        ("x-a", "1.4.1"),
        ("x-b", "1.1.4"),
        ("x-b", "1.4.1"),
    ]
    assert "8 tiêu chí thiếu tài liệu kiểm chứng ở 3 đơn vị." in page.find("p", class_="count").text
    assert "Kế hoạch CCHC năm" in page.find("table").text


def test_missing_evidence_downloads_as_a_workbook_and_a_csv_with_a_bom(client, opened, secretariat):
    client.force_login(secretariat)
    rows = sheet_rows(client.get(f"/cycles/{opened.pk}/missing-evidence.xlsx"))
    assert rows[0] == (
        "Mã đơn vị",
        "Đơn vị",
        "Trạng thái",
        "Mã tiêu chí",
        "Tiêu chí",
        "Tài liệu kiểm chứng cần có",
    )
    assert len(rows) == 9
    assert rows[7][:4] == ("x-b", "Xã Bình An", "Lãnh đạo đã ký duyệt và gửi", "1.1.4")
    assert all(isinstance(v, str) for row in rows for v in row)
    r = client.get(f"/cycles/{opened.pk}/missing-evidence.csv")
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    text = r.content.decode("utf-8")
    assert text.startswith(parindex.CSV_BOM)
    table = list(csv.reader(io.StringIO(text.removeprefix(parindex.CSV_BOM))))
    assert table[1:] == [list(row) for row in rows[1:]]


def test_missing_evidence_in_another_format_is_404(client, opened, secretariat):
    client.force_login(secretariat)
    assert client.get(f"/cycles/{opened.pk}/missing-evidence.pdf").status_code == 404


# Appraisal against self-assessment


def test_differences_count_cuts_per_criterion_on_a_worked_example(
    client, parse, differing, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{differing.pk}/differences").content)
    criteria = page.find("table", class_="table table--numbers table--differences")
    lines = [
        [e.text for e in page.elements[page.elements.index(tr) + 1 :] if e.tag in ("th", "td")][:5]
        for tr in page.elements
        if tr.tag == "tr" and "data-code" in tr.attrs and tr.text in criteria.text
    ][:2]
    assert lines[0][0].startswith("1.1.2")  # two units cut, x-d not appraised
    assert lines[0][1:] == ["▼ −2,50 thẩm định thấp hơn", "2", "0", "2"]
    assert lines[1][0].startswith("1.2.1")
    assert lines[1][1:] == ["▲ +0,25 thẩm định cao hơn", "0", "1", "3"]
    matrix = page.find("table", class_="table table--numbers table--matrix")
    heads = [th.text for th in page.find_all("th", scope="col") if th.text in matrix.text]
    assert heads[-3:] == ["Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An"]
    assert "14 tiêu chí không có chênh lệch" in page.find("main").text


def test_differences_workbook_has_the_criteria_and_the_matrix(client, differing, secretariat):
    client.force_login(secretariat)
    response = client.get(f"/cycles/{differing.pk}/differences.xlsx")
    criteria = sheet_rows(response, 0)
    assert criteria[0][0] == "Mã tiêu chí"
    assert criteria[1][0] == "1.1.2" and criteria[1][2:] == (2, 0, 2, -2.5)
    assert criteria[2][0] == "1.2.1" and criteria[2][2:] == (0, 1, 3, 0.25)
    matrix = sheet_rows(response, 1)
    assert matrix[0][2:] == ("Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An")
    assert matrix[1][:2] == ("1.1.2", criteria[1][1])
    assert matrix[1][2:] == (None, -1, -1.5)
    assert matrix[-1][1:] == ("Tổng theo đơn vị", 0.25, -1, -1.5)


def test_differences_without_an_appraisal_say_so(client, parse, opened, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{opened.pk}/differences").content)
    assert "Không có điểm thẩm định nào khác điểm tự đánh giá." in page.find("main").text


# Progress workbook


def test_progress_workbook_has_the_dashboards_rows_as_filtered(client, opened, secretariat):
    opened.self_assessment_due = timezone.now() + timedelta(days=3)
    opened.save()
    client.force_login(secretariat)
    rows = sheet_rows(client.get(f"/cycles/{opened.pk}/progress.xlsx"))
    assert rows[0][:4] == ("Mã đơn vị", "Đơn vị", "Trạng thái", "Số tiêu chí đã xong")
    assert [r[0] for r in rows[1:]] == ["x-d", "x-a", "x-b"]
    bình_an = rows[3]
    assert bình_an[1:11] == (
        "Xã Bình An",
        "Lãnh đạo đã ký duyệt và gửi",
        16,
        16,
        16,
        0,
        1,
        2,
        "1.1.4, 1.4.1",
        0,
    )
    due = timezone.localtime(opened.self_assessment_due).date()
    assert bình_an[11].date() == due
    book = load_workbook(io.BytesIO(client.get(f"/cycles/{opened.pk}/progress.xlsx").content))
    assert book.active.cell(4, 12).number_format == "DD/MM/YYYY"
    filtered = sheet_rows(client.get(f"/cycles/{opened.pk}/progress.xlsx?q=binh&sort=-code"))
    assert [r[0] for r in filtered[1:]] == ["x-b"]


def test_progress_workbook_with_a_bad_filter_is_a_400_with_the_message(
    client, parse, opened, secretariat
):
    client.force_login(secretariat)
    r = client.get(f"/cycles/{opened.pk}/progress.xlsx?sort=password")
    assert r.status_code == 400
    assert "Hãy chọn một lựa chọn hợp lệ" in parse(r.content).find("form", class_="filters").text


def test_a_unit_name_starting_with_equals_stays_text_in_the_workbook(client, opened, secretariat):
    Unit.objects.filter(code="x-b").update(name="=HYPERLINK(1)")
    client.force_login(secretariat)
    response = client.get(f"/cycles/{opened.pk}/progress.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


# Access


@pytest.mark.parametrize(
    "path",
    [
        "progress.xlsx",
        "missing-evidence",
        "missing-evidence.xlsx",
        "missing-evidence.csv",
        "differences",
        "differences.xlsx",
    ],
)
def test_the_reports_refuse_everyone_else(cycle, refused, path):
    refused(f"/cycles/{cycle.pk}/{path}")


# Query counts


def add_units(cycle, body, n: int) -> None:
    for i in range(n):
        unit = Unit.objects.create(
            code=f"z-{i:02d}", name=f"Xã Thêm {i}", unit_type=Unit.Type.COMMUNE, body=body
        )
        assessment = Assessment.objects.create(cycle=cycle, unit=unit)
        services.ensure_entries(assessment)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?q=xa&status=submitted&sort=-progress",
        "progress.xlsx",
        "missing-evidence",
        "missing-evidence.csv",
        "differences",
        "differences.xlsx",
    ],
)
def test_the_pages_read_a_fixed_number_of_queries_whatever_the_number_of_units(
    client, differing, body, secretariat, path
):
    client.force_login(secretariat)
    url = f"/cycles/{differing.pk}/{path}"
    queries(client, url)  # warm: the methodology is loaded once
    few = queries(client, url)
    add_units(differing, body, 22)
    assert differing.assessments.count() == 25
    assert queries(client, url) == few
    assert few <= 20
