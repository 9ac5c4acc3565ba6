"""Published results by unit (:class:`~.models.PublishedUnit`): written once, read by the row.

Publishing (:func:`parindex_web.cycles.services.publish`) writes them ahead of the publication:
:func:`stage` serialises the core's results one unit at a time, inserts the rows as a draft
(no publication yet, so no reader finds them) in batches of :data:`BATCH`, each batch its own
short transaction, and keeps each row's text, from which the whole document is put together
as the text the ``results_json`` column stores (never as one object tree); :func:`adopt` then gives the rows their publication in the transaction that saves it
(the ``post_save`` of :mod:`.apps`). :func:`discard` deletes a draft (a failed publication's;
the next publication of the cycle deletes its cycle's, ``manage.py clean_publications`` any
old one).

:func:`store_units` copies a publication's unit rows from its results document instead; it
runs from the same ``post_save`` for a publication saved without a draft (fixtures, tests,
any other service), and from migrations ``reports.0002`` and ``0003`` (the fields-only rows and
the header) for the publications made before. The readers below answer what a page needs of
one publication without decoding its whole results document.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

import parindex
from parindex_web.cycles.models import Publication
from parindex_web.lib.sql import insert_rows

from .models import PublishedHeader, PublishedUnit

BATCH = 500
# The columns a staged row is inserted with (the table's own names).
STAGED_COLUMNS = (
    "draft",
    "staged_at",
    "unit_code",
    "rank",
    "index",
    "group",
    "row_json",
    "fields_json",
)


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


@dataclass(frozen=True)
class Staged:
    """A publication's unit rows written as a draft, and what its results document is made of:
    ``head`` (the document with ``units`` empty) and each unit's row as text."""

    token: str
    head: dict[str, Any]
    units: list[str]
    count: int

    @property
    def header(self) -> dict[str, Any]:
        return header_of(self.head)

    def column(self) -> RawSQL:
        """The document as the value of a JSON column (``jsonb`` on PostgreSQL), once: its
        text is put together only now (the caller has let go of the core's results by then)
        and the rows' texts are let go as soon as it is."""
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        document = document_text(self.head, self.units)
        self.units.clear()
        return RawSQL(f"%s{cast}", [document])


@contextmanager
def unchecked_json() -> Iterator[None]:
    """SQLite's CHECK constraints off for the statements within (PostgreSQL: nothing changes).

    Django gives a JSON column on SQLite a ``CHECK (JSON_VALID(…))``, which parses the whole
    text on every write: for the results document (38 MB at 3,300 units, written by
    ``json.dumps``, so valid by construction) SQLite 3.40 takes about 11 times its size in
    memory for that parse (420 MB). Used around saving the publication only."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def document_text(head: dict[str, Any], units: Iterable[str]) -> str:
    """``json.dumps`` of ``head`` (a results document whose ``units`` is empty) with ``units``
    (each a unit's row as ``json.dumps`` text) in its ``units``: the same text as
    ``json.dumps`` of the whole document, which is what Django's JSON field stores, without the
    whole document ever held as objects."""
    parts = []
    for key, value in head.items():
        text = "[" + ", ".join(units) + "]" if key == "units" else json.dumps(value)
        parts.append(f"{json.dumps(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


def _draft_prefix(cycle_id: int) -> str:
    return f"{cycle_id}:"


def stage(cycle_id: int, results: parindex.Results) -> Staged:
    """Write the unit rows of ``results`` as a draft of the cycle (invisible: no publication),
    :data:`BATCH` rows a transaction, after deleting any earlier draft of the cycle (a failed
    publication's); returns the draft, whose :meth:`Staged.column` is the results document
    as text (what ``json.dumps(parindex.results_to_dict(results))`` gives)."""
    discard(cycle_id)
    token = _draft_prefix(cycle_id) + uuid.uuid4().hex
    head = parindex.results_to_dict(results, units=False)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    texts: list[str] = []
    batch: list[tuple[Any, ...]] = []
    for unit in results.units:
        row = parindex.unit_to_dict(results, unit)
        text = json.dumps(row)
        texts.append(text)
        group = row.get("group") or ""
        fields = json.dumps(fields_row(row))
        batch.append((token, now, row["unit"], row["rank"], str(row["index"]), group, text, fields))
        if len(batch) == BATCH:
            _insert(batch)
            batch = []
    _insert(batch)
    return Staged(token, head, texts, len(texts))


def _insert(rows: list[tuple[Any, ...]]) -> None:
    if rows:
        with transaction.atomic():
            insert_rows(connection, PublishedUnit._meta.db_table, STAGED_COLUMNS, rows)


def adopt(publication: Publication, staged: Staged) -> int:
    """Give the draft's rows their publication and write its header (in the caller's
    transaction, the one that saves the publication); returns how many rows. A draft that is
    gone (deleted by another publication of the cycle started meanwhile) is refused."""
    PublishedHeader.objects.create(publication=publication, header_json=staged.header)
    found = PublishedUnit.objects.filter(draft=staged.token, publication=None)
    adopted = found.update(publication=publication, draft="", staged_at=None)
    if adopted != staged.count:
        raise DraftLost(staged.token)
    return adopted


class DraftLost(Exception):
    """A staged draft was deleted before its publication was saved."""


def discard(cycle_id: int | None = None, *, older_than: timedelta | None = None) -> int:
    """Delete drafts: the cycle's (every cycle's when ``None``), only those staged more than
    ``older_than`` ago if given; returns how many rows."""
    drafts = PublishedUnit.objects.filter(publication=None)
    if cycle_id is not None:
        drafts = drafts.filter(draft__startswith=_draft_prefix(cycle_id))
    if older_than is not None:
        drafts = drafts.filter(staged_at__lt=timezone.now() - older_than)
    deleted, _by_model = drafts.delete()
    return deleted


def discard_draft(token: str) -> int:
    """Delete the rows of one draft (its publication failed); returns how many."""
    deleted, _by_model = PublishedUnit.objects.filter(draft=token, publication=None).delete()
    return deleted


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
