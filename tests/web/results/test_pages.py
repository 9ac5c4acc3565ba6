"""The ranking and the component indices in pages of ``?page=`` (here two units a page);
their twins stay complete."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import Page
from parindex_web.lib import pages

from .conftest import read_csv, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 2)


def pager(page):
    """The first pager of the page, as a page of its own."""
    return Page(str(page.find("nav", class_="pager").node))


def pager_links(page):
    """Page link text → its query, from the first pager of the page."""
    return {a.text: parse_qs(urlsplit(a.attrs["href"]).query) for a in pager(page).find_all("a")}


@pytest.mark.parametrize("path", ["", "components"])
def test_page_two_shows_the_next_units_and_links_back(client, world, parse, path):
    first = parse(client.get(world.url(world.c2025, path)).content)
    assert list(rows_of(first)) == ["DN", "HN"]
    links = pager_links(first)
    assert links["Tiếp"] == {"page": ["2"]}
    assert "Trước" not in links
    second = parse(client.get(world.url(world.c2025, path), {"page": 2}).content)
    assert list(rows_of(second)) == ["LS", "CB"]
    back = pager_links(second)
    assert back["Trước"] == {"page": ["1"]}
    assert back["Đầu"] == {"page": ["1"]}
    assert "Tiếp" not in back
    assert pager(second).find("span", **{"aria-current": "page"}).text == "2"


def test_the_pager_counts_the_rows_and_the_units(client, world, parse):
    page = parse(client.get(world.url(world.c2025), {"page": 2}).content)
    assert page.find("p", class_="pager__count").text == "Dòng 3–4 trên 4"
    assert "4" in page.find("p", class_="count").text


def test_the_filters_are_kept_across_pages(client, world, parse):
    page = parse(client.get(world.url(world.c2024), {"q": "a", "version": "1"}).content)
    # Đà Nẵng (cũ), Quảng Nam and Lạng Sơn all have an "a": two pages
    assert len(rows_of(page)) == 2
    assert pager_links(page)["Tiếp"] == {"q": ["a"], "version": ["1"], "page": ["2"]}
    rest = parse(client.get(world.url(world.c2024), {"q": "a", "version": "1", "page": 2}).content)
    assert len(rows_of(rest)) == 1


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "99", "1e9"])
def test_a_page_that_is_not_there_shows_a_page_that_is(client, world, parse, bad):
    r = client.get(world.url(world.c2025), {"page": bad})
    assert r.status_code == 200
    assert len(rows_of(parse(r.content))) == 2


def test_one_page_has_no_pager(client, world, parse, monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 100)
    page = parse(client.get(world.url(world.c2025)).content)
    assert page.find_all("nav", class_="pager") == []
    assert list(rows_of(page)) == ["DN", "HN", "LS", "CB"]


@pytest.mark.parametrize("twin", [".json", ".csv"])
def test_the_twins_stay_complete(client, world, twin):
    for path in ("", "/components"):
        url = f"/results/{world.c2025.pk}{path}{twin}"
        r = client.get(url, {"page": 2})
        if twin == ".json":
            units = [u["unit"] for u in r.json()["units"]]
        else:
            units = [row["unit"] for row in read_csv(r.content) if row["unit"]]  # not stats
        assert units == ["DN", "HN", "LS", "CB"], url
