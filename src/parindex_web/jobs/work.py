"""What each kind of job does: the services the secretariat's pages call, run by the worker.

Each function takes the claimed job and a ``progress(done, total)`` callback and returns the
job's result (a JSON object), or raises :class:`~parindex_web.cycles.services.CycleError`. The
services keep their all-or-nothing promise: the import's points were read and checked when the
file was uploaded (staged in the job's ``args``), and the service checks every one again against
the cycle as it is now before it writes any (one transaction). A service that accepts a
``progress`` argument is handed the callback; the others report their steps only.

:data:`WORK` is what a request runs for a small cycle (:func:`~parindex_web.jobs.queue.run_now`);
the worker runs :data:`BATCHED` instead where a kind has one: an import and a phase change held,
checked, then applied in short transactions (:mod:`.batches`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from parindex_web.cycles import preflight, services
from parindex_web.cycles.models import Cycle, Publication
from parindex_web.lib.users import User
from parindex_web.reports import artefacts
from parindex_web.surveys.work import import_responses

from .models import Job
from .runner import Progress

Result = dict[str, Any]


def with_progress(function: Callable[..., Any], progress: Progress) -> dict[str, Progress]:
    """``{"progress": progress}`` if ``function`` takes a ``progress`` argument, else nothing:
    the services grow the argument one by one."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}
    return {"progress": progress} if "progress" in parameters else {}


def _cycle(job: Job) -> Cycle:
    return Cycle.objects.select_related("body", "methodology").get(pk=job.cycle_id)


def _user(job: Job) -> User:
    if job.created_by is None:  # the runner refuses such a job before its work
        raise services.CycleError(_("The person who started this job no longer exists."))
    return job.created_by


def import_points(job: Job, progress: Progress) -> Result:
    """``args["points"]``: ``[unit code, leaf code, points as text]`` rows, read from the file."""
    rows = {(unit, code): Decimal(points) for unit, code, points in job.args["points"]}
    progress(0, len(rows))
    extra = with_progress(services.set_external_points, progress)
    count = services.set_external_points(_user(job), _cycle(job), rows, **extra)
    progress(count, len(rows))
    return {"count": count}


def advance(job: Job, progress: Progress) -> Result:
    """Open the cycle's next phase (finalising included) with ``args["confirm"]``, the
    confirmation of the pre-flight table the secretariat saw."""
    cycle = _cycle(job)
    progress(0, 1)
    extra = with_progress(preflight.advance, progress)
    preflight.advance(_user(job), cycle, job.args.get("confirm"), **extra)
    return {"phase": cycle.phase}


def publish(job: Job, progress: Progress) -> Result:
    """Publish (or publish a correction with ``args["reason"]``), then queue the files."""
    from .queue import start  # the queue runs this module's work, not the reverse

    cycle, user = _cycle(job), _user(job)
    progress(0, 1)
    extra = with_progress(preflight.publish, progress)
    publication = preflight.publish(
        user, cycle, job.args.get("reason", ""), job.args.get("confirm"), **extra
    )
    files = start(Job.Kind.FILES, user, cycle, {"publication": publication.pk})
    return {"version": publication.version, "publication": publication.pk, "files_job": files.pk}


def build_files(job: Job, progress: Progress) -> Result:
    """Make every file of ``args["publication"]`` (PDFs, workbook, bundle) that is not stored."""
    publication = Publication.objects.filter(pk=job.args["publication"]).first()
    if publication is None:
        raise services.CycleError(_("This publication no longer exists."))
    extra = with_progress(artefacts.build, progress)
    made = artefacts.build(publication, **extra)
    return {"version": publication.version, "files": len(made)}


def batched_work(job: Job, progress: Progress) -> Result:
    """An import or a phase change as the worker does it: in short transactions, resumable
    (:mod:`.batches`)."""
    from . import batches

    return batches.run(job, _cycle(job), _user(job), progress)


WORK: dict[str, Callable[[Job, Progress], Result]] = {
    Job.Kind.IMPORT: import_points,
    Job.Kind.ADVANCE: advance,
    Job.Kind.PUBLISH: publish,
    Job.Kind.FILES: build_files,
    Job.Kind.RESPONSES: import_responses,
}
#: What the worker runs instead, by kind: the cycle-wide steps in short transactions.
BATCHED: dict[str, Callable[[Job, Progress], Result]] = {
    Job.Kind.IMPORT: batched_work,
    Job.Kind.ADVANCE: batched_work,
}
