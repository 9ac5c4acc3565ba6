"""Recovery of jobs whose worker died: resumed where that is safe, else failed with a message.

A job is *running* from its claim to its end. A worker killed meanwhile (``kill -9``, the
machine restarted, out of memory) leaves it running for ever, with its cycle held
(``Cycle.busy_job``) if it was a batched step. :func:`recover` finds such jobs: running, and
either claimed by a process of this machine that no longer exists (``Job.worker``, host:pid)
or silent for ``PARINDEX_JOBS_HEARTBEAT_SECONDS`` (the last of the claim, a batch committed
(``Job.heartbeat_at``) or a progress report (the cache's ``jobs:heartbeat:<id>``)). Then:

- a job the worker ran batched (an import, a phase change: :mod:`.batches`) or a publication's
  files (which keeps the files made) is **resumed**: queued again as a new task, with
  ``attempt`` one more, so that the next worker goes on from its checkpoint (and a worker
  wrongly taken for dead finds its next batch refused);
- any other (a publication, one transaction; a job run within a request) is **failed** with a
  message on its page: its transaction died with its worker, so nothing of it was applied,
  and the secretariat starts it again. Its cycle is let go if it held it.

The worker runs :func:`recover` when it starts and after each job
(:mod:`parindex_web.jobs.management.commands.db_worker`).
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from parindex_web.cycles.services import busy

from .models import Job
from .runner import beat_key, run

logger = logging.getLogger(__name__)

#: Kinds that the worker can resume from where they stopped (queued as a task).
RESUMABLE = (Job.Kind.IMPORT, Job.Kind.ADVANCE, Job.Kind.FILES)


def alive(worker: str) -> bool | None:
    """Whether the process ``host:pid`` still exists: None when it is another machine's (or
    unknown), so only the heartbeat can tell."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def last_sign(job: Job) -> datetime | None:
    """The job's last sign of life: its claim, a committed batch or a progress report."""
    signs = [t for t in (job.started_at, job.heartbeat_at, cache.get(beat_key(job.pk))) if t]
    return max(signs) if signs else None


def dead(job: Job, now: datetime) -> bool:
    """Whether the running ``job``'s worker is gone (see the module's docstring)."""
    if alive(job.worker) is False:
        return True
    last = last_sign(job)
    timeout = timedelta(seconds=settings.PARINDEX_JOBS_HEARTBEAT_SECONDS)
    return last is None or last < now - timeout


def recover(now: datetime | None = None) -> list[tuple[Job, str]]:
    """Resume or fail every running job whose worker is gone; returns ``(job, "resumed" |
    "failed")`` for each."""
    now = now or timezone.now()
    done = []
    for job in Job.objects.filter(status=Job.Status.RUNNING).order_by("pk"):
        if not dead(job, now):
            continue
        if job.kind in RESUMABLE and job.task_id:
            if _resume(job, now):
                done.append((job, "resumed"))
        elif _fail(job, now):
            done.append((job, "failed"))
    return done


def _old_task(job: Job, now: datetime) -> None:
    """The dead worker's task result, left running by it: failed (Django admin shows it)."""
    DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
        status="FAILED", finished_at=now
    )


@transaction.atomic
def _resume(job: Job, now: datetime) -> bool:
    if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempt=job.attempt).update(
        status=Job.Status.QUEUED, attempt=F("attempt") + 1, heartbeat_at=now, worker=""
    ):
        return False  # ended or resumed meanwhile
    _old_task(job, now)
    job.task_id = str(run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    logger.warning("job %s (%s): its worker is gone; queued again", job.pk, job.kind)
    return True


@transaction.atomic
def _fail(job: Job, now: datetime) -> bool:
    last = last_sign(job) or now
    with translation.override(job.language):
        message = _(
            "The worker running this job stopped (last sign of life on %(when)s) before it "
            "ended. Nothing of it was applied: start it again."
        ) % {"when": timezone.localtime(last).strftime("%d/%m/%Y %H:%M")}
    if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempt=job.attempt).update(
        status=Job.Status.FAILED, errors=[message], finished_at=now
    ):
        return False
    busy.release(job.cycle_id, job.pk)
    if job.task_id:
        _old_task(job, now)
    logger.warning("job %s (%s): its worker is gone; failed", job.pk, job.kind)
    return True


__all__ = ["RESUMABLE", "alive", "dead", "last_sign", "recover"]
