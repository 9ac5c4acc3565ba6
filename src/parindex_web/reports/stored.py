"""Published results by unit (:class:`~.models.PublishedUnit`): written once, read by the row.

:func:`store_units` copies a publication's unit rows into their table; it runs from the
``post_save`` of every new :class:`~parindex_web.cycles.models.Publication`
(:mod:`.apps`), so in the transaction that saves the publication, whichever service saves it,
and from migration ``reports.0002`` for the publications made before. The readers below answer
what a page needs of one publication without decoding its whole results document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parindex_web.cycles.models import Publication

from .models import PublishedUnit

BATCH = 500


def unit_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a results document (``results_to_dict``)."""
    rows: list[dict[str, Any]] = results.get("units", [])
    return rows


def store_units(publication: Publication) -> int:
    """(Re)write the publication's unit rows from its results; returns how many. Idempotent."""
    with transaction.atomic():
        PublishedUnit.objects.filter(publication=publication).delete()
        made = PublishedUnit.objects.bulk_create(
            (
                PublishedUnit(
                    publication=publication,
                    unit_code=row["unit"],
                    rank=row["rank"],
                    index=str(row["index"]),
                    group=row.get("group") or "",
                    row_json=row,
                )
                for row in unit_rows(publication.results_json)
            ),
            batch_size=BATCH,
        )
    return len(made)


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
