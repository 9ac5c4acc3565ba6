"""GET /results/<cycle>/report.xlsx: the official-style workbook of the latest publication."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from parindex_web.cycles import services
from parindex_web.cycles.published import load
from parindex_web.reports.workbook import HEADER_ROW
from parindex_web.results.palette import band_colour, contrast

SHEETS = ["Xếp hạng", "Chỉ số thành phần", "Thống kê", "Bộ tiêu chí", "Thông tin"]


def url(cycle: Any) -> str:
    return f"/results/{cycle.pk}/report.xlsx"


def open_book(response: Any) -> Any:
    return load_workbook(io.BytesIO(response.getvalue()))


def values(ws: Any, row: int) -> list[Any]:
    return [c.value for c in ws[row]]


@pytest.mark.django_db
def test_it_downloads_a_workbook_named_after_the_cycle(client: Any, published: Any) -> None:
    response = client.get(url(published))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="chi-so-cchc-2024-{published.pk}-v1.xlsx"'
    )
    assert open_book(response).sheetnames == SHEETS


@pytest.mark.django_db
def test_the_ranking_has_one_row_per_unit_with_numbers(client: Any, published: Any) -> None:
    ws = open_book(client.get(url(published)))["Xếp hạng"]
    header = values(ws, HEADER_ROW)
    assert header[:6] == ["Xếp hạng", "Đơn vị", "Mã đơn vị", "Tổng điểm", "Chỉ số (%)", "Nhóm"]
    rows = [values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert len(rows) == 4
    expected = load(published).results["units"]
    for row, unit in zip(rows, expected, strict=True):
        assert row[0] == unit["rank"]
        assert row[2] == unit["unit"]
        assert isinstance(row[3], int | float) and not isinstance(row[3], bool)
        assert Decimal(str(row[3])) == Decimal(unit["total_points"])
        assert Decimal(str(row[4])) == Decimal(unit["index"])
        assert row[5] == unit["group"]
    assert rows[0][1] == "Xã Đông Hà"
    assert [r[0] for r in rows] == [1, 2, 2, 4]  # the tie keeps its competition rank
    number_cell = ws.cell(HEADER_ROW + 1, 5)
    assert number_cell.data_type == "n" and number_cell.number_format == "0.00"


@pytest.mark.django_db
def test_every_sheet_freezes_and_prints_its_header(client: Any, published: Any) -> None:
    book = open_book(client.get(url(published)))
    for ws in book.worksheets:
        assert ws.freeze_panes is not None
        assert int("".join(ch for ch in ws.freeze_panes if ch.isdigit())) > HEADER_ROW
        assert ws.print_title_rows.startswith(f"${HEADER_ROW}:${HEADER_ROW}") or (
            ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"
        )
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.auto_filter.ref
        assert "Chỉ số CCHC cấp xã năm 2024" in ws.oddHeader.center.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert all(ws.column_dimensions[c].customWidth for c in "AB")


@pytest.mark.django_db
def test_the_components_sheet_has_points_and_index_per_field(client: Any, published: Any) -> None:
    ws = open_book(client.get(url(published)))["Chỉ số thành phần"]
    fields = load(published).methodology.fields
    assert ws.cell(HEADER_ROW, 4).value.startswith(f"{fields[0].code}. {fields[0].name}")
    assert ws.cell(HEADER_ROW + 1, 5).value == "Chỉ số (%)"
    assert ws.max_column == 3 + 2 * len(fields)
    rows = range(HEADER_ROW + 2, ws.max_row + 1)
    assert len(rows) == 4
    first = load(published).results["units"][0]
    nodes = {n["code"]: n for n in first["nodes"]}
    assert ws.cell(HEADER_ROW + 2, 3).value == first["unit"]
    assert Decimal(str(ws.cell(HEADER_ROW + 2, 5).value)) == Decimal(nodes[fields[0].code]["index"])


@pytest.mark.django_db
def test_statistics_list_every_field_and_the_total(client: Any, published: Any) -> None:
    ws = open_book(client.get(url(published)))["Thống kê"]
    stats = load(published).results["stats"]
    fields = load(published).methodology.fields
    rows = [values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [r[0] for r in rows] == [f.code for f in fields] + [None]
    total = rows[-1]
    assert total[2] == 4
    assert Decimal(str(total[3])) == Decimal(stats["total"]["mean"])
    assert Decimal(str(total[6])) == Decimal(stats["total"]["max"])


@pytest.mark.django_db
def test_the_criteria_sheet_holds_the_whole_tree(client: Any, published: Any) -> None:
    ws = open_book(client.get(url(published)))["Bộ tiêu chí"]
    m = load(published).methodology
    assert values(ws, HEADER_ROW)[:4] == ["Mã", "Cấp", "Tên", "Điểm tối đa"]
    rows = [values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert [r[0] for r in rows] == [n.code for n in m.nodes]
    leaf = next(r for r in rows if r[0] == "1.1.1")
    assert leaf[1] == 3 and leaf[3] == 1
    assert "Ban hành kịp thời" in leaf[5]
    survey = next(r for r in rows if r[0] == "4.1.2")
    assert survey[4] == "Điều tra xã hội học"


@pytest.mark.django_db
def test_the_about_sheet_names_the_publication(client: Any, published: Any) -> None:
    ws = open_book(client.get(url(published)))["Thông tin"]
    info = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    pub = published.publications.get()
    assert info["Kỳ đánh giá"] == published.name
    assert info["Năm"] == "2024"
    assert info["Phiên bản"] == "1"
    assert info["Mã băm nội dung (SHA-256)"] == pub.content_hash
    assert "Dữ liệu ví dụ" in info["Lưu ý"]  # the example-commune methodology is an example
    assert "2 chữ số thập phân" in info["Cách làm tròn"]


@pytest.mark.django_db
def test_the_change_says_how_it_was_compared(client: Any, merged: Any) -> None:
    ws = open_book(client.get(url(merged)))["Xếp hạng"]
    header = values(ws, HEADER_ROW)
    basis = header.index("Cơ sở so sánh")
    change = header.index("Thay đổi (điểm %)")
    rows = {ws.cell(r, 3).value: values(ws, r) for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert rows["x-mot"][basis] == "cùng đơn vị"
    assert rows["x-moi"][basis] == "bình quân các đơn vị hợp nhất: Xã Ea Kao, Thị trấn Hưng Yên"
    comparison = load(merged).comparisons["x-moi"]
    assert Decimal(str(rows["x-moi"][change])) == comparison.change


@pytest.mark.django_db
def test_it_shows_the_latest_version(client: Any, published: Any, world: Any) -> None:
    services.publish(world.secretariat, published, reason="Sửa lỗi nhập liệu")
    response = client.get(url(published))
    assert response["Content-Disposition"].endswith(f'-{published.pk}-v2.xlsx"')
    info = open_book(response)["Thông tin"]
    assert "Sửa lỗi nhập liệu" in [c.value for c in info["B"]]


@pytest.mark.django_db
def test_it_is_404_for_an_unpublished_cycle(client: Any, unpublished: Any) -> None:
    assert client.get(url(unpublished)).status_code == 404


@pytest.mark.django_db
def test_it_is_404_for_a_cycle_that_does_not_exist(client: Any, db: None) -> None:
    assert client.get("/results/999999/report.xlsx").status_code == 404


@pytest.mark.django_db
def test_it_refuses_a_post(client: Any, published: Any) -> None:
    assert client.post(url(published)).status_code == 405


@pytest.mark.django_db
def test_group_cells_are_filled_with_the_group_colour_and_readable_text(
    client: Any, published: Any
) -> None:
    ws = open_book(client.get(url(published)))["Xếp hạng"]
    bands = [b["label"] for b in load(published).results["bands"]]
    seen = 0
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        cell = ws.cell(r, 6)
        if not cell.value:
            continue
        fill = "#" + cell.fill.fgColor.rgb[-6:].lower()
        text = "#" + cell.font.color.rgb[-6:].lower()
        assert cell.fill.fill_type == "solid"
        assert fill == band_colour(bands.index(cell.value), len(bands))
        assert contrast(fill, text) >= 4.5
        seen += 1
    assert seen == 4


HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3"]


@pytest.mark.django_db
def test_hostile_unit_and_criterion_names_are_string_cells_not_formulas(
    client: Any, world: Any
) -> None:
    import re
    import zipfile

    from .conftest import default_share, make_cycle

    for unit, name in zip(world.units, HOSTILE, strict=True):
        unit.name = name
        unit.save(update_fields=["name"])
    text = world.methodology.source_text
    world.methodology.source_text = text.replace(
        'name: "Ban hành kế hoạch CCHC năm"', 'name: "@SUM(A1)"'
    )
    world.methodology.save()
    cycle = make_cycle(world, 2024, world.units, default_share, name="=cmd|' /C calc'!A0 2024")

    data = client.get(url(cycle)).getvalue()

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)
    book = load_workbook(io.BytesIO(data))
    ranking = book["Xếp hạng"]
    names = [ranking.cell(r, 2) for r in range(HEADER_ROW + 1, ranking.max_row + 1)]
    assert sorted((c.value, c.data_type) for c in names) == sorted((n, "s") for n in HOSTILE)
    subtitle = ranking["A2"]  # starts with the cycle's name
    assert subtitle.value.startswith("=cmd|' /C calc'!A0 2024") and subtitle.data_type == "s"
    criteria = book["Bộ tiêu chí"]
    cells = [criteria.cell(r, 3) for r in range(HEADER_ROW + 1, criteria.max_row + 1)]
    hostile = [c for c in cells if c.value.strip() == "@SUM(A1)"]
    assert len(hostile) == 1 and hostile[0].data_type == "s"
    about = {row[0].value: row[1] for row in book["Thông tin"].iter_rows(min_row=HEADER_ROW + 1)}
    assert any(c.value and "=cmd|' /C calc'!A0" in str(c.value) for c in about.values())
    assert all(c.data_type == "s" for c in about.values() if isinstance(c.value, str))


@pytest.mark.django_db
def test_a_name_with_a_character_xml_cannot_hold_still_gives_a_workbook(
    client: Any, world: Any
) -> None:
    from .conftest import default_share, make_cycle

    world.units[0].name = "Xã\ufffe Một"
    world.units[0].save(update_fields=["name"])
    cycle = make_cycle(world, 2024, world.units, default_share, name="Chỉ số\uffff 2024")

    book = open_book(client.get(url(cycle)))

    assert book.properties.title == "Chỉ số\ufffd 2024"
    names = [c.value for c in book["Xếp hạng"]["B"]]
    assert "Xã\ufffd Một" in names
