"""Published results by unit (:class:`~.models.PublishedUnit`): written once, read by the row.

:func:`store_units` copies a publication's unit rows into their table; it runs from the
``post_save`` of every new :class:`~parindex_web.cycles.models.Publication`
(:mod:`.apps`), so in the transaction that saves the publication, whichever service saves it,
and from migrations ``reports.0002`` and ``0003`` (the fields-only rows and the header) for
the publications made before. The readers below answer
what a page needs of one publication without decoding its whole results document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parindex_web.cycles.models import Publication

from .models import PublishedHeader, PublishedUnit

BATCH = 500


def unit_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a results document (``results_to_dict``)."""
    rows: list[dict[str, Any]] = results.get("units", [])
    return rows


def fields_row(row: dict[str, Any]) -> dict[str, Any]:
    """A unit's row with its fields only (the nodes of level 1), in methodology order."""
    return {**row, "nodes": [n for n in row["nodes"] if n["level"] == 1]}


def header_of(results: dict[str, Any]) -> dict[str, Any]:
    """A results document without its units."""
    return {k: v for k, v in results.items() if k != "units"}


def store_units(publication: Publication) -> int:
    """(Re)write the publication's unit rows and header from its results; returns how many
    rows. Idempotent."""
    results = publication.results_json
    with transaction.atomic():
        PublishedUnit.objects.filter(publication=publication).delete()
        PublishedHeader.objects.update_or_create(
            publication=publication, defaults={"header_json": header_of(results)}
        )
        made = PublishedUnit.objects.bulk_create(
            (
                PublishedUnit(
                    publication=publication,
                    unit_code=row["unit"],
                    rank=row["rank"],
                    index=str(row["index"]),
                    group=row.get("group") or "",
                    row_json=row,
                    fields_json=fields_row(row),
                )
                for row in unit_rows(results)
            ),
            batch_size=BATCH,
        )
    return len(made)


def header(publication_id: int) -> dict[str, Any]:
    """The publication's results without their units (:func:`header_of`)."""
    found: dict[str, Any] = PublishedHeader.objects.values_list("header_json", flat=True).get(
        publication_id=publication_id
    )
    return found


def ranked_rows(publication_id: int) -> list[dict[str, Any]]:
    """Every unit's row with its fields only (:func:`fields_row`), in rank order."""
    found = PublishedUnit.objects.filter(publication_id=publication_id).order_by("rank", "pk")
    return list(found.values_list("fields_json", flat=True))


def has_unit(publication_id: int, code: str) -> bool:
    return PublishedUnit.objects.filter(publication_id=publication_id, unit_code=code).exists()


def unit_codes(publication_id: int) -> set[str]:
    return set(
        PublishedUnit.objects.filter(publication_id=publication_id).values_list(
            "unit_code", flat=True
        )
    )


def unit_count(publication_id: int) -> int:
    return PublishedUnit.objects.filter(publication_id=publication_id).count()


def rows_of(publication_id: int, codes: set[str]) -> dict[str, dict[str, Any]]:
    """Unit code → its row as published, for the ``codes`` in the publication."""
    found = PublishedUnit.objects.filter(publication_id=publication_id, unit_code__in=codes)
    return dict(found.values_list("unit_code", "row_json"))


def index_ranks(publication_id: int) -> dict[str, tuple[Decimal, int]]:
    """Unit code → its index (with the published places) and rank, in rank order."""
    found = PublishedUnit.objects.filter(publication_id=publication_id).order_by(
        "rank", "unit_code"
    )
    return {
        code: (Decimal(index), rank)
        for code, index, rank in found.values_list("unit_code", "index", "rank")
    }
