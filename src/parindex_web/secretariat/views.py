"""The secretariat's pages: create and follow a cycle, open its phases, publish its results.

Every view loads the cycle with :func:`~parindex_web.cycles.access.cycle_for_secretariat` (404 for
another body's cycle, 403 for a participant without the secretariat role), validates with a form,
calls the service, and redirects with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

import parindex
from parindex_web.accounts.models import Role
from parindex_web.cycles import preflight, services
from parindex_web.cycles.access import body_ids, cycle_for_secretariat, visible_cycles
from parindex_web.cycles.models import Cycle, Phase, Publication
from parindex_web.cycles.services import CycleError
from parindex_web.jobs import queue
from parindex_web.jobs.models import Job
from parindex_web.lib.pages import page_of
from parindex_web.lib.users import SignedInRequest

from . import forms, imports, progress, reports

GET_POST = require_http_methods(["GET", "POST"])
EXTERNAL_PHASES = (Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.EXPLANATION)
REOPEN_PHASES = (Phase.SELF_ASSESSMENT, Phase.APPRAISAL)


def _follow(job: Job) -> HttpResponse:
    """To the page of a job just queued."""
    return redirect("jobs:job", job.cycle_id, job.pk)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _attachment(text: str, filename: str, content_type: str) -> HttpResponse:
    return _download(text.encode("utf-8"), filename, f"{content_type}; charset=utf-8")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def cycle_list(request: SignedInRequest) -> HttpResponse:
    managed = body_ids(request.user, Role.SECRETARIAT)
    cycles = visible_cycles(request.user).select_related("body", "methodology")
    ctx = {"cycles": cycles, "managed": managed}
    return render(request, "secretariat/cycle_list.html", ctx)


@login_required
@GET_POST
def cycle_new(request: SignedInRequest) -> HttpResponse:
    if not body_ids(request.user, Role.SECRETARIAT):
        raise PermissionDenied
    form = forms.CycleForm(request.user, _posted(request))
    if form.is_valid():
        try:
            cycle = services.create_cycle(request.user, **form.values())
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The cycle was created."))
            return redirect("secretariat:dashboard", cycle.pk)
    return render(request, "secretariat/cycle_new.html", {"form": form})


def _filtered_rows(
    request: HttpRequest, cycle: Cycle
) -> tuple[forms.DashboardFilterForm, list[progress.UnitProgress], list[progress.UnitProgress]]:
    """The filter form read from the query string, every unit's row, and the rows it keeps
    (all of them when the query string is refused)."""
    form = forms.DashboardFilterForm(request.GET)
    rows = progress.unit_progress(cycle)
    return form, rows, progress.filtered(rows, **form.values()) if form.is_valid() else rows


def _dashboard(
    request: HttpRequest,
    cycle: Cycle,
    form: forms.DashboardFilterForm,
    rows: list[progress.UnitProgress],
    shown: list[progress.UnitProgress],
) -> HttpResponse:
    next_phase = cycle.next_phase()
    pager = page_of(request, shown)  # a page of rows; the XLSX download has them all
    ctx = {
        "cycle": cycle,
        "form": form,
        "rows": pager.rows,
        "pager": pager,
        "matching": len(shown),
        "total": len(rows),
        "query": request.GET.urlencode(),
        "phases": Phase.choices,
        "counts": progress.status_counts(cycle),
        "pending": sum(r.pending for r in rows),
        "next_phase": Phase(next_phase).label if next_phase else None,
        "can_import": cycle.phase in EXTERNAL_PHASES,
        "can_reopen": cycle.phase in REOPEN_PHASES,
        "can_publish": cycle.phase in (Phase.FINALISED, Phase.PUBLISHED),
        "publications": cycle.publications.order_by("-version"),
    }
    status = 400 if form.errors else 200
    return render(request, "secretariat/dashboard.html", ctx, status=status)


@login_required
@require_safe
def dashboard(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    """Every unit's progress; searched, filtered and sorted by the query string (``q``,
    ``status``, ``sort``), so that a filtered view can be bookmarked."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form, rows, shown = _filtered_rows(request, cycle)
    return _dashboard(request, cycle, form, rows, shown)


@login_required
@require_safe
def progress_xlsx(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    """The dashboard's rows as a workbook, filtered and sorted as the same query string says."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form, rows, shown = _filtered_rows(request, cycle)
    if form.errors:
        return _dashboard(request, cycle, form, rows, shown)
    content = reports.progress_sheet(cycle, shown)
    return _download(content, f"cycle-{cycle.pk}-progress.xlsx", reports.XLSX)


@login_required
@require_safe
def missing_evidence(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    rows = reports.missing_evidence(cycle)
    ctx = {"cycle": cycle, "rows": rows, "units": len({r.unit.pk for r in rows})}
    return render(request, "secretariat/missing_evidence.html", ctx)


@login_required
@require_safe
def missing_evidence_file(request: SignedInRequest, cycle_id: int, fmt: str) -> HttpResponse:
    """The missing-evidence report as ``xlsx`` or ``csv`` (UTF-8 with a BOM, for Excel)."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header, table = reports.missing_evidence_table(reports.missing_evidence(cycle))
    name = f"cycle-{cycle.pk}-missing-evidence.{fmt}"
    if fmt == "csv":
        return _attachment(reports.people_csv(header, table), name, "text/csv")
    content = reports.workbook([(_("Missing evidence"), header, table)])
    return _download(content, name, reports.XLSX)


@login_required
@require_safe
def differences(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    ctx = {"cycle": cycle, "report": reports.differences(cycle)}
    return render(request, "secretariat/differences.html", ctx)


@login_required
@require_safe
def differences_xlsx(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    content = reports.differences_sheet(reports.differences(cycle))
    return _download(content, f"cycle-{cycle.pk}-appraisal-differences.xlsx", reports.XLSX)


@login_required
@GET_POST
def deadlines(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.DeadlinesForm(_posted(request), instance=cycle)
    if form.is_valid():
        try:
            services.set_deadlines(request.user, cycle, **form.values())
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The deadlines were saved."))
            return redirect("secretariat:dashboard", cycle.pk)
    return render(request, "secretariat/deadlines.html", {"cycle": cycle, "form": form})


@login_required
@GET_POST
def assignments(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.AssignmentsForm(cycle, _posted(request), page=request.GET.get("page"))
    if form.is_valid():
        try:
            added, removed = services.set_assignments(request.user, cycle, form.wanted())
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Assignments saved: %(added)s added, %(removed)s removed.")
                % {"added": added, "removed": removed},
            )
            return redirect("secretariat:dashboard", cycle.pk)
    return render(request, "secretariat/assignments.html", {"cycle": cycle, "form": form})


@login_required
@GET_POST
def phase(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.PhaseForm(cycle, _posted(request))
    if form.is_valid():
        args = {"confirm": form.cleaned_data["confirm"]}
        if not queue.inline(cycle):  # a large cycle: a job, followed on its page
            return _follow(queue.start(Job.Kind.ADVANCE, request.user, cycle, args))
        job = queue.run_now(Job.Kind.ADVANCE, request.user, cycle, args)
        if job.errors:
            messages.error(request, " ".join(job.errors))
            if cycle.phase == form.cleaned_data["phase"]:
                return redirect("secretariat:phase", cycle.pk)
        else:
            messages.success(
                request, _("The phase is now: %(phase)s.") % {"phase": cycle.get_phase_display()}
            )
        return redirect("secretariat:dashboard", cycle.pk)
    nxt = cycle.next_phase()
    ctx = {
        "cycle": cycle,
        "form": form,
        "next_phase": Phase(nxt) if nxt else None,
        "report": preflight.check(cycle) if nxt != Phase.PUBLISHED else None,
    }
    return render(request, "secretariat/phase.html", ctx)


@login_required
@GET_POST
def reopen(request: SignedInRequest, cycle_id: int, assessment_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    assessment = get_object_or_404(cycle.assessments.select_related("unit"), pk=assessment_id)
    form = forms.ReasonForm(_posted(request))
    if form.is_valid():
        try:
            services.reopen(request.user, assessment, form.cleaned_data["reason"])
        except CycleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The self-assessment of %(unit)s was reopened.") % {"unit": assessment.unit},
            )
        return redirect("secretariat:dashboard", cycle.pk)
    ctx = {"cycle": cycle, "assessment": assessment, "form": form}
    return render(request, "secretariat/reopen.html", ctx)


@login_required
@GET_POST
def external(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.ExternalUploadForm(cycle, _posted(request), request.FILES or None)
    if form.is_valid():
        # Staged: every row was read and checked against the cycle by the form; the service
        # checks them again as it applies them, all or nothing.
        args = {"points": [[unit, code, str(p)] for (unit, code), p in form.points.items()]}
        if not queue.inline(cycle):
            return _follow(queue.start(Job.Kind.IMPORT, request.user, cycle, args))
        job = queue.run_now(Job.Kind.IMPORT, request.user, cycle, args)
        for error in job.errors:
            form.add_error(None, error)
        if not job.errors:
            messages.success(request, _("%(n)s points were imported.") % {"n": job.result["count"]})
            return redirect("secretariat:external", cycle.pk)
    ctx = {
        "cycle": cycle,
        "form": form,
        "rows": progress.unit_progress(cycle),
        "open": cycle.phase in EXTERNAL_PHASES,
    }
    return render(request, "secretariat/external.html", ctx, status=400 if form.errors else 200)


@login_required
@require_safe
def external_template(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    return _attachment(imports.template_csv(cycle), f"cycle-{cycle.pk}-points.csv", "text/csv")


@login_required
@GET_POST
def external_unit(request: SignedInRequest, cycle_id: int, assessment_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    assessment = get_object_or_404(cycle.assessments.select_related("unit"), pk=assessment_id)
    form = forms.ExternalUnitForm(assessment, _posted(request))
    if form.is_valid():
        try:
            count = services.set_external_points(request.user, cycle, form.points())
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)s points were saved.") % {"n": count})
            return redirect("secretariat:external", cycle.pk)
    ctx = {
        "cycle": cycle,
        "assessment": assessment,
        "form": form,
        "open": cycle.phase in EXTERNAL_PHASES,
    }
    status = 400 if form.errors else 200
    return render(request, "secretariat/external_unit.html", ctx, status=status)


def _preview(cycle: Cycle) -> tuple[parindex.Results, dict[str, Any]]:
    results = services.compute_results(cycle)
    return results, parindex.results_to_dict(results)


@login_required
@require_safe
def results(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    computed, data = _preview(cycle)
    fields, rows = progress.result_table(data, cycle)
    ctx = {
        "cycle": cycle,
        "fields": fields,
        "rows": rows,
        "places": data["places"],
        "warnings": len(computed.warnings),
    }
    return render(request, "secretariat/results.html", ctx)


@login_required
@require_safe
def results_csv(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    text = progress.csv_with_names(parindex.results_to_csv(services.compute_results(cycle)), cycle)
    return _attachment(text, f"cycle-{cycle.pk}-results-preview.csv", "text/csv")


@login_required
@require_safe
def results_json(request: SignedInRequest, cycle_id: int) -> JsonResponse:
    """The preview as JSON: ``parindex.results_to_dict`` with ``unit_name`` added to each unit,
    and ``cycle`` and ``preview``. Keys may be added, never changed or removed."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    _computed, data = _preview(cycle)
    payload = {
        **progress.with_names(data, cycle),
        "cycle": {"id": cycle.pk, "year": cycle.year, "name": cycle.name, "phase": cycle.phase},
        "preview": True,
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@login_required
@GET_POST
def publish(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.PublishForm(cycle, _posted(request))
    if form.is_valid():
        args = {"reason": form.cleaned_data["reason"], "confirm": form.cleaned_data["confirm"]}
        if not queue.inline(cycle):
            return _follow(queue.start(Job.Kind.PUBLISH, request.user, cycle, args))
        # Publishing itself is quick for a small cycle; its files are always built by a job.
        job = queue.run_now(Job.Kind.PUBLISH, request.user, cycle, args)
        if job.errors:
            messages.error(request, " ".join(job.errors))
            ready = cycle.phase in (Phase.FINALISED, Phase.PUBLISHED)
            return redirect("secretariat:publish" if ready else "secretariat:dashboard", cycle.pk)
        version = job.result["version"]
        messages.success(request, _("Version %(v)s was published.") % {"v": version})
        return redirect("secretariat:publication", cycle.pk, version)
    ready = cycle.phase in (Phase.FINALISED, Phase.PUBLISHED)
    ctx = {
        "cycle": cycle,
        "form": form,
        "ready": ready,
        "report": preflight.check(cycle) if ready else None,
    }
    return render(request, "secretariat/publish.html", ctx)


@login_required
@GET_POST
def correction(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    """Correct a locked score after finalisation; publishing again makes a new version."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    form = forms.CorrectionForm(cycle, _posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_final_points(
                request.user,
                cycle,
                unit_code=data["unit"],
                code=data["code"],
                points=data["points"],
                reason=data["reason"],
            )
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The score was corrected. Publish a new version to make it public.")
            )
            return redirect("secretariat:publish", cycle.pk)
    ctx = {"cycle": cycle, "form": form, "open": cycle.phase in (Phase.FINALISED, Phase.PUBLISHED)}
    return render(request, "secretariat/correction.html", ctx)


def _publication(request: HttpRequest, cycle_id: int, version: int) -> Publication:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    return get_object_or_404(
        Publication.objects.select_related("published_by", "cycle"), cycle=cycle, version=version
    )


@login_required
@require_safe
def publication(request: SignedInRequest, cycle_id: int, version: int) -> HttpResponse:
    snapshot = _publication(request, cycle_id, version)
    fields, rows = progress.result_table(snapshot.results_json)
    ctx = {
        "cycle": snapshot.cycle,
        "publication": snapshot,
        "fields": fields,
        "rows": rows,
        "places": snapshot.results_json["places"],
        "versions": snapshot.cycle.publications.select_related("published_by"),
        "files_job": Job.objects.filter(
            cycle=snapshot.cycle, kind=Job.Kind.FILES, args__publication=snapshot.pk
        ).first(),
        "published_by": progress.display_name(snapshot.published_by)
        if snapshot.published_by
        else "",
    }
    return render(request, "secretariat/publication.html", ctx)


@login_required
@require_safe
def publication_file(
    request: SignedInRequest, cycle_id: int, version: int, name: str
) -> HttpResponse:
    """The snapshot's files, exactly as frozen: methodology, scores.csv, results.csv."""
    snapshot = _publication(request, cycle_id, version)
    prefix = f"cycle-{cycle_id}-v{version}"
    fmt = snapshot.methodology_format
    files = {
        f"methodology.{fmt}": (
            snapshot.methodology_text,
            "text/csv" if fmt == "csv" else "text/yaml",
        ),
        "scores.csv": (snapshot.scores_csv, "text/csv"),
        "results.csv": (snapshot.results_csv, "text/csv"),
    }
    if name not in files:
        raise Http404
    text, content_type = files[name]
    return _attachment(text, f"{prefix}-{name}", content_type)


@login_required
@require_safe
def publication_json(request: SignedInRequest, cycle_id: int, version: int) -> JsonResponse:
    """The snapshot's results JSON as frozen, with its version, reason and content hash."""
    snapshot = _publication(request, cycle_id, version)
    payload = {
        **snapshot.results_json,
        "publication": {
            "version": snapshot.version,
            "published_at": snapshot.published_at.isoformat(),
            "reason": snapshot.reason,
            "content_hash": snapshot.content_hash,
        },
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
