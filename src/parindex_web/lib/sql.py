"""Writing many rows at once with prepared values, in their order, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

#: Rows per multi-row ``INSERT`` on PostgreSQL (16 columns: 16,000 parameters of its 65,535).
ROWS_PER_INSERT = 1000


def insert_rows(
    db: BaseDatabaseWrapper, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT ``rows`` (values already prepared for ``db``) into ``table``, in their order, so
    that serial ids follow it. PostgreSQL: multi-row ``VALUES`` of :data:`ROWS_PER_INSERT`
    (``executemany`` there is one round trip a row, 0.2 ms each); SQLite: ``executemany``,
    which runs in the process and has no variable limit to mind."""
    quote = db.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    with db.cursor() as cursor:
        if db.vendor != "postgresql":
            cursor.executemany(head + one, rows)
            return
        for start in range(0, len(rows), ROWS_PER_INSERT):
            part = rows[start : start + ROWS_PER_INSERT]
            cursor.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])
