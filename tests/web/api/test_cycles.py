"""GET /api/cycles, /api/cycles/{id}, /api/cycles/{id}/publications: published cycles only."""

from __future__ import annotations

import pytest

from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Phase

from .conftest import assert_error


@pytest.mark.django_db
def test_it_lists_only_published_cycles(api, published_cycle, cycle, run_to):
    run_to(cycle, Phase.FINALISED)  # finalised, not published
    data = api("get", "/api/cycles").json()
    assert data["count"] == 1
    [item] = data["items"]
    assert item["id"] == published_cycle.pk
    assert item["name"] == "Chỉ số CCHC cấp xã 2024"
    assert item["year"] == 2024
    assert item["body"] == {"code": "snv-a", "name": "Sở Nội vụ A"}
    assert item["methodology"]["slug"] == "example-commune"
    assert item["unit_type"] == "commune"
    assert item["example"] is True  # the example methodology
    assert item["units"] == 2
    publication = published_cycle.publications.get()
    assert item["latest"]["version"] == 1
    assert item["latest"]["content_hash"] == publication.content_hash


@pytest.mark.django_db
def test_it_filters_by_year_body_and_unit_type(api, published_cycle):
    def ids(**query):
        return [c["id"] for c in api("get", "/api/cycles", data=query).json()["items"]]

    assert ids(year=2024) == [published_cycle.pk]
    assert ids(year=2023) == []
    assert ids(body="snv-a") == [published_cycle.pk]
    assert ids(body="snv-b") == []
    assert ids(unit_type="commune") == [published_cycle.pk]
    assert ids(unit_type="province") == []
    assert ids(year=2024, body="snv-a", unit_type="commune") == [published_cycle.pk]


@pytest.mark.django_db
def test_a_cycle_shows_fields_bands_stats_and_publications(api, published_cycle, people):
    services.publish(people.secretariat, published_cycle, reason="Đính chính")
    r = api("get", f"/api/cycles/{published_cycle.pk}")
    assert r.status_code == 200
    data = r.json()
    core = published_cycle.core()
    assert [f["code"] for f in data["fields"]] == [f.code for f in core.fields]
    assert [f["name"] for f in data["fields"]] == [f.name for f in core.fields]
    assert [b["label"] for b in data["bands"]] == [b.label for b in core.bands]
    snapshot = published_cycle.publications.order_by("-version").first().results_json
    assert data["stats"] == snapshot["stats"]
    assert data["places"] == 2
    assert [(p["version"], p["reason"]) for p in data["publications"]] == [
        (2, "Đính chính"),
        (1, ""),
    ]
    assert data["latest"]["version"] == 2
    assert data["previous_cycle"] is None


@pytest.mark.django_db
def test_it_lists_the_publications_with_their_hashes(api, published_cycle, people):
    services.publish(people.secretariat, published_cycle, reason="Đính chính")
    data = api("get", f"/api/cycles/{published_cycle.pk}/publications").json()
    hashes = dict(published_cycle.publications.values_list("version", "content_hash"))
    assert data["count"] == 2
    assert [(p["version"], p["content_hash"]) for p in data["items"]] == [
        (2, hashes[2]),
        (1, hashes[1]),
    ]


@pytest.mark.django_db
def test_a_cycle_points_to_the_previous_year(api, published_cycle, cycle, run_to):
    run_to(cycle, Phase.PUBLISHED)
    assert api("get", f"/api/cycles/{cycle.pk}").json()["previous_cycle"] == published_cycle.pk


@pytest.mark.django_db
def test_an_unpublished_cycle_is_not_found(api, cycle):
    for url in (f"/api/cycles/{cycle.pk}", f"/api/cycles/{cycle.pk}/publications"):
        assert_error(api("get", url), 404, "not_found")


@pytest.mark.django_db
def test_a_missing_cycle_is_not_found(api, db):
    assert not Cycle.objects.filter(pk=999).exists()
    assert_error(api("get", "/api/cycles/999"), 404, "not_found")
