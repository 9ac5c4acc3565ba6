"""GET /api/methodologies and /api/methodologies/{slug}: every methodology is public."""

from __future__ import annotations

import pytest

import parindex
from parindex_web.methodologies.models import Methodology

from .conftest import assert_error


@pytest.mark.django_db
def test_it_lists_every_methodology(api, methodology):
    other = Methodology.from_file(parindex.shipped_methodologies()["par2948-province"])
    other.save()
    data = api("get", "/api/methodologies").json()
    assert data["count"] == 2
    assert [m["slug"] for m in data["items"]] == ["example-commune", "par2948-province"]
    first = data["items"][0]
    assert first["example"] is True
    assert first["unit_type"] == "commune"
    assert first["sha256"] == methodology.sha256
    assert first["format"] == "yaml"


@pytest.mark.django_db
def test_a_methodology_is_the_cores_dict(api, methodology):
    data = api("get", "/api/methodologies/example-commune").json()
    expected = parindex.methodology_to_dict(methodology.core())
    assert data.pop("slug") == "example-commune"
    assert data.pop("sha256") == methodology.sha256
    assert data == expected


@pytest.mark.django_db
def test_an_unknown_methodology_is_not_found(api, db):
    assert_error(api("get", "/api/methodologies/nope"), 404, "not_found")
