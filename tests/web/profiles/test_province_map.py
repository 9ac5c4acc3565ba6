"""The public province map: one tile per unit of the cycle, twins, table, access."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

import parindex
from parindex_web.cycles.models import Cycle
from parindex_web.cycles.services import publish
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

from .conftest import National, fill

pytestmark = pytest.mark.django_db


def url(cycle: Cycle, twin: str = "") -> str:
    return f"/results/{cycle.pk}/map" + (f".{twin}" if twin else "")


@pytest.mark.parametrize(("year", "grid", "count"), [(2024, "63", 63), (2025, "34", 34)])
def test_the_twin_has_one_tile_per_unit_of_the_cycle(
    client: Client, national: National, year: int, grid: str, count: int
) -> None:
    cycle = national.c2024 if year == 2024 else national.c2025
    data = client.get(url(cycle, "json")).json()
    units = {row["unit"]: row for row in cycle.publications.get().results_json["units"]}
    assert data["grid"] == grid
    assert len(data["tiles"]) == count
    assert sorted(t["unit"] for t in data["tiles"]) == sorted(units)
    assert len({(t["col"], t["row"]) for t in data["tiles"]}) == count
    shipped = {t.unit_id: t for t in parindex.shipped_tilegrids()[grid]}
    for tile in data["tiles"]:
        assert (tile["col"], tile["row"], tile["label"]) == (
            shipped[tile["unit"]].col,
            shipped[tile["unit"]].row,
            shipped[tile["unit"]].label,
        )
        row = units[tile["unit"]]
        assert (tile["index"], tile["rank"], tile["group"]) == (
            row["index"],
            row["rank"],
            row["group"],
        )
        assert tile["url"] == f"/results/{cycle.pk}/units/{tile['unit']}/"
    assert data["columns"] == max(t.col for t in shipped.values()) + 1
    assert data["rows"] == max(t.row for t in shipped.values()) + 1


TILE_KEYS = {
    "unit": str,
    "name": str,
    "col": int,
    "row": int,
    "label": str,
    "index": str,
    "rank": int,
    "group": str,
    "url": str,
}


def test_the_json_twin_keeps_its_schema(client: Client, national: National) -> None:
    response = client.get(url(national.c2025, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert set(data) == {
        "cycle",
        "grid",
        "columns",
        "rows",
        "bands",
        "index_colours",
        "no_group_colour",
        "islands",
        "tiles",
    }
    assert [b["label"] for b in data["bands"]] == ["Tốt", "Khá", "Trung bình"]
    for band in data["bands"]:
        assert set(band) == {"label", "min", "colour"}
    for tile in data["tiles"]:
        assert set(tile) == set(TILE_KEYS)
        for key, kind in TILE_KEYS.items():
            assert isinstance(tile[key], kind), (key, tile[key])
    islands = {i["key"]: i for i in data["islands"]}
    assert islands["hoang_sa"]["province"] == "P34-48"
    assert islands["truong_sa"]["province"] == "P34-56"
    cells = {(t["col"], t["row"]) for t in data["tiles"]}
    assert all((i["col"], i["row"]) not in cells for i in data["islands"])


def test_the_csv_twin_has_a_row_per_tile(client: Client, national: National) -> None:
    response = client.get(url(national.c2024, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["unit", "name", "col", "row", "label", "index", "rank", "group"]
    data = client.get(url(national.c2024, "json")).json()
    assert len(rows) == len(data["tiles"]) == 63
    for row, tile in zip(rows, data["tiles"], strict=True):
        assert row == {k: str(tile[k]) for k in row}


def test_the_page_has_the_table_by_name_and_the_note(
    client: Client, national: National, parse
) -> None:
    page = parse(client.get(url(national.c2025), HTTP_ACCEPT_LANGUAGE="vi").content)
    data = client.get(url(national.c2025, "json")).json()
    body = [r for r in page.find_all("tr") if "data-unit" in r.attrs]
    names = [r.text.split(" ")[0] for r in body]
    assert len(body) == 34
    expected = sorted(data["tiles"], key=lambda t: (parindex.vi_sort_key(t["name"]), t["unit"]))
    assert [r.attrs["data-unit"] for r in body] == [t["unit"] for t in expected]
    assert names[0] == "An"  # An Giang first, in Vietnamese order
    hrefs = {a.attrs["href"] for a in page.find_all("a")}
    assert all(t["url"] in hrefs for t in data["tiles"])
    note = page.find("p", id="map-note").text
    assert "Hoàng Sa" in note and "Trường Sa" in note
    assert "Đà Nẵng" in note and "Khánh Hòa" in note
    chart = page.find("div", id="tile-map")
    assert chart.attrs["data-src"] == url(national.c2025, "json")
    assert page.find("script", src="/static/vendor/echarts/echarts.min.js")
    index_cells = [c.text for c in page.find_all("td", **{"data-value": "index"})]
    assert index_cells == [t["index"].replace(".", ",") for t in expected]


def test_the_group_toggle_is_off_without_groups(client: Client, national: National, parse) -> None:
    page = parse(client.get(url(national.c2025)).content)
    radios = {i.attrs["value"]: i.attrs for i in page.find_all("input", type="radio")}
    assert "disabled" not in radios["group"] and "checked" in radios["group"]
    text = (
        national.methodology.source_text.split("bands:")[0]
        + "bands: []\n"
        + ("default_rule" + national.methodology.source_text.split("default_rule", 1)[1])
    )
    plain = Methodology(slug="no-bands", source_text=text)
    plain.save()
    cycle = Cycle.objects.create(
        body=national.body, year=2023, name="Không xếp loại", methodology=plain, phase="finalised"
    )
    fill(cycle, list(Unit.objects.filter(code__startswith="P63-")[:5]), seed=1)
    publish(national.secretariat, cycle)
    page = parse(client.get(url(cycle)).content)
    radios = {i.attrs["value"]: i.attrs for i in page.find_all("input", type="radio")}
    assert "disabled" in radios["group"] and "checked" in radios["index"]
    assert len(client.get(url(cycle, "json")).json()["tiles"]) == 5


@pytest.mark.parametrize("twin", ["", "json", "csv"])
def test_a_cycle_without_a_publication_has_no_map(
    client: Client, national: National, twin: str
) -> None:
    assert client.get(url(national.unpublished, twin)).status_code == 404
    assert client.get(f"/results/999999/map{'.' + twin if twin else ''}").status_code == 404


def test_units_outside_the_tile_grids_have_no_map(
    client: Client, national: National, methodology: Methodology
) -> None:
    body = AssessingBody.objects.create(code="snv", name="Sở Nội vụ", kind="provincial")
    communes = [
        Unit.objects.create(code=f"x{i}", name=f"Xã {i}", unit_type="commune", body=body)
        for i in range(3)
    ]
    cycle = Cycle.objects.create(
        body=body, year=2024, name="Xã 2024", methodology=methodology, phase="finalised"
    )
    fill(cycle, communes, seed=3)
    publish(national.secretariat, cycle)
    assert client.get(url(cycle)).status_code == 404
    assert client.get(url(cycle, "json")).status_code == 404
    # their profiles exist, and say the data are examples
    response = client.get(f"/results/{cycle.pk}/units/x1/")
    assert response.status_code == 200
    assert b"example-banner" in response.content


def test_anyone_may_read_it_without_logging_in(client: Client, national: National) -> None:
    for twin in ("", "json", "csv"):
        assert client.get(url(national.c2024, twin)).status_code == 200
    assert client.post(url(national.c2024)).status_code == 405


def test_a_cycle_flagged_as_example_carries_the_banner(
    client: Client, national: National, parse
) -> None:
    Cycle.objects.filter(pk=national.c2025.pk).update(name="Chỉ số 2025 (dữ liệu ví dụ)")
    assert b"example-banner" not in client.get(url(national.c2025)).content  # the name is no flag
    Cycle.objects.filter(pk=national.c2025.pk).update(example=True)
    page = parse(client.get(url(national.c2025), HTTP_ACCEPT_LANGUAGE="vi").content)
    assert page.find("p", **{"class": "example-banner"}).text == (
        "Dữ liệu ví dụ – không phải kết quả chính thức"
    )
