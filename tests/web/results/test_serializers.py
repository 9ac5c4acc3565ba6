"""One serializer and one search behind the ranking's twin and the API's results
(:mod:`parindex_web.results.serializers`), and one header of a published cycle."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex_web.api.schemas import ResultRow
from parindex_web.cycles import published
from parindex_web.results import serializers

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs"

# Đà Nẵng 2025 (conftest): 1.1 = 25, 1.2 = 12.5 of field 1 (max 40, appraisal); 2.1 = 50 of
# field 2 (max 60, survey): 87.50, tied first with Hà Nội, in "Tốt" (position 0). Merged on
# 1 July 2025 from the old Đà Nẵng (80.00) and Quảng Nam (70.00), without weights: the mean,
# 75.00, is its previous index, and the change is 87.50 − 75.00 = 12.50.
DA_NANG_TWIN: dict[str, Any] = {
    "rank": 1,
    "unit": "DN",
    "name": "Đà Nẵng",
    "full_name": "Thành phố Đà Nẵng",
    "index": "87.50",
    "group": "Tốt",
    "group_position": 0,
    "total_points": "87.50",
    "by_source": {
        "appraisal": {"points": "37.50", "max_points": "40.00", "index": "93.75"},
        "survey": {"points": "50.00", "max_points": "60.00", "index": "83.33"},
    },
    "fields": {
        "1": {"points": "37.50", "index": "93.75", "max_points": "40.00"},
        "2": {"points": "50.00", "index": "83.33", "max_points": "60.00"},
    },
    "change": {
        "basis": "merged",
        "predecessors": [
            {"unit": "DN-OLD", "name": "Đà Nẵng"},
            {"unit": "QN", "name": "Quảng Nam"},
        ],
        "previous_index": "75.00",
        "previous_rank": None,
        "index_change": "12.50",
    },
}


def _twin(client, world, **query) -> dict[str, Any]:
    r = client.get(f"/results/{world.c2025.pk}.json", query)
    assert r.status_code == 200
    return r.json()


def _api(client, world, **query) -> list[dict[str, Any]]:
    r = client.get(f"/api/cycles/{world.c2025.pk}/results", query)
    assert r.status_code == 200
    return r.json()["items"]


def test_the_twin_row_of_a_merged_unit_is_the_worked_example(client, world):
    row = next(u for u in _twin(client, world)["units"] if u["unit"] == "DN")
    profile = f"/results/{world.c2025.pk}/units/DN/"
    assert row == {**DA_NANG_TWIN, "profile_url": profile}
    assert list(row) == [*DA_NANG_TWIN, "profile_url"]  # the documented order of keys


def test_the_api_row_of_a_merged_unit_is_the_same_worked_example(client, world):
    row = next(u for u in _api(client, world) if u["unit"] == "DN")
    change = DA_NANG_TWIN["change"]
    assert row["comparison"] == {
        "basis": "merged",
        "predecessors": ["DN-OLD", "QN"],
        "previous_index": change["previous_index"],
        "previous_rank": None,
        "change": change["index_change"],
    }
    assert row["fields"] == [
        {"code": code, "points": f["points"], "max_points": f["max_points"], "index": f["index"]}
        for code, f in DA_NANG_TWIN["fields"].items()
    ]
    same = set(DA_NANG_TWIN) - {"fields", "change"}
    assert {k: row[k] for k in same} == {k: DA_NANG_TWIN[k] for k in same}
    assert row["profile_url"] == f"/results/{world.c2025.pk}/units/DN/"


def _as_api(twin_row: dict[str, Any]) -> dict[str, Any]:
    """A twin row spelt as the API spells it (the table in serializers' docstring)."""
    change = twin_row["change"]
    return {
        **{k: v for k, v in twin_row.items() if k not in ("fields", "change")},
        "fields": [{"code": code, **f} for code, f in twin_row["fields"].items()],
        "comparison": {
            "basis": change["basis"],
            "predecessors": [p["unit"] for p in change["predecessors"]],
            "previous_index": change["previous_index"],
            "previous_rank": change["previous_rank"],
            "change": change["index_change"],
        },
    }


def _same_fields_order(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "fields": [dict(sorted(f.items())) for f in row["fields"]]}


@pytest.mark.parametrize("cycle", ["c2024", "c2025"])
def test_every_twin_row_is_the_api_row_of_the_same_unit(client, world, cycle):
    pk = getattr(world, cycle).pk
    twin = client.get(f"/results/{pk}.json").json()["units"]
    api = client.get(f"/api/cycles/{pk}/results").json()["items"]
    assert [r["unit"] for r in twin] == [r["unit"] for r in api]
    for t, a in zip(twin, api, strict=True):
        assert _same_fields_order(_as_api(t)) == _same_fields_order(a)


def test_both_contracts_come_from_one_ranked_unit(world):
    pub = published.load(world.c2025)
    for u in serializers.ranked_units(pub):
        twin, api = u.twin(), u.api()
        assert _same_fields_order(_as_api(twin)) == _same_fields_order(api)
        assert set(api) == set(ResultRow.model_fields)  # nothing the schema would drop


# --- one search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "group", "expected"),
    [
        ("da nang", "", ["DN"]),
        ("  ĐÀ   NẴNG ", "", ["DN"]),
        ("thanh pho", "", ["DN", "HN"]),  # the full names
        ("tinh", "", ["LS", "CB"]),
        ("dn", "", ["DN"]),  # the code
        ("", "Tốt", ["DN", "HN"]),
        ("ha noi", "Tốt", ["HN"]),
        ("lang son", "Tốt", []),
        ("", "Không có", []),
    ],
)
def test_a_query_finds_the_same_units_in_the_twin_and_the_api(client, world, q, group, expected):
    twin = [u["unit"] for u in _twin(client, world, q=q, group=group)["units"]]
    api = [u["unit"] for u in _api(client, world, q=q, group=group)]
    assert twin == api == expected


NAME_PARTS = ["Đà", "nẵng", "THÀNH", "pho", "tỉnh", "Hà", "noi", "cao", "BẰNG", "x", "n", "dn"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(NAME_PARTS), max_size=3), spaces=st.sampled_from([" ", "  "]))
def test_any_query_finds_the_same_units_in_the_twin_and_the_api(client, world, words, spaces):
    q = spaces.join(words)
    twin = [u["unit"] for u in _twin(client, world, q=q)["units"]]
    api = [u["unit"] for u in _api(client, world, q=q)]
    assert twin == api
    units = {u.code: u for u in world.units.values()}
    assert twin == [c for c in ("DN", "HN", "LS", "CB") if published.unit_matches(q, c, units[c])]


# --- one header --------------------------------------------------------------------------------


def test_the_profile_header_is_the_ranking_header_in_its_documented_shape(client, world):
    ranking = _twin(client, world)["cycle"]
    profile = client.get(f"/results/{world.c2025.pk}/units/DN.json").json()["cycle"]
    assert profile == serializers.profile_cycle(ranking)
    assert profile == {
        "id": world.c2025.pk,
        "name": "Chỉ số CCHC cấp tỉnh 2025",
        "year": 2025,
        "body": "Bộ Nội vụ",
        "methodology": "tiny-province",
        "example": False,
        "version": 1,
        "published_at": ranking["published_at"],
    }
    assert ranking["methodology"] == {
        "id": "tiny-province",
        "slug": "tiny-province",
        "name": "Bộ tiêu chí nhỏ cấp tỉnh",
        "name_en": "Tiny province methodology",
    }


def test_the_profile_header_names_the_sites_methodology_not_the_snapshots_id(client, world):
    world.methodology.slug = "tiny-province-2"  # the site's identifier changed since
    world.methodology.save(update_fields=["slug"])
    ranking = _twin(client, world)["cycle"]
    profile = client.get(f"/results/{world.c2025.pk}/units/DN.json").json()["cycle"]
    assert ranking["methodology"]["id"] == "tiny-province"  # as published
    assert ranking["methodology"]["slug"] == profile["methodology"] == "tiny-province-2"


def test_a_cached_profile_reads_the_cycles_name_afresh(client, world):
    url = f"/results/{world.c2025.pk}/units/LS.json"
    assert client.get(url).json()["cycle"]["name"] == "Chỉ số CCHC cấp tỉnh 2025"
    world.c2025.name = "Chỉ số CCHC cấp tỉnh năm 2025"
    world.c2025.save(update_fields=["name"])
    assert client.get(url).json()["cycle"]["name"] == "Chỉ số CCHC cấp tỉnh năm 2025"


def test_every_cycle_header_key_is_documented():
    text = (DOCS / "public-data.md").read_text(encoding="utf-8")
    ranking = text[text.index("## `/results/<cycle_id>/`") :]
    row = next(line for line in ranking.splitlines() if line.startswith("| `cycle` |"))
    for key in ("id", "year", "name", "body", "unit_type", "methodology", "slug", "version"):
        assert f"`{key}`" in row, key
    for key in ("published_at", "reason", "content_hash", "example", "places", "url"):
        assert f"`{key}`" in row, key


def test_every_api_result_key_is_documented():
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "`GET /api/cycles/{id}/results`" in line)
    for key in ResultRow.model_fields:
        assert re.search(rf"`{key}`", row), key
