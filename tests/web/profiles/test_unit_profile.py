"""The public unit profile: figures, history across successions, points lost, access."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

import parindex
from parindex_web.cycles.models import Cycle

from .conftest import National

pytestmark = pytest.mark.django_db

BASIS = "Nghị quyết 202/2025/QH15"


def url(cycle: Cycle, code: str, twin: str = "") -> str:
    return f"/results/{cycle.pk}/units/{code}" + (f".{twin}" if twin else "/")


def engine(cycle: Cycle, tmp_path: Path) -> parindex.Results:
    """Recompute the cycle's results from its publication's inputs with the core."""
    publication = cycle.publications.get()
    path = tmp_path / f"scores-{cycle.pk}.csv"
    path.write_text(publication.scores_csv, encoding="utf-8")
    core = cycle.methodology.core()
    return parindex.compute(core, parindex.read_scores(path, core))


def fixed(value: Decimal) -> str:
    return parindex.format_fixed(value, 2)


def vi(value: Decimal) -> str:
    return fixed(value).replace(".", ",")


def test_it_shows_the_engines_figures(
    client: Client, national: National, parse, tmp_path: Path
) -> None:
    results = engine(national.c2025, tmp_path)
    unit = next(u for u in results.units if u.unit == "P34-52")
    page = parse(client.get(url(national.c2025, "P34-52"), HTTP_ACCEPT_LANGUAGE="vi").content)
    assert page.find("dd", **{"data-value": "index"}).text == vi(unit.index) + "%"
    assert page.find("dd", **{"data-value": "rank"}).text.startswith(f"{unit.rank} ")
    assert page.find("dd", **{"data-value": "group"}).text == unit.group
    assert page.find("dd", **{"data-value": "total_points"}).text.startswith(vi(unit.total_points))
    rows = page.find_all("tr", **{"data-code": "1"})
    assert rows  # components table and points lost per field
    for field in results.methodology.fields:
        row = page.find("tr", **{"data-code": field.code})
        assert vi(unit.nodes[field.code].published_index) in row.text
        assert vi(results.stats[field.code].mean) in row.text
        assert vi(results.stats[field.code].maximum) in row.text


def test_its_json_twin_has_the_engines_numbers(
    client: Client, national: National, tmp_path: Path
) -> None:
    results = engine(national.c2025, tmp_path)
    for unit in results.units[:5] + results.units[-3:]:
        data = client.get(url(national.c2025, unit.unit, "json")).json()
        assert data["index"] == fixed(unit.index)
        assert data["rank"] == unit.rank
        assert data["group"] == unit.group
        assert data["total_points"] == fixed(unit.total_points)
        assert data["units_count"] == len(results.units)
        assert data["mean_index"] == fixed(results.stats["total"].mean)
        assert data["best_index"] == fixed(results.stats["total"].maximum)
        sources = {s["source"]: s for s in data["by_source"]}
        assert set(sources) == {"appraisal", "survey"}
        for source, node in unit.by_source.items():
            assert sources[source.value]["points"] == fixed(node.published_points)
            assert sources[source.value]["index"] == fixed(node.published_index)
        for field in data["fields"]:
            node = unit.nodes[field["code"]]
            stats = results.stats[field["code"]]
            assert field["index"] == fixed(node.published_index)
            assert field["points"] == fixed(node.published_points)
            assert field["mean"] == fixed(stats.mean)
            assert field["best"] == fixed(stats.maximum)
            best = {
                u.unit
                for u in results.units
                if u.nodes[field["code"]].published_index == stats.maximum
            }
            assert {b["unit"] for b in field["best_units"]} == best


def test_the_history_of_a_merged_province_shows_each_predecessor(
    client: Client, national: National, parse
) -> None:
    data = client.get(url(national.c2025, "P34-52", "json")).json()
    before = {r["unit"]: r for r in national.c2024.publications.get().results_json["units"]}
    history = [
        (h["year"], h["unit"], h["relation"], h["index"], h["rank"]) for h in data["history"]
    ]
    assert history == [
        (2024, "P63-52", "predecessor", before["P63-52"]["index"], before["P63-52"]["rank"]),
        (2024, "P63-64", "predecessor", before["P63-64"]["index"], before["P63-64"]["rank"]),
        (2025, "P34-52", "self", data["index"], data["rank"]),
    ]
    assert [h["units_count"] for h in data["history"]] == [63, 63, 34]
    (formed,) = data["formed"]
    assert formed["kind"] == "merged"
    assert formed["effective"] == "2025-07-01"
    assert formed["basis"].startswith(BASIS)
    assert [u["name"] for u in formed["units"]] == ["Bình Định", "Gia Lai"]

    page = parse(client.get(url(national.c2025, "P34-52"), HTTP_ACCEPT_LANGUAGE="vi").content)
    sentence = page.find("p", **{"data-lineage": "formed"}).text
    assert "Bình Định, Gia Lai" in sentence
    assert "01/07/2025" in sentence
    assert BASIS in sentence
    rows = page.find("table", id="history-table").text
    assert before["P63-52"]["index"].replace(".", ",") in rows
    links = [
        a.attrs["href"] for a in page.find_all("a") if "/units/P63-" in a.attrs.get("href", "")
    ]
    assert url(national.c2024, "P63-52") in links


def test_a_merger_of_three_names_all_three(client: Client, national: National) -> None:
    # Tuyên Quang (P34-08) and Phú Thọ (P34-25): Phú Thọ took in Vĩnh Phúc and Hòa Bình.
    data = client.get(url(national.c2025, "P34-25", "json")).json()
    assert sorted(h["unit"] for h in data["history"] if h["year"] == 2024) == [
        "P63-17",
        "P63-25",
        "P63-26",
    ]
    assert [u["name"] for u in data["formed"][0]["units"]] == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]


def test_a_continuing_province_says_it_continues(client: Client, national: National, parse) -> None:
    data = client.get(url(national.c2025, "P34-01", "json")).json()
    assert [(h["year"], h["unit"]) for h in data["history"]] == [(2024, "P63-01"), (2025, "P34-01")]
    assert data["formed"][0]["kind"] == "continues"
    page = parse(client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="vi").content)
    sentence = page.find("p", **{"data-lineage": "formed"}).text
    assert sentence.startswith("Tiếp nối Hà Nội")
    assert BASIS in sentence


def test_a_former_province_links_to_what_it_became(
    client: Client, national: National, parse
) -> None:
    data = client.get(url(national.c2024, "P63-64", "json")).json()
    (became,) = data["became"]
    assert became["kind"] == "merged_into"
    assert became["units"] == [
        {"unit": "P34-52", "name": "Gia Lai", "url": url(national.c2025, "P34-52")}
    ]
    assert [p["name"] for p in became["partners"]] == ["Bình Định"]
    assert [h["unit"] for h in data["history"]] == ["P63-64"]
    page = parse(client.get(url(national.c2024, "P63-64")).content)
    assert page.find("a", href=url(national.c2025, "P34-52"))


def test_points_lost_are_the_largest_first(client: Client, national: National) -> None:
    core = national.methodology.core()
    leaves = {leaf.code for leaf in core.leaves}
    publication = national.c2025.publications.get()
    for row in publication.results_json["units"][:10]:
        data = client.get(url(national.c2025, row["unit"], "json")).json()
        nodes = {n["code"]: n for n in row["nodes"]}
        expected = sorted(
            (
                (Decimal(n["max_points"]) - Decimal(n["points"]), position, n["code"])
                for position, n in enumerate(row["nodes"])
                if n["code"] in leaves and Decimal(n["max_points"]) > Decimal(n["points"])
            ),
            key=lambda item: (-item[0], item[1]),
        )[:10]
        assert [(Decimal(p["points_lost"]), p["code"]) for p in data["points_lost"]] == [
            (lost, code) for lost, _, code in expected
        ]
        for p in data["points_lost"]:
            assert p["points"] == nodes[p["code"]]["points"]
            assert p["field"] == core.field_of(p["code"])
        by_field = [Decimal(f["points_lost"]) for f in data["points_lost_by_field"]]
        assert by_field == sorted(by_field, reverse=True)
        assert {f["code"] for f in data["points_lost_by_field"]} == {"1", "2", "3"}
        for f in data["points_lost_by_field"]:
            lost = Decimal(nodes[f["code"]]["max_points"]) - Decimal(nodes[f["code"]]["points"])
            assert Decimal(f["points_lost"]) == lost


def test_the_page_lists_points_lost_per_criterion(
    client: Client, national: National, parse
) -> None:
    data = client.get(url(national.c2025, "P34-01", "json")).json()
    page = parse(client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="vi").content)
    assert page.find("table", id="lost-table")
    codes = [r.attrs["data-code"] for r in page.find_all("tr") if "data-code" in r.attrs]
    lost_codes = [p["code"] for p in data["points_lost"]]
    assert codes[3 : 3 + len(lost_codes)] == lost_codes  # after the components' three fields
    cells = [c.text for c in page.find_all("td", **{"data-value": "lost"})]
    assert cells[: len(lost_codes)] == [
        p["points_lost"].replace(".", ",") for p in data["points_lost"]
    ]


PROFILE_KEYS = {
    "cycle": dict,
    "unit": dict,
    "total_points": str,
    "max_points": str,
    "index": str,
    "rank": int,
    "group": str,
    "units_count": int,
    "mean_index": str,
    "best_index": str,
    "by_source": list,
    "fields": list,
    "points_lost": list,
    "points_lost_by_field": list,
    "history": list,
    "formed": list,
    "became": list,
    "links": dict,
}
ROW_KEYS = {
    "by_source": {"source": str, "points": str, "max_points": str, "index": str},
    "fields": {
        "code": str,
        "name": str,
        "points": str,
        "max_points": str,
        "index": str,
        "mean": str,
        "best": str,
        "best_units": list,
        "points_lost": str,
    },
    "points_lost": {
        "code": str,
        "name": str,
        "field": str,
        "level": int,
        "points": str,
        "max_points": str,
        "points_lost": str,
    },
    "points_lost_by_field": {
        "code": str,
        "name": str,
        "points": str,
        "max_points": str,
        "points_lost": str,
    },
    "history": {
        "year": int,
        "cycle": int,
        "cycle_name": str,
        "unit": str,
        "name": str,
        "valid_to": (str, type(None)),
        "relation": str,
        "index": str,
        "rank": int,
        "units_count": int,
        "url": str,
    },
    "formed": {"kind": str, "effective": str, "basis": str, "units": list, "partners": list},
}


def check(obj: dict, schema: dict) -> None:
    assert set(obj) == set(schema), set(obj) ^ set(schema)
    for key, kind in schema.items():
        assert isinstance(obj[key], kind), (key, obj[key])


def test_the_json_twin_keeps_its_schema(client: Client, national: National) -> None:
    response = client.get(url(national.c2025, "P34-52", "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    check(data, PROFILE_KEYS)
    check(
        data["cycle"],
        {
            "id": int,
            "name": str,
            "year": int,
            "body": str,
            "methodology": str,
            "example": bool,
            "version": int,
            "published_at": str,
        },
    )
    check(data["unit"], {"code": str, "name": str, "full_name": str, "unit_type": str})
    check(data["links"], {"page": str, "ranking": str, "map": str, "report_pdf": str})
    for key, schema in ROW_KEYS.items():
        assert data[key], key
        for row in data[key]:
            check(row, schema)
    for field in data["fields"]:
        for best in field["best_units"]:
            check(best, {"unit": str, "name": str})
    for unit in data["formed"][0]["units"]:
        check(unit, {"unit": str, "name": str})


def test_the_csv_twin_keeps_its_schema(client: Client, national: National) -> None:
    response = client.get(url(national.c2025, "P34-52", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "section,year,unit,name,code,label,points,max_points,index,rank,mean_index,"
        "best_index,points_lost"
    )
    data = client.get(url(national.c2025, "P34-52", "json")).json()
    sections = [line.split(",")[0] for line in lines[1:]]
    assert sections == (
        ["total"]
        + ["source"] * len(data["by_source"])
        + ["field"] * 3
        + ["lost"] * len(data["points_lost"])
        + ["history"] * 3
    )
    assert lines[1].startswith(
        f"total,2025,P34-52,Gia Lai,,{data['group']},{data['total_points']},"
    )
    assert lines[-3].startswith("history,2024,P63-52,Bình Định,,predecessor,,,")


@pytest.mark.parametrize("twin", ["", "json", "csv"])
def test_an_unknown_unit_is_not_found(client: Client, national: National, twin: str) -> None:
    assert client.get(url(national.c2025, "P99-99", twin)).status_code == 404
    # a unit of another cycle is not in this one
    assert client.get(url(national.c2025, "P63-01", twin)).status_code == 404


@pytest.mark.parametrize("twin", ["", "json", "csv"])
def test_an_unpublished_cycle_is_not_found(client: Client, national: National, twin: str) -> None:
    assert client.get(url(national.unpublished, "P34-01", twin)).status_code == 404
    assert client.get("/results/999999/units/P34-01/").status_code == 404


def test_anyone_may_read_it_without_logging_in(
    client: Client, national: National, django_user_model
) -> None:
    assert client.get(url(national.c2025, "P34-01")).status_code == 200
    client.force_login(django_user_model.objects.create_user("someone"))
    assert client.get(url(national.c2025, "P34-01")).status_code == 200


def test_it_only_answers_reads(client: Client, national: National) -> None:
    assert client.post(url(national.c2025, "P34-01")).status_code == 405
    assert client.head(url(national.c2025, "P34-01", "json")).status_code == 200


def test_a_cycle_flagged_as_example_carries_the_banner(
    client: Client, national: National, parse
) -> None:
    Cycle.objects.filter(pk=national.c2025.pk).update(name="Chỉ số năm 2025 (dữ liệu ví dụ)")
    page = parse(client.get(url(national.c2025, "P34-01")).content)
    assert not page.find_all("p", **{"class": "example-banner"})  # the name is no flag
    assert client.get(url(national.c2025, "P34-01", "json")).json()["cycle"]["example"] is False
    Cycle.objects.filter(pk=national.c2025.pk).update(example=True)
    page = parse(client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="vi").content)
    banner = page.find("p", **{"class": "example-banner"})
    assert banner.text == "Dữ liệu ví dụ – không phải kết quả chính thức"
    assert client.get(url(national.c2025, "P34-01", "json")).json()["cycle"]["example"] is True


def test_it_links_back_to_the_ranking_and_the_map(
    client: Client, national: National, parse
) -> None:
    page = parse(client.get(url(national.c2025, "P34-01")).content)
    hrefs = {a.attrs.get("href") for a in page.find_all("a")}
    assert f"/results/{national.c2025.pk}/" in hrefs
    assert f"/results/{national.c2025.pk}/map" in hrefs
    assert url(national.c2025, "P34-01", "json") in hrefs
    assert url(national.c2025, "P34-01", "csv") in hrefs


def test_it_links_the_units_report_pdf(client: Client, national: National, parse) -> None:
    from django.urls import resolve

    pdf = f"/results/{national.c2025.pk}/units/P34-01/report.pdf"
    page = parse(client.get(url(national.c2025, "P34-01")).content)
    link = page.find("a", href=pdf)
    assert link is not None
    assert link.attrs["type"] == "application/pdf"
    assert link.text == "Báo cáo của đơn vị (PDF)"
    assert resolve(pdf).view_name == "reports:unit_pdf"
    data = client.get(url(national.c2025, "P34-01", "json")).json()
    assert data["links"]["report_pdf"] == pdf


def test_names_follow_the_language(client: Client, national: National) -> None:
    english = client.get(url(national.c2025, "P34-01", "json"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["fields"][0]["name"] == "Direction and management"
    vietnamese = client.get(url(national.c2025, "P34-01", "json"), HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vietnamese["fields"][0]["name"] == "Công tác chỉ đạo, điều hành"
