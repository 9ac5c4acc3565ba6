"""The server SIGKILLed twice during a burst of saves, uploads and imports loses nothing it
acknowledged and leaves nothing half-written (tests/web/faults/harness.py says what is checked).

Quick by default (a few seconds of burst on SQLite); PARINDEX_FAULTS=whole runs the long burst
(also ``python bench/faults.py``).
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from .harness import Harness

WHOLE = os.environ.get("PARINDEX_FAULTS") == "whole"


@pytest.mark.skipif(
    connection.vendor != "sqlite" and not WHOLE,
    reason="runs on SQLite; the PostgreSQL phase runs test_postgres_restart.py",
)
def test_killed_servers_lose_no_acknowledged_write_and_leave_nothing_half_written(tmp_path):
    harness = Harness(
        tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", clients=12 if WHOLE else 4, env={}
    )
    harness.set_up()
    harness.start()
    try:
        harness.burst(seconds=60 if WHOLE else 14, kills=4 if WHOLE else 2)
    finally:
        harness.shut_down()
    result = harness.check()
    record = harness.record
    print(f"sent {record.sent}, acknowledged {record.acked}, cut off {record.failed}, {result}")
    assert record.acked > 20, f"too few writes acknowledged to mean anything: {record.acked}"
    assert record.statuses == {}, f"answers other than a redirect: {record.statuses}"
    assert result["problems"] == []
    assert result["chain_findings"] == []
    assert result["leftovers"] == []
    assert result["orphans"] == 0
    assert result["documents"] >= len(set(record.uploads))
