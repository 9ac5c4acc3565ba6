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
from parindex_web.reports.models import PublishedUnit

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
