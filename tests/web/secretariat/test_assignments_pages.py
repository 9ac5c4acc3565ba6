"""The assignments grid in pages of units (here two a page): saving a page changes its units'
assignments only."""

import pytest

from parindex_web.cycles.models import Assignment
from parindex_web.lib import pages
from parindex_web.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_a_page(monkeypatch):
    monkeypatch.setattr(pages, "PER_PAGE", 2)


def pairs(cycle):
    return {
        (a.unit.code, a.appraiser.username)
        for a in Assignment.objects.filter(cycle=cycle).select_related("unit", "appraiser")
    }


def test_each_page_shows_its_units_with_links_to_the_others(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    first = parse(client.get(f"/cycles/{cycle.pk}/assignments").content)
    assert [th.text for th in first.find_all("th", scope="row")] == ["Phường Đông Hà", "Xã Ái Quốc"]
    assert first.find("a", rel="next").attrs["href"] == "?page=2"
    second = parse(client.get(f"/cycles/{cycle.pk}/assignments", {"page": 2}).content)
    assert [th.text for th in second.find_all("th", scope="row")] == ["Xã Bình An"]
    assert second.find("a", rel="prev").attrs["href"] == "?page=1"


def test_saving_a_page_keeps_the_other_pages_assignments(
    client, cycle, units, secretariat, appraiser
):
    client.force_login(secretariat)
    before = pairs(cycle)
    assert len(before) == 3
    r = client.post(f"/cycles/{cycle.pk}/assignments?page=2", {"pairs": []})
    assert r.status_code == 302
    bình_an = Unit.objects.get(name="Xã Bình An").code
    assert pairs(cycle) == {p for p in before if p[0] != bình_an}


def test_a_page_refuses_a_unit_of_another_page(client, cycle, units, secretariat, appraiser):
    client.force_login(secretariat)
    other = Unit.objects.get(name="Xã Ái Quốc")
    r = client.post(
        f"/cycles/{cycle.pk}/assignments?page=2", {"pairs": [f"{other.pk}:{appraiser.pk}"]}
    )
    assert r.status_code == 200
    assert "lựa chọn hợp lệ" in r.content.decode()
    assert len(pairs(cycle)) == 3
