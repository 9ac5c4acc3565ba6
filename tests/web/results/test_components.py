"""/results/<cycle_id>/components: units × fields heat map, per-field statistics, twins."""

from __future__ import annotations

import pytest

from parindex_web.results.palette import HEAT_COLOURS, contrast, text_on

from .conftest import check_cycle, check_keys, engine_results, fixed, number, read_csv, rows_of

pytestmark = pytest.mark.django_db


def url(world, suffix=""):
    return f"/results/{world.c2025.pk}/components{suffix}"


def test_it_shows_the_component_table_to_anonymous_visitors(client, world, parse):
    r = client.get(url(world))
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("a", href=url(world)).attrs["aria-current"] == "page"
    assert list(rows_of(page)) == ["DN", "HN", "LS", "CB"]


def test_its_component_indices_are_the_engines(client, world, parse, tmp_path):
    results = engine_results(world.c2025, tmp_path)
    rows = rows_of(parse(client.get(url(world)).content))
    for u in results.units:
        assert number(rows[u.unit]["index"]) == fixed(u.index)
        for f in results.methodology.fields:
            assert number(rows[u.unit][f"index_{f.code}"]) == fixed(u.nodes[f.code].published_index)


def test_it_adds_the_mean_median_best_and_worst_per_field(client, world, parse, tmp_path):
    results = engine_results(world.c2025, tmp_path)
    stats = rows_of(parse(client.get(url(world)).content), attr="data-stat")
    assert list(stats) == ["mean", "median", "max", "min"]
    for f in results.methodology.fields:
        s = results.stats[f.code]
        assert number(stats["mean"][f"index_{f.code}"]) == fixed(s.mean)
        assert number(stats["median"][f"index_{f.code}"]) == fixed(s.median)
        assert number(stats["max"][f"index_{f.code}"]) == fixed(s.maximum)
        assert number(stats["min"][f"index_{f.code}"]) == fixed(s.minimum)
    assert number(stats["mean"]["index"]) == fixed(results.stats["total"].mean)


def test_cells_are_coloured_by_value_with_readable_text(client, world, parse):
    page = parse(client.get(url(world)).content)
    cells = [td for td in page.find_all("td") if "heat" in td.attrs.get("class", "")]
    assert cells
    backgrounds = set()
    for td in cells:
        # A class per colour (results.css gives it the background and text_on's text; see
        # tests/web/test_security_headers.py): no style attribute, for the CSP.
        (background,) = ["#" + c[5:] for c in td.attrs["class"].split() if c.startswith("heat-")]
        assert background in HEAT_COLOURS
        assert contrast(background, text_on(background)) >= 4.5
        backgrounds.add(background)
    # The lowest value gets the lightest colour and the highest the darkest.
    assert {HEAT_COLOURS[0], HEAT_COLOURS[-1]} <= backgrounds


def test_it_is_404_for_a_cycle_never_published(client, world):
    assert client.get(f"/results/{world.draft.pk}/components").status_code == 404


def test_it_shows_the_example_banner_for_demo_data(client, example_cycle, parse):
    page = parse(client.get(f"/results/{example_cycle.pk}/components").content)
    assert page.find("p", class_="example-banner")


def test_its_json_twin_follows_the_schema(client, world, tmp_path):
    data = client.get(url(world, ".json")).json()
    check_keys(data, {"cycle": dict, "fields": list, "units": list, "stats": dict})
    check_cycle(data["cycle"])
    results = engine_results(world.c2025, tmp_path)
    for row, u in zip(data["units"], results.units, strict=True):
        check_keys(row, {"rank": int, "unit": str, "name": str, "index": "fixed", "fields": dict})
        assert row["unit"] == u.unit
        assert row["fields"] == {
            f.code: fixed(u.nodes[f.code].published_index) for f in results.methodology.fields
        }
    assert set(data["stats"]) == {"mean", "median", "max", "min"}
    for kind in data["stats"].values():
        check_keys(kind, {"index": "fixed", "fields": dict})
    assert data["stats"]["max"]["fields"]["1"] == fixed(results.stats["1"].maximum)


def test_its_csv_twin_has_units_then_statistics(client, world):
    rows = read_csv(client.get(url(world, ".csv")).content)
    assert list(rows[0]) == ["row", "unit", "name", "rank", "index", "index_1", "index_2"]
    assert [r["row"] for r in rows] == ["unit"] * 4 + ["mean", "median", "max", "min"]
    assert rows[0] == {
        "row": "unit",
        "unit": "DN",
        "name": "Đà Nẵng",
        "rank": "1",
        "index": "87.50",
        "index_1": "93.75",
        "index_2": "83.33",
    }
