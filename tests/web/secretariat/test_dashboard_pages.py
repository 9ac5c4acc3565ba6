"""The dashboard's units in pages of ``?page=`` (here two a page), the filters kept; the
workbook of the same rows stays complete."""

import io

import pytest
from openpyxl import load_workbook

from conftest import Page
from parindex_web.lib import pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 2)


def names(page):
    return [span.text for span in page.find_all("span", class_="unit-name")]


def links(page):
    nav = Page(str(page.find("nav", class_="pager").node))
    return {a.text: a.attrs["href"] for a in nav.find_all("a")}


def test_page_two_shows_the_next_units_and_links_back(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    first = parse(client.get(f"/cycles/{cycle.pk}/").content)
    assert names(first) == ["Phường Đông Hà", "Xã Ái Quốc"]
    assert links(first)["Tiếp"] == "?page=2"
    assert first.find("p", class_="count").text.startswith("Đang hiển thị 3 trên 3 đơn vị")
    second = parse(client.get(f"/cycles/{cycle.pk}/", {"page": 2}).content)
    assert names(second) == ["Xã Bình An"]
    assert links(second)["Trước"] == "?page=1"
    assert second.find("p", class_="pager__count").text == "Dòng 3–3 trên 3"


def test_the_search_is_kept_and_the_workbook_has_every_row(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/", {"q": "x"}).content)
    assert links(page)["Tiếp"] == "?q=x&page=2"
    book = load_workbook(io.BytesIO(client.get(f"/cycles/{cycle.pk}/progress.xlsx").content))
    assert book.active.max_row == 1 + 3  # the heading and every unit


def test_a_page_that_is_not_there_is_not_an_error(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    for bad in ("x", "0", "999"):
        r = client.get(f"/cycles/{cycle.pk}/", {"page": bad})
        assert r.status_code == 200
        assert len(names(parse(r.content))) in (1, 2)
