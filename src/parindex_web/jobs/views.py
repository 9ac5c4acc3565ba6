"""A job's page and its JSON twin: how far the job is, then its result or every error.

Both are the secretariat's of the job's cycle (:func:`~parindex_web.cycles.access.
cycle_for_secretariat`: "not found" for another body's secretariat and for a job of another
cycle, "forbidden" for the cycle's other participants), which includes whoever started it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parindex_web.cycles.access import cycle_for_secretariat
from parindex_web.cycles.models import Phase, Publication
from parindex_web.lib.ids import is_key
from parindex_web.lib.users import SignedInRequest
from parindex_web.surveys.services import stored_summary

from .models import Job
from .runner import current

REFRESH_SECONDS = 3


def _job(request: SignedInRequest, cycle_id: int, job_id: int) -> Job:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    if not is_key(job_id):
        raise Http404
    jobs = Job.objects.select_related("cycle", "created_by")
    return current(get_object_or_404(jobs, cycle=cycle, pk=job_id))


def _version(job: Job) -> int | None:
    version = job.result.get("version")
    if version is None and job.kind == Job.Kind.FILES:
        found = Publication.objects.filter(pk=job.args.get("publication")).first()
        version = found.version if found else None
    return int(version) if version is not None else None


def back(job: Job) -> str:
    """Where the work was started from (or, once published, the publication's page)."""
    cycle = job.cycle_id
    version = _version(job)
    if job.kind == Job.Kind.IMPORT:
        return reverse("secretariat:external", args=[cycle])
    if job.kind == Job.Kind.RESPONSES:
        return reverse("surveys:responses", args=[cycle, job.args.get("questionnaire")])
    if job.kind in (Job.Kind.PUBLISH, Job.Kind.FILES) and version is not None:
        return reverse("secretariat:publication", args=[cycle, version])
    if job.kind == Job.Kind.PUBLISH:
        return reverse("secretariat:publish", args=[cycle])
    return reverse("secretariat:dashboard", args=[cycle])


def summary(job: Job) -> str:
    """The result of a job that is done, in words."""
    result = job.result
    if job.kind == Job.Kind.IMPORT:
        return _("%(n)s points were imported.") % {"n": result.get("count", 0)}
    if job.kind == Job.Kind.RESPONSES:
        return stored_summary(result.get("stored", 0), result.get("duplicates", 0))
    if job.kind == Job.Kind.ADVANCE:
        return _("The phase is now: %(phase)s.") % {"phase": Phase(result["phase"]).label}
    if job.kind == Job.Kind.PUBLISH:
        return _("Version %(v)s was published.") % {"v": result.get("version")}
    return _("%(n)s files of version %(v)s were made.") % {
        "n": result.get("files", 0),
        "v": result.get("version"),
    }


@login_required
@require_safe
def job(request: SignedInRequest, cycle_id: int, job_id: int) -> HttpResponse:
    found = _job(request, cycle_id, job_id)
    files = found.result.get("files_job")
    ctx = {
        "cycle": found.cycle,
        "job": found,
        "back": back(found),
        "summary": summary(found) if found.status == Job.Status.DONE else "",
        "files_job": files,
        # a batched job stopped after some of its batches keeps what it applied
        "all_or_nothing": found.kind != Job.Kind.FILES and not found.checkpoint.get("batches"),
        "holds": not found.finished and found.cycle.busy_job == found.pk,
        "refresh": None if found.finished else REFRESH_SECONDS,
        "twin": reverse("jobs:job_json", args=[found.cycle_id, found.pk]),
    }
    return render(request, "jobs/job.html", ctx)


@login_required
@require_safe
def job_json(request: SignedInRequest, cycle_id: int, job_id: int) -> JsonResponse:
    """The job as :meth:`Job.public` gives it, with its result in words once done."""
    found = _job(request, cycle_id, job_id)
    payload = {
        **found.public(),
        "summary": summary(found) if found.status == Job.Status.DONE else "",
        "back": back(found),
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
