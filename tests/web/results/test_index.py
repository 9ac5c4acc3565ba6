"""/results/: the published cycles, newest first, and the list's twins."""

from __future__ import annotations

import pytest

from .conftest import check_keys, read_csv

pytestmark = pytest.mark.django_db


def test_it_lists_published_cycles_newest_first(client, world, parse):
    r = client.get("/results/")
    assert r.status_code == 200
    page = parse(r.content)
    ids = [tr.attrs["data-cycle"] for tr in page.find_all("tr") if "data-cycle" in tr.attrs]
    assert ids == [str(world.c2025.pk), str(world.c2024.pk)]
    row = next(tr for tr in page.find_all("tr") if tr.attrs.get("data-cycle") == ids[0])
    assert row.text.startswith("2025 Chỉ số CCHC cấp tỉnh 2025 Bộ Nội vụ Tỉnh, thành phố 4 ")
    assert page.find("a", href=f"/results/{world.c2025.pk}/")


def test_it_leaves_out_cycles_never_published(client, world):
    assert f'data-cycle="{world.draft.pk}"' not in client.get("/results/").content.decode()


def test_it_has_a_results_link_in_the_site_navigation(client, world, parse):
    page = parse(client.get("/").content)
    link = page.find("a", href="/results/")
    assert link.text == "Kết quả"
    results = parse(client.get("/results/").content)
    assert results.find("a", href="/results/").attrs["aria-current"] == "page"


def test_it_marks_example_data(client, world, example_cycle, parse):
    page = parse(client.get("/results/").content)
    assert page.find("p", class_="example-banner")
    row = next(
        tr for tr in page.find_all("tr") if tr.attrs.get("data-cycle") == str(example_cycle.pk)
    )
    assert "dữ liệu ví dụ" in row.text


def test_it_shows_no_example_banner_without_example_data(client, world, parse):
    assert not parse(client.get("/results/").content).find_all("p", class_="example-banner")


def test_it_says_when_nothing_is_published(client, db, parse):
    page = parse(client.get("/results/").content)
    assert "Chưa có kết quả nào được công bố." in page.find("main").text


def test_its_json_twin_follows_the_schema(client, world):
    data = client.get("/results.json").json()
    assert [c["id"] for c in data["cycles"]] == [world.c2025.pk, world.c2024.pk]
    for c in data["cycles"]:
        check_keys(
            c,
            {
                "id": int,
                "year": int,
                "name": str,
                "body": dict,
                "unit_type": str,
                "units": int,
                "version": int,
                "published_at": str,
                "example": bool,
                "url": str,
            },
        )
    assert data["cycles"][0]["units"] == 4
    assert data["cycles"][0]["url"] == f"/results/{world.c2025.pk}/"


def test_its_csv_twin_has_one_row_per_cycle(client, world):
    rows = read_csv(client.get("/results.csv").content)
    assert list(rows[0]) == [
        "id",
        "year",
        "name",
        "body",
        "unit_type",
        "units",
        "version",
        "published_at",
        "example",
        "url",
    ]
    assert [(r["year"], r["units"], r["example"]) for r in rows] == [
        ("2025", "4", "false"),
        ("2024", "3", "false"),
    ]
