"""/results/<cycle_id>/methodology: the snapshot's methodology, readable, and its twins."""

from __future__ import annotations

import pytest

import parindex
from parindex_web.cycles.models import Publication

from .conftest import read_csv

pytestmark = pytest.mark.django_db


def url(world, suffix=""):
    return f"/results/{world.c2025.pk}/methodology{suffix}"


def snapshot(world):
    pub = Publication.objects.get(cycle=world.c2025)
    return parindex.parse_methodology_yaml(pub.methodology_text)


def test_it_shows_the_tree_with_maxima_sources_and_rules(client, world, parse):
    page = parse(client.get(url(world)).content)
    rows = {tr.attrs["data-code"]: tr.text for tr in page.find_all("tr") if "data-code" in tr.attrs}
    assert list(rows) == ["1", "1.1", "1.2", "2", "2.1"]
    assert rows["1"] == "1 Chỉ đạo, điều hành 40,00 Tự đánh giá và thẩm định"
    assert "Tài liệu kiểm chứng: Kế hoạch CCHC năm" in rows["1.1"]
    assert "Căn cứ pháp lý: Điều 1 Quyết định 01" in rows["1.1"]
    assert "Chấm điểm trực tiếp" in rows["1.1"]
    assert "Có hoặc không" in rows["1.2"] and "có: tối đa; không: 0" in rows["1.2"]
    assert "Điều tra xã hội học" in rows["2.1"]
    levels = {
        tr.attrs["data-code"]: tr.attrs["class"]
        for tr in page.find_all("tr")
        if "data-code" in tr.attrs
    }
    assert levels == {
        "1": "level-1",
        "1.1": "level-2",
        "1.2": "level-2",
        "2": "level-1",
        "2.1": "level-2",
    }


def test_it_shows_the_decision_bands_and_rounding(client, world, parse):
    page = parse(client.get(url(world)).content)
    facts = page.find("dl", class_="facts").text
    assert "01/QĐ-THU, ngày 15/01/2024, Bộ Nội vụ" in facts
    assert "2 lĩnh vực, 3 tiêu chí, 0 tiêu chí thành phần" in facts
    assert "0,125 → 0,13" in facts
    assert page.find("a", href="https://example.org/qd")
    badges = [s.text for s in page.find_all("span") if "badge" in s.attrs.get("class", "").split()]
    assert badges == ["Tốt", "Khá", "Yếu"]


def test_it_shows_the_example_label_for_an_example_methodology(client, example_cycle, parse):
    page = parse(client.get(f"/results/{example_cycle.pk}/methodology").content)
    assert page.find("p", class_="example-banner")
    assert page.find("p", class_="tag tag--warning")


def test_it_is_404_for_a_cycle_never_published(client, world):
    assert client.get(f"/results/{world.draft.pk}/methodology").status_code == 404


def test_its_json_twin_is_the_cores_methodology_dict(client, world):
    assert client.get(url(world, ".json")).json() == parindex.methodology_to_dict(snapshot(world))


def test_its_csv_twin_is_the_interchange_csv(client, world):
    r = client.get(url(world, ".csv"))
    rows = read_csv(r.content)
    assert list(rows[0])[:7] == [
        "code",
        "parent",
        "name",
        "max_points",
        "name_en",
        "source",
        "rule",
    ]
    assert rows[2]["rule"] == '{"kind": "yes_no", "no": "0"}'
    assert rows[3]["source"] == "survey"
    again = parindex.parse_methodology_csv(r.content.decode(), "tiny-province")
    assert again.nodes == snapshot(world).nodes


def test_its_methodology_is_the_snapshots_not_the_live_one(client, world):
    world.methodology.source_text = world.methodology.source_text.replace(
        "Chỉ đạo, điều hành", "Tên đã sửa sau khi công bố"
    )
    world.methodology.save()
    html = client.get(url(world)).content.decode()
    assert "Chỉ đạo, điều hành" in html
    assert "Tên đã sửa" not in html
