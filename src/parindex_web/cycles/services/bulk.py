"""Set-based work over a whole cycle's entries (issue 17, point 1).

A national cycle has hundreds of thousands of entries (3,300 units × 100 leaves): the steps that
touch all of them (opening the self-assessment, finalising, publishing, the results preview,
importing survey and data points) must not read them as model instances, prefetch their
explanations with an ``IN`` list of every entry (SQLite refuses more than its variable limit,
999 on older builds), or write them one statement each. They work in **batches of units**,
selected by a range of assessment ids and a join on the cycle (never a list of ids), with
set-based statements: ``INSERT … SELECT`` for the missing entries, ``UPDATE … SET final_points =
COALESCE((subquery), …)`` for finalising, a staged temporary table and one ``UPDATE`` for
imported points, streamed ``values_list`` reads for the points that count. The number of
statements depends on the methodology's size and on the batch size, not on the cycle's size up
to a batch (:data:`UNITS_PER_BATCH`).

A long step takes an optional ``progress(done, total)`` callback, called after each batch (a job
runner shows it); the step stays one transaction, all or nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import DateTimeField, F, OuterRef, QuerySet, Subquery
from django.db.models.fields import NOT_PROVIDED, Field
from django.db.models.functions import Coalesce
from django.utils import timezone

from parindex_web.lib.sql import insert_rows

from ..models import Assessment, Cycle, Entry, Explanation

#: ``progress(done, total)``: called after each batch of a long step (units, entries or rows).
Progress = Callable[[int, int], None]

#: Units per statement: at 100 leaves, 50,000 entries, a fraction of a second on SQLite.
UNITS_PER_BATCH = 500
#: Rows per read or write of a streamed step (entries read, points staged, audit records).
ROWS_PER_BATCH = 5000
#: Leaves per ``INSERT … SELECT``: two parameters a leaf, under SQLite's 999 variables.
LEAVES_PER_INSERT = 400


def unit_batches(cycle: Cycle, size: int | None = None) -> list[tuple[int, int, int]]:
    """The cycle's assessments as ``(first id, last id, how many)``, at most ``size`` each
    (:data:`UNITS_PER_BATCH` by default)."""
    size = size or UNITS_PER_BATCH
    ids = list(Assessment.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))
    return [
        (ids[i], ids[min(i + size, len(ids)) - 1], min(size, len(ids) - i))
        for i in range(0, len(ids), size)
    ]


def in_batch(cycle: Cycle, first: int, last: int) -> QuerySet[Entry]:
    """The cycle's entries whose assessment id is from ``first`` to ``last``: a join on the
    cycle and a range, so a statement's parameters do not grow with the batch."""
    return Entry.objects.filter(assessment__cycle=cycle, assessment__pk__range=(first, last))


def chunks(items: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (:data:`ROWS_PER_BATCH` by default), the last shorter."""
    size = size or ROWS_PER_BATCH
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def counting_points() -> Coalesce:
    """An appraisal leaf's points that count before finalisation, as SQL: the last accepted
    explanation's points (by submission time), else the appraised, else the self-assessed
    points (:meth:`Entry.result_points`, one correlated subquery instead of a prefetch)."""
    accepted = (
        Explanation.objects.filter(entry=OuterRef("pk"), status=Explanation.Status.ACCEPTED)
        .order_by("-submitted_at", "-pk")
        .values("decided_points")[:1]
    )
    return Coalesce(Subquery(accepted), F("appraised_points"), F("self_points"))


def _column(field: Field[Any, Any]) -> str:
    column = field.column
    assert column is not None  # a concrete field has one
    return column


def _default_columns() -> list[tuple[str, Any]]:
    """(column, database value) of every entry column an empty entry sets: its default, or
    now for ``auto_now``; nullable columns without a default and database defaults are left
    to the database."""
    now = timezone.now()
    columns = []
    for field in Entry._meta.concrete_fields:
        if field.primary_key or field.name in ("assessment", "code"):
            continue
        if field.db_default is not NOT_PROVIDED:
            continue
        value: Any
        if isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            value = now
        elif field.has_default() or not field.null:
            value = field.get_default()
        else:
            continue
        if value is None:
            continue
        columns.append((_column(field), field.get_db_prep_save(value, connection)))
    return columns


def insert_missing_entries(cycle: Cycle, codes: Sequence[str], first: int, last: int) -> None:
    """Create an empty entry for every leaf in ``codes`` of every assessment of ``cycle`` with
    an id from ``first`` to ``last`` that has none: ``INSERT … SELECT`` over the assessments
    and the leaves (given as ``UNION ALL`` rows), in leaf order within each assessment, so the
    entries' ids follow the methodology as one ``bulk_create`` per unit made them do."""
    q = connection.ops.quote_name
    entry, assessment = q(Entry._meta.db_table), q(Assessment._meta.db_table)
    assessment_col = q(Entry._meta.get_field("assessment").column)
    code_col = q("code")
    defaults = _default_columns()
    columns = ", ".join([assessment_col, code_col, *(q(c) for c, _v in defaults)])
    values = ", ".join(["%s"] * len(defaults))
    for offset in range(0, len(codes), LEAVES_PER_INSERT):
        part = codes[offset : offset + LEAVES_PER_INSERT]
        leaves = " UNION ALL ".join(["SELECT %s AS code, %s AS ord"] * len(part))
        sql = (
            f"INSERT INTO {entry} ({columns}) "
            f"SELECT a.id, l.code{', ' if defaults else ''}{values} "
            f"FROM {assessment} a CROSS JOIN ({leaves}) l "
            f"WHERE a.cycle_id = %s AND a.id BETWEEN %s AND %s AND NOT EXISTS ("
            f"SELECT 1 FROM {entry} e WHERE e.{assessment_col} = a.id AND e.{code_col} = l.code) "
            "ORDER BY a.id, l.ord"
        )
        leaf_params = [p for i, code in enumerate(part, offset) for p in (code, i)]
        params = [*(v for _c, v in defaults), *leaf_params, cycle.pk, first, last]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class Staged:
    """A temporary table of (entry id, points) for one set-based ``UPDATE`` of ``field``.

    Rows are added in batches (:func:`~parindex_web.lib.sql.insert_rows`), then :meth:`apply` writes them all
    with one statement that also moves each entry's version on; the table is dropped at the
    end of the ``with`` block. Temporary tables are the connection's own, so concurrent imports
    do not meet; a counter keeps a nested one apart too.
    """

    _count = itertools.count()

    def __init__(self, field: str) -> None:
        found = Entry._meta.get_field(field)
        assert isinstance(found, Field)
        self.field: Field[Any, Any] = found
        self.name = f"parindex_staged_{next(self._count)}"
        self.table = connection.ops.quote_name(self.name)

    def __enter__(self) -> Staged:
        column_type = self.field.db_type(connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} "
                f"(entry_id BIGINT PRIMARY KEY, points {column_type})"
            )
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.table}")

    def add(self, rows: Iterable[tuple[int, Any]]) -> None:
        prep, db = self.field.get_db_prep_save, transaction.get_connection()
        prepared = [(pk, prep(value, db)) for pk, value in rows]
        insert_rows(db, self.name, ["entry_id", "points"], prepared)

    def apply(self) -> None:
        q = connection.ops.quote_name
        entry, column = q(Entry._meta.db_table), q(_column(self.field))
        stamp = Entry._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {entry} SET {column} = (SELECT s.points FROM {self.table} s "
                f"WHERE s.entry_id = {entry}.id), version = version + 1, updated_at = %s "
                f"WHERE id IN (SELECT entry_id FROM {self.table})",
                [stamp],
            )


__all__ = [
    "LEAVES_PER_INSERT",
    "ROWS_PER_BATCH",
    "UNITS_PER_BATCH",
    "Progress",
    "Staged",
    "chunks",
    "counting_points",
    "in_batch",
    "insert_missing_entries",
    "unit_batches",
]
