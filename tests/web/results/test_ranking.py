"""/results/<cycle_id>/: the ranking, its filters and its .json / .csv twins."""

from __future__ import annotations

import pytest

from parindex_web.cycles import services

from .conftest import (
    check_cycle,
    check_keys,
    engine_results,
    fixed,
    is_fixed,
    number,
    read_csv,
    rows_of,
)

pytestmark = pytest.mark.django_db


def test_it_shows_the_ranking_to_anonymous_visitors(client, world, parse):
    r = client.get(world.url(world.c2025))
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("h1").text == "Chỉ số CCHC cấp tỉnh 2025"
    assert list(rows_of(page)) == ["DN", "HN", "LS", "CB"]


def test_its_index_rank_and_group_are_the_engines(client, world, parse, tmp_path):
    results = engine_results(world.c2025, tmp_path)
    rows = rows_of(parse(client.get(world.url(world.c2025)).content))
    assert len(rows) == len(results.units)
    for u in results.units:
        row = rows[u.unit]
        assert number(row["index"]) == fixed(u.index)
        assert row["rank"] == str(u.rank)
        assert row["group"] == (u.group or "")
        assert number(row["total_points"]) == fixed(u.total_points)
        for f in results.methodology.fields:
            assert number(row[f"index_{f.code}"]) == fixed(u.nodes[f.code].published_index)


def test_it_shows_points_by_source(client, world, parse, tmp_path):
    results = engine_results(world.c2025, tmp_path)
    rows = rows_of(parse(client.get(world.url(world.c2025)).content))
    for u in results.units:
        for source, node in u.by_source.items():
            assert number(rows[u.unit][f"points_{source.value}"]) == fixed(node.published_points)


def test_ties_share_a_rank(client, world, parse):
    rows = rows_of(parse(client.get(world.url(world.c2025)).content))
    assert (rows["DN"]["rank"], rows["HN"]["rank"], rows["LS"]["rank"]) == ("1", "1", "3")


def test_units_link_to_their_profiles(client, world, parse):
    page = parse(client.get(world.url(world.c2025)).content)
    links = {a.attrs["href"] for a in page.find_all("a")}
    assert f"/results/{world.c2025.pk}/units/DN/" in links


def test_it_shows_the_change_since_last_year_and_its_basis(client, world, parse):
    rows = rows_of(parse(client.get(world.url(world.c2025)).content))
    # Đà Nẵng 87.50 against the mean of the old Đà Nẵng (80.00) and Quảng Nam (70.00).
    assert "+12,50" in rows["DN"]["change"]
    assert "bình quân các đơn vị hợp nhất: Đà Nẵng, Quảng Nam" in rows["DN"]["change"]
    assert "+2,75" in rows["LS"]["change"]
    assert "cùng đơn vị" in rows["LS"]["change"]
    assert rows["HN"]["change"] == "không có số liệu so sánh"


def test_it_shows_the_summary_statistics(client, world, parse):
    page = parse(client.get(world.url(world.c2025)).content)
    line = page.find("p", class_="stats-line").text
    assert (
        line == "4 cơ quan, đơn vị trung bình 73,75 trung vị 81,25 thấp nhất 45,00 cao nhất 87,50"
    )


def test_it_links_to_the_other_pages_and_downloads(client, world, parse):
    base = world.url(world.c2025)
    page = parse(client.get(base).content)
    links = {a.attrs["href"] for a in page.find_all("a")}
    for path in ("components", "summary", "methodology", "map"):
        assert base + path in links
    for path in ("report.xlsx", "report.pdf", "open-data.zip"):
        assert base + path in links
    assert f"/results/{world.c2025.pk}.json" in links
    assert f"/results/{world.c2025.pk}.csv" in links


def test_it_filters_by_group(client, world, parse):
    page = parse(client.get(world.url(world.c2025), {"group": "Tốt"}).content)
    assert list(rows_of(page)) == ["DN", "HN"]
    assert page.find("option", value="Tốt").attrs.get("selected") is not None


@pytest.mark.parametrize("q", ["da nang", "ĐÀ NẴNG", "  đà   nẵng ", "Thành phố Đà"])
def test_its_name_search_ignores_diacritics_case_and_spaces(client, world, parse, q):
    page = parse(client.get(world.url(world.c2025), {"q": q}).content)
    assert list(rows_of(page)) == ["DN"]


def test_it_says_when_no_unit_matches(client, world, parse):
    page = parse(client.get(world.url(world.c2025), {"q": "không có"}).content)
    assert rows_of(page) == {}
    assert page.find("p", class_="empty")


def test_the_filters_carry_over_to_the_download_links(client, world, parse):
    page = parse(client.get(world.url(world.c2025), {"group": "Tốt"}).content)
    links = {a.attrs["href"] for a in page.find_all("a")}
    assert f"/results/{world.c2025.pk}.csv?group=T%E1%BB%91t" in links


def test_it_is_404_for_a_cycle_never_published(client, world):
    assert client.get(world.url(world.draft)).status_code == 404
    assert client.get(f"/results/{world.draft.pk}.json").status_code == 404


def test_every_page_copes_with_a_publication_without_units(client, world):
    world.draft.phase = "finalised"
    world.draft.save()
    services.publish(world.secretariat, world.draft)
    for page in ("", "components", "summary", "methodology", "summary.json", "components.csv"):
        assert client.get(f"/results/{world.draft.pk}/{page}").status_code == 200, page


def test_it_is_404_for_an_unknown_cycle(client, world):
    assert client.get("/results/999999/").status_code == 404


def test_it_shows_no_example_banner_for_official_data(client, world, parse):
    page = parse(client.get(world.url(world.c2025)).content)
    assert not page.find_all("p", class_="example-banner")


def test_it_shows_the_example_banner_for_demo_data(client, example_cycle, parse):
    page = parse(client.get(f"/results/{example_cycle.pk}/").content)
    banner = page.find("p", class_="example-banner")
    assert banner.text == "Dữ liệu ví dụ – không phải kết quả chính thức"


def test_it_speaks_english_when_asked(client, world, parse):
    client.cookies["django_language"] = "en"
    page = parse(client.get(world.url(world.c2025)).content)
    assert page.find("html").attrs["lang"] == "en"
    rows = rows_of(page)
    assert rows["DN"]["index"] == "87.50"
    assert "mean of merged units: Đà Nẵng, Quảng Nam" in rows["DN"]["change"]


def test_it_shows_an_earlier_version_when_asked(client, world, parse):
    services.publish(world.secretariat, world.c2025, reason="Đính chính tên đơn vị")
    page = parse(client.get(world.url(world.c2025)).content)
    assert "Đính chính tên đơn vị" in page.find("p", class_="correction").text
    versions = page.find("section", class_="versions").text
    assert "Phiên bản 2" in versions and "Phiên bản 1" in versions
    old = parse(client.get(world.url(world.c2025), {"version": "1"}).content)
    assert "Phiên bản 1," in old.find("p", class_="cycle-meta").text


# --- twins ---------------------------------------------------------------------------------------

UNIT_SCHEMA = {
    "rank": int,
    "unit": str,
    "name": str,
    "full_name": str,
    "index": "fixed",
    "group": (str, type(None)),
    "group_position": (int, type(None)),
    "total_points": "fixed",
    "by_source": dict,
    "fields": dict,
    "change": dict,
    "profile_url": str,
}


def test_its_json_twin_follows_the_schema(client, world, tmp_path):
    r = client.get(f"/results/{world.c2025.pk}.json")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    data = r.json()
    check_keys(
        data,
        {
            "cycle": dict,
            "filters": dict,
            "total_units": int,
            "stats": dict,
            "fields": list,
            "bands": list,
            "units": list,
        },
    )
    check_cycle(data["cycle"])
    check_keys(data["stats"], {"count": int, "mean": "fixed", "median": "fixed"})
    for f in data["fields"]:
        check_keys(f, {"code": str, "name": str, "name_en": str, "max_points": "fixed"})
    for b in data["bands"]:
        check_keys(b, {"label": str, "min": str, "position": int})
    for row in data["units"]:
        check_keys(row, UNIT_SCHEMA)
        for source in row["by_source"].values():
            check_keys(source, {"points": "fixed", "max_points": "fixed", "index": "fixed"})
        for field in row["fields"].values():
            check_keys(field, {"points": "fixed", "index": "fixed"})
        check_keys(
            row["change"],
            {
                "basis": str,
                "predecessors": list,
                "previous_index": "fixed?",
                "previous_rank": (int, type(None)),
                "index_change": "fixed?",
            },
        )
    results = engine_results(world.c2025, tmp_path)
    assert [(u["unit"], u["index"], u["rank"], u["group"]) for u in data["units"]] == [
        (u.unit, fixed(u.index), u.rank, u.group) for u in results.units
    ]
    dn = data["units"][0]["change"]
    assert dn["basis"] == "merged"
    assert [p["unit"] for p in dn["predecessors"]] == ["DN-OLD", "QN"]
    assert (dn["previous_index"], dn["index_change"]) == ("75.00", "12.50")


def test_its_json_twin_applies_the_filters(client, world):
    data = client.get(f"/results/{world.c2025.pk}.json", {"q": "da nang"}).json()
    assert data["filters"] == {"group": None, "q": "da nang"}
    assert [u["unit"] for u in data["units"]] == ["DN"]
    assert data["total_units"] == 4


def test_its_csv_twin_has_the_same_rows(client, world, tmp_path):
    r = client.get(f"/results/{world.c2025.pk}.csv")
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(r.content)
    assert list(rows[0]) == [
        "rank",
        "unit",
        "name",
        "index",
        "group",
        "total_points",
        "points_appraisal",
        "points_survey",
        "points_sipas",
        "points_data",
        "points_1",
        "index_1",
        "points_2",
        "index_2",
        "previous_index",
        "index_change",
        "previous_rank",
        "change_basis",
        "predecessors",
    ]
    results = engine_results(world.c2025, tmp_path)
    assert [(r["unit"], r["index"], r["rank"], r["group"]) for r in rows] == [
        (u.unit, fixed(u.index), str(u.rank), u.group or "") for u in results.units
    ]
    assert rows[0]["name"] == "Đà Nẵng"
    assert (rows[0]["change_basis"], rows[0]["predecessors"]) == ("merged", "DN-OLD;QN")
    assert rows[2]["previous_rank"] == "2"
    assert all(is_fixed(r["index"]) and is_fixed(r["index_1"]) for r in rows)
    assert rows[0]["points_sipas"] == ""


def test_its_csv_twin_applies_the_filters(client, world):
    rows = read_csv(client.get(f"/results/{world.c2025.pk}.csv", {"group": "Tốt"}).content)
    assert [r["unit"] for r in rows] == ["DN", "HN"]


def test_its_twins_are_also_served_as_ranking_json_and_csv(client, world):
    base = f"/results/{world.c2025.pk}"
    assert client.get(base + "/ranking.json").content == client.get(base + ".json").content
    assert client.get(base + "/ranking.csv").content == client.get(base + ".csv").content


def test_it_leaves_out_the_change_column_without_a_previous_year(client, world, parse):
    page = parse(client.get(world.url(world.c2024)).content)
    assert all("change" not in row for row in rows_of(page).values())
    assert "Chưa có kỳ đánh giá năm trước được công bố để so sánh." in page.find("main").text
