"""Batched jobs: a whole-cycle step applied in short transactions, resumable after a crash.

Opening the self-assessment, finalising (both :data:`Job.Kind.ADVANCE`) and an import of
survey and data points (:data:`Job.Kind.IMPORT`) of a large cycle run in the worker as
**stage, validate, then apply**, so that no transaction holds the write lock for more than a
batch (issue 17: ≤ 5 s):

1. *Hold* the cycle: ``Cycle.busy_job`` set to the job's id (compare and set, with the job's
   checkpoint ``{"stage": "checking"}``, one short transaction). From then on every other
   change to the cycle (an officer's save, an appraisal, another import, set-up, a phase
   change) is refused with "a job is applying …" (:mod:`parindex_web.cycles.services.busy`).
2. *Validate*: the same checks as the one-transaction service, against the cycle as it is now,
   nothing written; every problem reported. A refusal lets go of the cycle and fails the job.
3. *Apply* in batches (units: :data:`~parindex_web.cycles.services.bulk.UNITS_PER_BATCH`;
   import rows: :data:`~parindex_web.cycles.services.bulk.ROWS_PER_BATCH`), each batch in its
   own transaction **together with the job's checkpoint** (batches done, count done) and
   heartbeat. A batch is committed with its checkpoint or not at all, so a job stopped between
   batches (a killed worker, a power cut) goes on from the first batch not committed when it
   is resumed (:mod:`.recovery`): nothing is applied twice, nothing skipped. Each step's batch is
   also idempotent (entries inserted only where missing; final points recomputed from the
   same sources; an import's points set to the same values). On SQLite the job pauses
   :data:`PAUSE_SQLITE` between batches, so that another writer waiting for the write lock
   gets it after at most one batch (measured at 1,000 units: 1.7 s, against 14.8 s without
   the pause, when the waiter's busy handler kept missing the moment between two batches).
4. *Close*: the last transaction makes the result visible where it matters (the phase change
   and its audit, the assessments' final status) and lets go of the cycle.

While the batches run the cycle's phase has not moved: officers and the public see the cycle as
it was before the step (new entries of a cycle still in preparation, final points of a cycle
not yet finalised); an import's points are written batch by batch but only the secretariat sees
them before publication, and the busy cycle refuses every other change until the import ends.
The checkpoint's writes are compare-and-set on ``Job.attempt``: a worker taken for dead whose
job was resumed elsewhere finds its next batch refused (:class:`Superseded`) and stops.

An unexpected error in a batch (the database gone, a disk full) ends the job as failed and lets
go of the cycle; what was applied stays, the job's errors say how far it got, and starting the
same step again finishes it (the batches are idempotent). Small cycles
(``PARINDEX_JOBS_INLINE_UNITS``) run the one-transaction services within the request instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex_web.cycles import preflight
from parindex_web.cycles.models import Cycle, Phase
from parindex_web.cycles.services import CycleError, bulk, busy, external, finalising, phases
from parindex_web.lib.users import User

from .models import Job

Result = dict[str, Any]
Progress = Callable[[int, int], None]

#: Seconds the job waits between two batches on SQLite, so that a writer waiting for the one
#: write lock (its busy handler tries again at least every 0.1 s) takes it in between instead of
#: waiting through every batch in a row.
PAUSE_SQLITE = 0.15


class Superseded(Exception):
    """The job was resumed by another run meanwhile: this run's batch is not written."""


class Stopped(Exception):
    """An unexpected error stopped the job during its batches (``message``: how far it got)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Plan:
    """A checked step: its batches in order, how to apply one (returns the units or rows it
    did), its total of units or rows, and its last transaction (returns the job's result)."""

    batches: Sequence[Any]
    apply: Callable[[Any], int]
    total: int
    close: Callable[[], Result]


def _import_plan(job: Job, cycle: Cycle, user: User) -> Plan:
    rows = {(unit, code): Decimal(points) for unit, code, points in job.args["points"]}
    entries = external.check_external(cycle, rows)  # no lock: the cycle is held instead
    items, size = list(rows.items()), bulk.ROWS_PER_BATCH
    batches = [dict(items[i : i + size]) for i in range(0, len(items), size)]
    return Plan(
        batches,
        lambda batch: external.apply_external(user, cycle, batch, entries),
        len(rows),
        lambda: {"count": len(rows)},
    )


def _advance_plan(job: Job, cycle: Cycle, user: User) -> Plan:
    nxt = phases.next_phase_checked(cycle)
    report, phase = preflight.confirmed_advance(cycle, job.args.get("confirm")), cycle.phase
    batches = bulk.unit_batches(cycle)
    total = sum(n for _f, _l, n in batches)

    def move(close: Callable[[], None]) -> Callable[[], Result]:
        def done() -> Result:
            close()
            preflight.record_confirmation(user, cycle, report, phase)
            return {"phase": cycle.phase}

        return done

    if nxt == Phase.FINALISED:
        codes = finalising.check_finalise(cycle)
        return Plan(
            batches,
            lambda batch: finalising.finalise_units(cycle, codes, batch),
            total,
            move(lambda: finalising.close_finalise(user, cycle)),
        )
    if nxt == Phase.SELF_ASSESSMENT:
        leaves = phases.entry_codes(cycle)
        return Plan(
            batches,
            lambda batch: phases.create_entries(cycle, leaves, batch),
            total,
            move(lambda: phases._set_phase(user, cycle, nxt)),
        )
    return Plan([], lambda batch: 0, 0, move(lambda: phases._set_phase(user, cycle, nxt)))


PLANS: dict[str, Callable[[Job, Cycle, User], Plan]] = {
    Job.Kind.IMPORT: _import_plan,
    Job.Kind.ADVANCE: _advance_plan,
}


def save(job: Job, checkpoint: dict[str, Any], done: int, total: int) -> None:
    """The job's checkpoint, count and heartbeat, in the caller's transaction; compare and set
    on the run (:attr:`Job.attempt`): :class:`Superseded` if the job was resumed elsewhere."""
    now = timezone.now()
    if not Job.objects.filter(pk=job.pk, attempt=job.attempt, status=Job.Status.RUNNING).update(
        checkpoint=checkpoint, done=done, total=total, heartbeat_at=now
    ):
        raise Superseded(job.pk)
    job.checkpoint, job.done, job.total, job.heartbeat_at = checkpoint, done, total, now


def run(job: Job, cycle: Cycle, user: User, progress: Progress) -> Result:
    """Do ``job``'s step in batches (see the module's docstring), from its checkpoint on."""
    state = dict(job.checkpoint)
    if state.get("stage") == "closed":  # stopped after its last transaction, before its end
        return dict(state["result"])
    with busy.holding(job.pk):
        with transaction.atomic():
            busy.mark(cycle, job.pk)
            applying = state.get("stage") == "applying"
            save(job, state if applying else {"stage": "checking"}, job.done, job.total)
        try:
            plan = PLANS[job.kind](job, cycle, user)
            result = _apply(job, plan, state if applying else {}, progress)
        except Superseded:
            raise  # the cycle is the other run's now
        except CycleError:
            busy.release(cycle.pk, job.pk)
            raise
        except Exception as exc:
            busy.release(cycle.pk, job.pk)
            raise Stopped(
                _(
                    "It stopped after %(done)s of %(total)s; what was applied is kept. "
                    "Start the same step again to finish it."
                )
                % {"done": job.done, "total": job.total}
            ) from exc
    return result


def _apply(job: Job, plan: Plan, state: dict[str, Any], progress: Progress) -> Result:
    """The batches not yet committed (``state``: the checkpoint), then the last transaction."""
    start, done = int(state.get("batches", 0)), int(state.get("done", 0))
    progress(done, plan.total)
    for index in range(start, len(plan.batches)):
        with transaction.atomic():
            done += plan.apply(plan.batches[index])
            checkpoint = {"stage": "applying", "batches": index + 1, "done": done}
            save(job, checkpoint, done, plan.total)
        progress(done, plan.total)
        if connection.vendor == "sqlite":
            time.sleep(PAUSE_SQLITE)
    with transaction.atomic():
        result = plan.close()
        busy.release(job.cycle_id, job.pk)
        save(job, {"stage": "closed", "result": result}, plan.total, plan.total)
    return result


__all__ = ["PLANS", "Plan", "Stopped", "Superseded", "run", "save"]
