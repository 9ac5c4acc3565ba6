"""Writers appending at the same time still form one unbroken chain (needs PostgreSQL).

Each thread has its own database connection and transaction; ``record()`` locks the chain head
with SELECT … FOR UPDATE, so the appends are serialised. SQLite has no row locks and its
in-memory test database cannot take concurrent writers, so the test runs on PostgreSQL only
(``.ci/postgres.sh``).
"""

import threading

import pytest
from django.db import connection, transaction

from parindex_web.audit.models import AuditRecord, ChainHead, record, verify

THREADS, EACH = 8, 10

needs_row_locks = pytest.mark.skipif(
    "connection.vendor == 'sqlite'", reason="SQLite cannot take concurrent writers in tests"
)


def append_concurrently(head_exists: bool) -> list[BaseException]:
    if head_exists:
        ChainHead.objects.create(pk=1)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    record(None, "test.concurrent", field="n", old=n, new=i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("head_exists", [True, False], ids=["head", "first-append"])
def test_concurrent_appends_form_one_chain(head_exists):
    assert append_concurrently(head_exists) == []
    records = list(AuditRecord.objects.order_by("pk"))
    assert len(records) == THREADS * EACH
    assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
    assert ChainHead.objects.get().count == THREADS * EACH
    assert verify() == []
