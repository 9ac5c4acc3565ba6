"""Published results by unit: written with the publication, back-filled by the migration."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex_web.cycles import services
from parindex_web.reports import stored
from parindex_web.reports.models import PublishedHeader, PublishedUnit

pytestmark = pytest.mark.django_db


def rows(publication: Any) -> list[tuple[str, int, str, str, Any]]:
    return list(
        PublishedUnit.objects.filter(publication=publication)
        .order_by("rank", "unit_code")
        .values_list("unit_code", "rank", "index", "group", "row_json")
    )


def expected(publication: Any) -> list[tuple[str, int, str, str, Any]]:
    return sorted(
        (
            (r["unit"], r["rank"], r["index"], r["group"] or "", r)
            for r in publication.results_json["units"]
        ),
        key=lambda t: (t[1], t[0]),
    )


def test_publishing_stores_every_unit_row(published: Any) -> None:
    publication = published.publications.get()
    assert rows(publication) == expected(publication)
    assert [r[0] for r in rows(publication)][:1] == ["x-mot"]
    assert {r[1] for r in rows(publication)} == {1, 2, 4}  # x-hai and x-ba tie second


def test_a_correction_has_rows_of_its_own(published: Any, world: Any) -> None:
    correction = services.publish(world.secretariat, published, reason="Đính chính")
    first = published.publications.get(version=1)
    assert rows(correction) == expected(correction)
    assert len(rows(first)) == len(rows(correction)) == 4


def test_store_units_is_idempotent(published: Any) -> None:
    publication = published.publications.get()
    assert stored.store_units(publication) == 4
    assert stored.store_units(publication) == 4
    assert rows(publication) == expected(publication)


def test_the_migration_back_fills_earlier_publications(published: Any) -> None:
    publication = published.publications.get()
    PublishedUnit.objects.all().delete()
    migration = importlib.import_module("parindex_web.reports.migrations.0002_published_unit")
    migration.back_fill(apps, None)
    assert rows(publication) == expected(publication)


def test_the_readers_answer_without_the_results(published: Any) -> None:
    pk = published.publications.get().pk
    with CaptureQueriesContext(connection) as queries:
        assert stored.has_unit(pk, "x-hai")
        assert not stored.has_unit(pk, "x-nam")
        assert stored.unit_codes(pk) == {"x-mot", "x-hai", "x-ba", "x-bon"}
        assert stored.unit_count(pk) == 4
        assert stored.rows_of(pk, {"x-bon"})["x-bon"]["rank"] == 4
    assert "results_json" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_publishing_stores_the_header_and_the_rows_of_fields(published: Any) -> None:
    publication = published.publications.get()
    results = publication.results_json
    header = stored.header(publication.pk)
    assert header == {k: v for k, v in results.items() if k != "units"}
    assert {"places", "bands", "stats", "methodology"} <= set(header)
    ranked = stored.ranked_rows(publication.pk)
    assert [r["unit"] for r in ranked] == [r["unit"] for r in results["units"]]  # their order
    for short, full in zip(ranked, results["units"], strict=True):
        assert short["nodes"] == [n for n in full["nodes"] if n["level"] == 1]
        assert {k: v for k, v in short.items() if k != "nodes"} == {
            k: v for k, v in full.items() if k != "nodes"
        }
        assert len(short["nodes"]) < len(full["nodes"])


def test_the_second_migration_back_fills_the_header_and_the_rows_of_fields(
    published: Any,
) -> None:
    publication = published.publications.get()
    want = (stored.header(publication.pk), stored.ranked_rows(publication.pk))
    PublishedHeader.objects.all().delete()
    PublishedUnit.objects.update(fields_json={})
    migration = importlib.import_module("parindex_web.reports.migrations.0003_published_header")
    migration.back_fill(apps, None)
    assert (stored.header(publication.pk), stored.ranked_rows(publication.pk)) == want


def test_the_header_ranks_and_rows_of_fields_are_read_without_the_results(
    published: Any,
) -> None:
    pk = published.publications.get().pk
    with CaptureQueriesContext(connection) as queries:
        assert stored.header(pk)["places"] == 2
        assert [r["rank"] for r in stored.ranked_rows(pk)] == [1, 2, 2, 4]
        ranks = stored.index_ranks(pk)
        assert [r for _i, r in ranks.values()] == [1, 2, 2, 4] and next(iter(ranks)) == "x-mot"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "results_json" not in sql and "row_json" not in sql
