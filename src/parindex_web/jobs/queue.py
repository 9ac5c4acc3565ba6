"""Starting a job: queued for the worker, or run at once for a small cycle.

The views validate what they can (the form, the file's every row), then :func:`start` a job
and send the secretariat to its page; :func:`inline` says whether the cycle is small enough
(``PARINDEX_JOBS_INLINE_UNITS``) to run the same work within the request instead (:func:`run_now`),
as the pages did before jobs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from parindex_web.cycles.models import Cycle
from parindex_web.lib.users import User

from .models import Job
from .runner import execute, run, this_worker


def _new(kind: str, user: User, cycle: Cycle, args: dict[str, Any], **fields: Any) -> Job:
    return Job.objects.create(
        kind=kind,
        cycle=cycle,
        created_by=user,
        args=args,
        language=get_language() or settings.LANGUAGE_CODE,
        **fields,
    )


@transaction.atomic
def start(kind: str, user: User, cycle: Cycle, args: dict[str, Any]) -> Job:
    """Queue a job of ``kind`` on ``cycle`` for ``user`` (who sees its page)."""
    job = _new(kind, user, cycle, args)
    job.task_id = str(run.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job


def inline(cycle: Cycle) -> bool:
    """Whether ``cycle`` is small enough for its imports and phase changes to run within the
    request (at most ``PARINDEX_JOBS_INLINE_UNITS`` units)."""
    limit: int = settings.PARINDEX_JOBS_INLINE_UNITS
    return limit > 0 and cycle.assessments.count() <= limit


def run_now(kind: str, user: User, cycle: Cycle, args: dict[str, Any]) -> Job:
    """Do the job's work here and now (the same work as the worker's), and return it ended."""
    now = timezone.now()
    job = _new(
        kind,
        user,
        cycle,
        args,
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=this_worker(),
    )
    execute(job)
    cycle.refresh_from_db(fields=["phase"])
    return job
