"""A cycle held by a job: while a whole-cycle step is applied in batches, nothing else changes it.

A batched step (:mod:`parindex_web.jobs.batches`: opening the self-assessment, finalising, an
import of survey and data points) checks its work against the cycle as it is, then applies it
in many short transactions. Its all-or-nothing promise holds only if nothing else changes the
cycle in between, so the step first **marks** the cycle (``Cycle.busy_job``: the job's id, a
compare-and-set ``UPDATE``), and every service that changes a cycle refuses while another job
holds it (:func:`require_idle`, called by :func:`.phases.require_phase`, the set-up services
and the phase change itself) with a message naming the job.

The read is inside the service's transaction: on SQLite that transaction already holds the
write lock (``IMMEDIATE``), on PostgreSQL the row is read ``FOR SHARE``, so a change that read
"not held" commits before the job's mark does, and the job's checks see it. The job itself
passes: :func:`holding` marks the running code as that job's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Cycle
from .errors import CycleError

_held: ContextVar[int | None] = ContextVar("parindex_busy_job", default=None)


@contextmanager
def holding(job_id: int) -> Iterator[None]:
    """Run the enclosed code as job ``job_id``: the cycle it holds is not refused to it."""
    token = _held.set(job_id)
    try:
        yield
    finally:
        _held.reset(token)


def held() -> int | None:
    """The job the running code works for (:func:`holding`), if any."""
    return _held.get()


def free() -> Q:
    """The cycles the running code may change: held by no job, or by its own."""
    mine = _held.get()
    return Q(busy_job__isnull=True) | Q(busy_job=mine) if mine else Q(busy_job__isnull=True)


def refusal(job_id: int) -> CycleError:
    return CycleError(
        _(
            "A job is applying a change to the whole cycle (job #%(job)s): nothing else can "
            "be changed in this cycle until it has ended. Try again in a few minutes."
        )
        % {"job": job_id}
    )


def holder(cycle: Cycle, *, exclusive: bool = False) -> int | None:
    """The job holding ``cycle`` now, read from the database (on PostgreSQL inside a
    transaction: ``FOR SHARE``, or ``FOR UPDATE`` if ``exclusive``)."""
    table = connection.ops.quote_name(Cycle._meta.db_table)
    lock = ""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        lock = " FOR UPDATE" if exclusive else " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT busy_job FROM {table} WHERE id = %s{lock}", [cycle.pk])
        row = cursor.fetchone()
    return None if row is None else row[0]


def require_idle(cycle: Cycle, *, exclusive: bool = False) -> None:
    """Refuse (:class:`CycleError`) while a job other than the running code's holds ``cycle``.

    ``exclusive``: for a change that will update the cycle's row itself (a phase change): its
    row is locked for update at once on PostgreSQL, so that two such changes queue one behind
    the other instead of each holding a share lock the other's update waits for (a deadlock).
    """
    cycle.busy_job = holder(cycle, exclusive=exclusive)
    refuse_held(cycle.busy_job)


def refuse_held(job: int | None) -> None:
    """Refuse if ``job`` (a cycle's ``busy_job``, read in the caller's transaction) is set and
    not the running code's."""
    if job is not None and job != _held.get():
        raise refusal(job)


def mark(cycle: Cycle, job_id: int) -> None:
    """Hold ``cycle`` for job ``job_id`` (again, if it holds it already); refused while
    another job holds it."""
    if (
        not Cycle.objects.filter(pk=cycle.pk)
        .filter(Q(busy_job__isnull=True) | Q(busy_job=job_id))
        .update(busy_job=job_id)
    ):
        other = holder(cycle)
        raise refusal(other if other is not None else job_id)
    cycle.busy_job = job_id


def release(cycle_id: int, job_id: int) -> None:
    """Let go of the cycle if job ``job_id`` holds it (nothing otherwise)."""
    Cycle.objects.filter(pk=cycle_id, busy_job=job_id).update(busy_job=None)


__all__ = [
    "free",
    "held",
    "holder",
    "holding",
    "mark",
    "refusal",
    "refuse_held",
    "release",
    "require_idle",
]
