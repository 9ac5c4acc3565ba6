"""/results/<cycle_id>/summary: key figures, distribution, groups, year over year; twins."""

from __future__ import annotations

import pytest

from .conftest import check_cycle, check_keys, engine_results, fixed, number, read_csv

pytestmark = pytest.mark.django_db


def url(cycle, suffix=""):
    return f"/results/{cycle.pk}/summary{suffix}"


def figures(page):
    return {dd.attrs["data-stat"]: dd.text for dd in page.find_all("dd") if "data-stat" in dd.attrs}


def table_rows(page, table_id):
    """The text of each body row of the table with ``table_id``, in order."""
    rows, inside, current = [], False, None
    for e in page.elements:
        if e.tag == "table":
            inside = e.attrs.get("id") == table_id
        elif inside and e.tag == "tr":
            current = []
            rows.append(current)
        elif inside and current is not None and e.tag in ("td", "th"):
            current.append(e.text)
    return [r for r in rows if r and not r[0].startswith(("Khoảng", "Xếp loại", "Đơn vị", "Lĩnh"))]


def test_it_shows_the_key_figures_of_the_engine(client, world, parse, tmp_path):
    r = client.get(url(world.c2025))
    assert r.status_code == 200
    s = engine_results(world.c2025, tmp_path).stats["total"]
    f = figures(parse(r.content))
    assert f["count"] == str(s.count)
    assert [number(f[k]) for k in ("mean", "median", "min", "max")] == [
        fixed(v) for v in (s.mean, s.median, s.minimum, s.maximum)
    ]


def test_it_compares_the_mean_with_last_year(client, world, parse, tmp_path):
    now = engine_results(world.c2025, tmp_path).stats["total"].mean
    before = engine_results(world.c2024, tmp_path).stats["total"].mean
    f = figures(parse(client.get(url(world.c2025)).content))
    assert number(f["previous_mean"]) == fixed(before)
    assert number(f["mean_change"]) == fixed(now - before)


def test_it_counts_units_per_index_range(client, world, parse):
    rows = table_rows(parse(client.get(url(world.c2025)).content), "histogram-table")
    # 45.00, 75.00, 87.50, 87.50 in bins of five points from 45 to 90.
    counts = {r[0]: r[1] for r in rows}
    assert counts["Từ 45 đến dưới 50"] == "1"
    assert counts["Từ 75 đến dưới 80"] == "1"
    assert counts["Từ 85 đến 90"] == "2"
    assert sum(int(c) for c in counts.values()) == 4


def test_it_counts_units_and_averages_them_by_group(client, world, parse):
    rows = table_rows(parse(client.get(url(world.c2025)).content), "groups-table")
    assert rows == [
        ["Tốt", "80", "2", "87,50"],
        ["Khá", "60", "1", "75,00"],
        ["Yếu", "0", "1", "45,00"],
    ]


def test_it_lists_this_and_last_years_index_per_unit(client, world, parse):
    rows = table_rows(parse(client.get(url(world.c2025)).content), "yoy-table")
    assert rows == [
        [
            "Đà Nẵng",
            "75,00",
            "87,50",
            "+12,50",
            "bình quân các đơn vị hợp nhất: Đà Nẵng, Quảng Nam",
        ],
        ["Lạng Sơn", "72,25", "75,00", "+2,75", "cùng đơn vị"],
    ]


def test_it_says_when_there_is_no_previous_year(client, world, parse):
    page = parse(client.get(url(world.c2024)).content)
    assert "previous_mean" not in figures(page)
    assert "Chưa có kỳ đánh giá năm trước được công bố để so sánh." in page.find("main").text


def test_its_charts_read_the_json_twin_and_have_tables(client, world, parse):
    page = parse(client.get(url(world.c2025)).content)
    scripts = [s.attrs.get("src", "") for s in page.find_all("script")]
    assert "/static/vendor/echarts/echarts.min.js" in scripts
    assert "/static/results/summary.js" in scripts
    assert page.find("div", id="summary-charts").attrs["data-json"] == url(world.c2025, ".json")
    for chart in page.find_all("div", class_="chart"):
        assert chart.attrs["aria-hidden"] == "true"
    assert {"histogram-table", "groups-table", "yoy-table", "fields-table"} <= {
        t.attrs.get("id") for t in page.find_all("table")
    }


def test_it_is_404_for_a_cycle_never_published(client, world):
    assert client.get(url(world.draft)).status_code == 404
    assert client.get(url(world.draft, ".json")).status_code == 404


def test_it_shows_the_example_banner_for_demo_data(client, example_cycle, parse):
    assert parse(client.get(url(example_cycle)).content).find("p", class_="example-banner")


def test_its_json_twin_follows_the_schema(client, world, tmp_path):
    data = client.get(url(world.c2025, ".json")).json()
    check_keys(
        data,
        {
            "cycle": dict,
            "stats": dict,
            "histogram": list,
            "groups": list,
            "ungrouped": int,
            "fields": list,
            "previous": dict,
            "pairs": list,
        },
    )
    check_cycle(data["cycle"])
    check_keys(data["stats"], {"count": int, "mean": "fixed", "median": "fixed", "min": "fixed"})
    for b in data["histogram"]:
        check_keys(b, {"from": int, "to": int, "count": int})
    assert sum(b["count"] for b in data["histogram"]) == 4
    for g in data["groups"]:
        check_keys(g, {"label": str, "min": str, "position": int, "colour": str, "count": int})
        check_keys(g, {"mean": "fixed?"})
    for f in data["fields"]:
        check_keys(f, {"code": str, "name": str, "mean": "fixed", "min": "fixed", "max": "fixed"})
    check_keys(data["previous"], {"cycle": dict, "stats": dict, "mean_change": "fixed"})
    for p in data["pairs"]:
        check_keys(p, {"unit": str, "name": str, "index": "fixed", "previous_index": "fixed"})
        check_keys(p, {"index_change": "fixed", "basis": str, "predecessors": list})
    results = engine_results(world.c2025, tmp_path)
    assert data["stats"]["mean"] == fixed(results.stats["total"].mean)
    assert data["fields"][0]["mean"] == fixed(results.stats["1"].mean)


def test_its_json_twin_has_no_previous_year_when_there_is_none(client, world):
    data = client.get(url(world.c2024, ".json")).json()
    assert data["previous"] is None
    assert data["pairs"] == []


def test_its_csv_twin_lists_sections_keys_and_values(client, world):
    rows = read_csv(client.get(url(world.c2025, ".csv")).content)
    assert list(rows[0]) == ["section", "key", "value"]
    values = {(r["section"], r["key"]): r["value"] for r in rows}
    assert values[("stats", "count")] == "4"
    assert values[("stats", "mean")] == "73.75"
    assert values[("group_count", "Tốt")] == "2"
    assert values[("group_mean", "Khá")] == "75.00"
    assert values[("histogram", "85-90")] == "2"
    assert values[("previous", "mean_change")] == "-0.33"
    assert values[("field_mean", "2")].count(".") == 1
