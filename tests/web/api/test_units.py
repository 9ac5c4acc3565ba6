"""GET /api/units and /api/units/{code}: units with validity and successions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parindex_web.units.models import Succession, Unit

from .conftest import assert_error


@pytest.fixture
def merged(body):
    """Two old provinces merged into a new one on 1 July 2025."""
    old = [
        Unit.objects.create(
            code=f"P63-0{i}",
            name=f"Tỉnh Cũ {i}",
            unit_type=Unit.Type.PROVINCE,
            valid_to=date(2025, 6, 30),
        )
        for i in (1, 2)
    ]
    new = Unit.objects.create(
        code="P34-01",
        name="Tỉnh Mới",
        unit_type=Unit.Type.PROVINCE,
        valid_from=date(2025, 7, 1),
        body=body,
        lat=21.0,
        lon=105.8,
    )
    for unit in old:
        Succession.objects.create(
            predecessor=unit,
            successor=new,
            effective=date(2025, 7, 1),
            weight=Decimal(1),
            primary=True,
            basis="Nghị quyết 202/2025/QH15",
        )
    return old, new


def codes(api, **query):
    return [u["code"] for u in api("get", "/api/units", data=query).json()["items"]]


@pytest.mark.django_db
def test_it_lists_units_by_code(api, units, merged):
    assert codes(api) == ["P34-01", "P63-01", "P63-02", "xa-1", "xa-2", "xa-3"]


@pytest.mark.django_db
def test_it_filters_by_type_date_body_and_name(api, units, merged):
    assert codes(api, unit_type="province") == ["P34-01", "P63-01", "P63-02"]
    assert codes(api, unit_type="province", valid_on="2025-06-30") == ["P63-01", "P63-02"]
    assert codes(api, unit_type="province", valid_on="2025-07-01") == ["P34-01"]
    assert codes(api, body="snv-a", unit_type="province") == ["P34-01"]
    assert codes(api, q="ai quoc") == ["xa-2"]
    assert codes(api, q="TỈNH MỚI") == ["P34-01"]


@pytest.mark.django_db
def test_it_refuses_an_unknown_type_and_a_bad_date(api, units):
    assert_error(api("get", "/api/units", data={"unit_type": "planet"}), 422, "invalid")
    assert_error(api("get", "/api/units", data={"valid_on": "30/06/2025"}), 422, "invalid")


@pytest.mark.django_db
def test_a_unit_shows_its_successions(api, merged):
    data = api("get", "/api/units/P34-01").json()
    assert data["name"] == "Tỉnh Mới"
    assert data["body"] == "snv-a"
    assert data["valid_from"] == "2025-07-01" and data["valid_to"] is None
    assert (data["lat"], data["lon"]) == (21.0, 105.8)
    assert [p["code"] for p in data["predecessors"]] == ["P63-01", "P63-02"]
    assert data["predecessors"][0] == {
        "code": "P63-01",
        "name": "Tỉnh Cũ 1",
        "effective": "2025-07-01",
        "weight": "1",
        "primary": True,
        "basis": "Nghị quyết 202/2025/QH15",
    }
    assert data["successors"] == []
    before = api("get", "/api/units/P63-02").json()
    assert [s["code"] for s in before["successors"]] == ["P34-01"]
    assert before["valid_to"] == "2025-06-30"


@pytest.mark.django_db
def test_an_unknown_unit_is_not_found(api, db):
    assert_error(api("get", "/api/units/P99-99"), 404, "not_found")
