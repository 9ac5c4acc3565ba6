"""Two secretaries moving the same cycle at the same moment on PostgreSQL: one moves it, the
other is told someone else did, and neither meets a deadlock. The phase changes lock the
cycle's row for update first (:func:`parindex_web.cycles.services.busy.require_idle`), which
queues them, while the officers' changes only share that lock."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Phase

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(user: Any, cycle_id: int) -> list[str]:
    """``advance_phase`` from two threads (two connections) started together: each outcome."""
    start, outcomes = threading.Barrier(2), []

    def move() -> None:
        try:
            start.wait()
            services.advance_phase(user, Cycle.objects.get(pk=cycle_id))
            outcomes.append("moved")
        except services.CycleError as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # a deadlock would be an OperationalError
            outcomes.append(f"error: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.EXPLANATION])
def test_two_moves_at_once_move_the_cycle_one_step(flow: Any, cycle: Cycle, phase: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the write lock at BEGIN: its moves queue anyway")
    if phase == Phase.EXPLANATION:
        flow.to_explanation()
    outcomes = at_once(flow.people.secretariat, cycle.pk)
    assert len(outcomes) == 2 and outcomes.count("moved") == 1, outcomes
    other = next(o for o in outcomes if o != "moved")
    assert "vừa chuyển giai đoạn" in other or "giai đoạn hiện tại" in other, outcomes
    cycle.refresh_from_db()
    nxt = {Phase.DRAFT: Phase.SELF_ASSESSMENT, Phase.EXPLANATION: Phase.FINALISED}[phase]
    assert cycle.phase == nxt
