"""Measuring transactions in a test: each outermost ``transaction.atomic`` block opened by the
code under test (the test's own, if any, is left out), how long it was open (BEGIN to COMMIT
or ROLLBACK: on SQLite, the time it held the write lock) and how many rows it wrote, by table
(the cursor's ``rowcount`` after each ``INSERT``, ``UPDATE`` or ``DELETE``)."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.db import connection, transaction

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class Transaction:
    seconds: float = 0.0
    rows: Counter[str] = field(default_factory=Counter)
    committed: bool = False


@contextmanager
def transactions() -> Iterator[list[Transaction]]:
    """The transactions opened within the block, in the order they ended."""
    found: list[Transaction] = []
    open_: list[tuple[float, Transaction]] = []
    base = len(connection.atomic_blocks)
    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def entering(self: transaction.Atomic) -> None:
        enter(self)
        if len(transaction.get_connection(self.using).atomic_blocks) == base + 1:
            open_.append((time.perf_counter(), Transaction()))

    def exiting(self: transaction.Atomic, *exc: Any) -> Any:
        outermost = len(transaction.get_connection(self.using).atomic_blocks) == base + 1
        result = exit_(self, *exc)
        if outermost and open_:
            start, tx = open_.pop()
            tx.seconds, tx.committed = time.perf_counter() - start, exc[0] is None
            found.append(tx)
        return result

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        if match and open_:
            open_[-1][1].rows[match.group(1)] += max(context["cursor"].rowcount, 0)
        return result

    with (
        mock.patch.object(transaction.Atomic, "__enter__", entering),
        mock.patch.object(transaction.Atomic, "__exit__", exiting),
        connection.execute_wrapper(counting),
    ):
        yield found


def most(found: list[Transaction], table: str) -> int:
    """The most rows of ``table`` one committed transaction wrote."""
    return max((tx.rows[table] for tx in found if tx.committed), default=0)


def longest(found: list[Transaction]) -> float:
    return max((tx.seconds for tx in found), default=0.0)
