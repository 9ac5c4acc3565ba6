"""GET /api/cycles/{id}/results and /results/{unit}: the published snapshot, equal to the
engine's computation from the final scores."""

from __future__ import annotations

import pytest
from django.urls import reverse

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Phase
from parindex_web.units.models import Unit

from .conftest import assert_error


def engine(cycle) -> dict:
    """The core's results from the cycle's final scores, as JSON-ready data."""
    results = parindex.compute(cycle.core(), services.final_scores(cycle))
    return {u["unit"]: u for u in parindex.results_to_dict(results)["units"]}


@pytest.mark.django_db
def test_it_lists_every_unit_with_the_engines_values(api, published_cycle):
    r = api("get", f"/api/cycles/{published_cycle.pk}/results")
    assert r.status_code == 200
    data = r.json()
    expected = engine(published_cycle)
    assert data["count"] == len(expected) == 2
    for row in data["items"]:
        want = expected[row["unit"]]
        assert row["index"] == want["index"]
        assert row["rank"] == want["rank"]
        assert row["group"] == want["group"]
        assert row["total_points"] == want["total_points"]
        assert row["by_source"] == want["by_source"]
        fields = [n for n in want["nodes"] if n["level"] == 1]
        assert [f["code"] for f in row["fields"]] == [f["code"] for f in fields]
        assert [f["index"] for f in row["fields"]] == [f["index"] for f in fields]
        assert [f["points"] for f in row["fields"]] == [f["points"] for f in fields]
    assert [row["rank"] for row in data["items"]] == sorted(r["rank"] for r in data["items"])


@pytest.mark.django_db
def test_it_names_the_units(api, published_cycle):
    items = api("get", f"/api/cycles/{published_cycle.pk}/results").json()["items"]
    assert {(row["unit"], row["name"]) for row in items} == {
        ("xa-1", "Xã Đông Hòa"),
        ("xa-2", "Xã Ái Quốc"),
    }


@pytest.mark.django_db
def test_it_searches_names_ignoring_diacritics(api, published_cycle):
    url = f"/api/cycles/{published_cycle.pk}/results"
    for q in ("dong hoa", "ĐÔNG", "Đông Hòa", "xa-1"):
        items = api("get", url, data={"q": q}).json()["items"]
        assert [row["unit"] for row in items] == ["xa-1"], q
    assert api("get", url, data={"q": "khong co"}).json() == {"items": [], "count": 0}


@pytest.mark.django_db
def test_it_finds_the_same_units_as_the_rankings_twin(api, client, published_cycle):
    Unit.objects.filter(code="xa-2").update(name_en="Ai Quoc Commune")
    api_url = f"/api/cycles/{published_cycle.pk}/results"
    twin = reverse("results:ranking_twin", kwargs={"cycle_id": published_cycle.pk, "fmt": "json"})
    for q in ("dong  hoa", "XA-2", "commune", "xã", "khong co", " "):
        from_api = [row["unit"] for row in api("get", api_url, data={"q": q}).json()["items"]]
        from_twin = [row["unit"] for row in client.get(twin, {"q": q}).json()["units"]]
        assert from_api == from_twin, q


@pytest.mark.django_db
def test_it_filters_by_group(api, published_cycle):
    url = f"/api/cycles/{published_cycle.pk}/results"
    rows = api("get", url).json()["items"]
    group = rows[0]["group"]
    assert group
    found = api("get", url, data={"group": group}).json()
    assert found["count"] == sum(1 for r in rows if r["group"] == group)
    assert all(row["group"] == group for row in found["items"])
    assert api("get", url, data={"group": "no such group"}).json()["count"] == 0


@pytest.mark.django_db
def test_it_paginates(api, published_cycle):
    url = f"/api/cycles/{published_cycle.pk}/results"
    everything = api("get", url).json()["items"]
    first = api("get", url, data={"page": 1, "page_size": 1}).json()
    second = api("get", url, data={"page": 2, "page_size": 1}).json()
    past = api("get", url, data={"page": 3, "page_size": 1}).json()
    assert first == {"items": everything[:1], "count": 2}
    assert second == {"items": everything[1:2], "count": 2}
    assert past == {"items": [], "count": 2}


@pytest.mark.django_db
def test_it_refuses_a_page_size_over_the_maximum(api, published_cycle):
    r = api("get", f"/api/cycles/{published_cycle.pk}/results", data={"page_size": 501})
    error = assert_error(r, 422, "invalid")
    assert error["details"][0]["loc"][-1] == "page_size"


@pytest.mark.django_db
def test_it_serves_an_earlier_version(api, published_cycle, people):
    first = api("get", f"/api/cycles/{published_cycle.pk}/results").json()
    entry = published_cycle.assessments.get(unit__code="xa-1").entries.get(code="1.1.1")
    entry.final_points = 0
    entry.save(update_fields=["final_points"])
    services.publish(people.secretariat, published_cycle, reason="Sửa điểm 1.1.1")
    url = f"/api/cycles/{published_cycle.pk}/results"
    assert api("get", url, data={"version": 1}).json() == first
    latest = api("get", url).json()
    assert latest != first
    by_unit = {row["unit"]: row for row in latest["items"]}
    assert by_unit["xa-1"]["index"] == engine(published_cycle)["xa-1"]["index"]
    assert_error(api("get", url, data={"version": 3}), 404, "not_found")


@pytest.mark.django_db
def test_a_unit_result_has_every_node(api, published_cycle):
    r = api("get", f"/api/cycles/{published_cycle.pk}/results/xa-1")
    assert r.status_code == 200
    data = r.json()
    want = engine(published_cycle)["xa-1"]
    core = published_cycle.core()
    assert data["unit"] == "xa-1" and data["name"] == "Xã Đông Hòa"
    assert data["cycle"] == published_cycle.pk and data["version"] == 1
    assert (data["index"], data["rank"]) == (want["index"], want["rank"])
    assert [(n["code"], n["level"], n["points"], n["index"]) for n in data["nodes"]] == [
        (n["code"], n["level"], n["points"], n["index"]) for n in want["nodes"]
    ]
    assert [n["name"] for n in data["nodes"]] == [node.name for node in core.nodes]


@pytest.mark.django_db
def test_a_unit_not_in_the_results_is_not_found(api, published_cycle):
    r = api("get", f"/api/cycles/{published_cycle.pk}/results/xa-3")
    assert_error(r, 404, "not_found")


@pytest.mark.django_db
def test_it_compares_with_the_previous_year(api, published_cycle, cycle, run_to):
    run_to(cycle, Phase.PUBLISHED)
    before = {
        row["unit"]: row
        for row in api("get", f"/api/cycles/{published_cycle.pk}/results").json()["items"]
    }
    now = api("get", f"/api/cycles/{cycle.pk}/results/xa-2").json()
    assert now["comparison"]["basis"] == "same"
    assert now["comparison"]["previous_index"] == before["xa-2"]["index"]
    assert now["comparison"]["previous_rank"] == before["xa-2"]["rank"]
    old = api("get", f"/api/cycles/{published_cycle.pk}/results/xa-2").json()
    assert old["comparison"] == {
        "basis": "none",
        "predecessors": [],
        "previous_index": None,
        "previous_rank": None,
        "change": None,
    }


@pytest.mark.django_db
def test_an_unpublished_cycle_has_no_results(api, cycle, run_to):
    run_to(cycle, Phase.FINALISED)
    assert_error(api("get", f"/api/cycles/{cycle.pk}/results"), 404, "not_found")
    assert_error(api("get", f"/api/cycles/{cycle.pk}/results/xa-1"), 404, "not_found")
