"""Running a job: the one task the queue knows, its claim, its progress and its outcome.

:func:`run` is the django-tasks task every job is queued as (its only argument is the job's
id); ``manage.py db_worker`` runs it. It claims the job with a compare-and-set ``UPDATE``
(queued → running), so that even a task queued twice, or two workers taking the same row, runs
the work once; the queue's own claim (an exclusive transaction on SQLite, ``SKIP LOCKED`` on
PostgreSQL) already keeps two workers apart. The work itself is :data:`parindex_web.jobs.work.WORK`
by kind; a refusal of the cycle's rules (:class:`~parindex_web.cycles.services.CycleError`) ends
the job as failed with every problem it names, anything else as failed with a generic message
(the traceback is in the task's result, for the administrator).

Progress is kept in the cache (``jobs:progress:<id>``), not in the database: the services apply
their work in one transaction (all or nothing), and a write to the job's row from inside it would
be seen by nobody until the end; the default file cache is shared by every process on the
machine. The row gets the last count when the job ends. Each report is also the job's heartbeat
(``jobs:heartbeat:<id>``), and the claim records which process runs it (``Job.worker``,
host:pid): :mod:`.recovery` resumes or fails a job whose worker is gone.

In the worker, an import and a phase change run batched (:mod:`.batches`: the cycle held, the
work checked, then applied in short transactions, each with the job's checkpoint); within a
request (:func:`~parindex_web.jobs.queue.run_now`, a small cycle) they run as one transaction.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from parindex_web.cycles.services import CycleError

from .models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
PROGRESS_SECONDS = 24 * 3600


def _key(job_id: int) -> str:
    return f"jobs:progress:{job_id}"


def beat_key(job_id: int) -> str:
    return f"jobs:heartbeat:{job_id}"


def this_worker() -> str:
    """This process, as ``Job.worker`` names it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def reporter(job: Job) -> Progress:
    """The ``progress(done, total)`` callback handed to the work: it keeps the count in the
    cache and on ``job`` (saved when the job ends), and the time as the job's heartbeat."""

    def progress(done: int, total: int) -> None:
        job.done, job.total = max(0, done), max(0, total)
        cache.set(_key(job.pk), (job.done, job.total), PROGRESS_SECONDS)
        cache.set(beat_key(job.pk), timezone.now(), PROGRESS_SECONDS)

    return progress


def current(job: Job) -> Job:
    """``job`` with the count a running job last reported (the cache's), when there is one."""
    if job.status == Job.Status.RUNNING:
        count = cache.get(_key(job.pk))
        if count is not None:
            job.done, job.total = count
    return job


def claim(job_id: int) -> Job | None:
    """Mark the queued job running and return it; None if it is not queued (any more): another
    worker claimed it first, or it has already run."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker=this_worker()
    ):
        return None
    return Job.objects.select_related("cycle", "created_by").get(pk=job_id)


def _problems(job: Job, exc: CycleError) -> list[str]:
    messages = [message for _field, message in exc.problems]
    if job.kind == Job.Kind.IMPORT and len(messages) == 1:
        return messages[0].split("; ")  # the import names every refused row, joined
    return messages


def _end(job: Job, status: str, result: dict[str, Any], errors: list[str]) -> None:
    job.status, job.result, job.errors = status, result, errors
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "errors", "done", "total", "finished_at"])
    cache.delete_many([_key(job.pk), beat_key(job.pk)])


def execute(job: Job, *, batched: bool = False) -> None:
    """Do a claimed job's work, in the language of whoever queued it, and record its outcome;
    ``batched``: an import or a phase change in short transactions (:mod:`.batches`)."""
    from . import batches
    from .work import BATCHED, WORK

    work = BATCHED[job.kind] if batched and job.kind in BATCHED else WORK[job.kind]
    unexpected = _("The job stopped on an unexpected error; the administrator can see why.")
    with translation.override(job.language):
        try:
            result = work(job, reporter(job))
        except batches.Superseded:
            logger.warning("job %s was resumed by another run; this one stops", job.pk)
            return
        except CycleError as exc:
            _end(job, Job.Status.FAILED, {}, _problems(job, exc))
        except batches.Stopped as exc:
            logger.exception("job %s (%s) stopped", job.pk, job.kind)
            _end(job, Job.Status.FAILED, {}, [unexpected, exc.message])
            raise
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _end(job, Job.Status.FAILED, {}, [unexpected])
            raise
        else:
            _end(job, Job.Status.DONE, result, [])


@task()
def run(job_id: int) -> str:
    """The queue's task: claim the job and do it. Returns the job's status."""
    job = claim(job_id)
    if job is None:
        return "skipped"
    execute(job, batched=True)
    return job.status
