"""Appraisal (thẩm định) and explanations (giải trình).

Appraisers score each leaf of the units assigned to them; the unit's officers reply during the
explanation window; the appraisers decide. Every view loads through ``cycles.access`` (404 out
of scope, 403 wrong role) and acts through ``cycles.services`` (phase, deadline, locking, audit,
e-mail), whose refusals are shown as form errors or messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parindex_web.accounts.models import Role
from parindex_web.cycles import access, services
from parindex_web.cycles.models import Assessment, Assignment, Entry, Explanation, Phase
from parindex_web.lib.refusals import show_refusal
from parindex_web.lib.users import SignedInRequest

from .display import Leaf, describe_input, leaves, plain, progress
from .forms import AcceptRemainingForm, AppraiseForm, DecideForm, ExplainForm

LATER = (Phase.EXPLANATION, Phase.FINALISED, Phase.PUBLISHED)


def _why_not(check: Any, *args: Any, **kwargs: Any) -> str:
    """The services' refusal message for ``check(*args, **kwargs)``, or "" when it passes."""
    try:
        check(*args, **kwargs)
    except services.CycleError as exc:
        return str(exc)
    return ""


def _appraisal_closed(assessment: Assessment) -> str:
    """Why the appraisal cannot be changed now ("" when it can)."""
    closed = _why_not(services.require_phase, assessment.cycle, Phase.APPRAISAL)
    if closed:
        return closed
    if assessment.status == Assessment.Status.APPRAISED:
        return _("The appraisal of this unit is complete.")
    if assessment.status != Assessment.Status.SUBMITTED:
        return _("Only a submitted self-assessment can be appraised.")
    return ""


def _decide_closed(assessment: Assessment) -> str:
    """Why explanations cannot be decided now; the unit's deadline does not bind the decision."""
    return _why_not(services.require_phase, assessment.cycle, Phase.EXPLANATION, deadline=False)


def _entry(assessment: Assessment, entry_id: int) -> Entry:
    """An appraisal leaf of the assessment: survey and data leaves are not on these pages."""
    entry = get_object_or_404(assessment.entries, pk=entry_id)
    try:
        services.require_appraisal_leaf(assessment.cycle.core(), entry.code)
    except services.CycleError:
        raise Http404 from None
    return entry


def _decide_form(explanation: Explanation, data: Any = None) -> DecideForm:
    initial = {"decision": "accept", "points": plain(explanation.entry.self_points)}
    return DecideForm(data, prefix=f"x{explanation.pk}", initial=initial)


@login_required
@require_safe
def index(request: SignedInRequest) -> HttpResponse:
    """The appraiser's assignments per cycle; for unit members, their unit's appraisal results."""
    assignments = (
        Assignment.objects.filter(
            appraiser=request.user,
            cycle__body__in=access.body_ids(request.user, Role.APPRAISER),
        )
        .select_related("cycle", "unit")
        .order_by("-cycle__year", "cycle__name", "unit__code")
    )
    found = {
        (a.cycle_id, a.unit_id): a
        for a in Assessment.objects.filter(cycle__in={x.cycle_id for x in assignments})
    }
    rows = []
    for assignment in assignments:
        assessment = found.get((assignment.cycle_id, assignment.unit_id))
        progress_ = progress(assessment) if assessment else None
        rows.append({"assignment": assignment, "assessment": assessment, "progress": progress_})
    units = access.unit_ids(request.user, Role.OFFICER) | access.unit_ids(request.user, Role.LEADER)
    own = (
        Assessment.objects.filter(unit__in=units, cycle__phase__in=[Phase.APPRAISAL, *LATER])
        .select_related("cycle", "unit")
        .order_by("-cycle__year", "unit__code")
    )
    return render(request, "appraisal/index.html", {"rows": rows, "own": own})


def _render_assessment(
    request: SignedInRequest,
    assessment: Assessment,
    bound: dict[int, AppraiseForm] | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    closed = _appraisal_closed(assessment)
    is_appraiser = access.is_appraiser(request.user, assessment)
    editable = is_appraiser and not closed
    deciding = is_appraiser and not _decide_closed(assessment)
    bound = bound or {}
    rows: list[Leaf] = leaves(assessment)
    for row in rows:
        entry = row.entry
        if entry.pk in bound:
            row.forms["appraise"] = bound[entry.pk]
        elif editable:
            initial = {
                "version": entry.version,
                "points": plain(entry.appraised_points),
                "reason": entry.appraisal_reason,
            }
            row.forms["appraise"] = AppraiseForm(prefix=f"e{entry.pk}", initial=initial)
        if deciding and row.pending:
            row.forms["decide"] = _decide_form(row.pending)
    context = {
        "assessment": assessment,
        "cycle": assessment.cycle,
        "rows": rows,
        "progress": progress(assessment),
        "closed": closed,
        "editable": editable,
        "is_appraiser": is_appraiser,
        "conflict": conflict,
        "remaining": len(services.remaining_to_accept(assessment)) if editable else 0,
    }
    return render(request, "appraisal/assessment.html", context, status=status)


@login_required
@require_safe
def assessment(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Every appraisal leaf: the self-assessment beside the appraisal form (read-only for the
    secretariat, and for everyone outside the appraisal phase)."""
    allow = ("appraiser", "secretariat")
    return _render_assessment(
        request, access.assessment_for(request.user, assessment_id, allow=allow)
    )


@login_required
@require_POST
def appraise(request: SignedInRequest, assessment_id: int, entry_id: int) -> HttpResponse:
    """Accept the self-assessed points of a leaf, or set an appraised score with a reason."""
    assessment = access.assessment_for(request.user, assessment_id, allow=("appraiser",))
    entry = _entry(assessment, entry_id)
    form = AppraiseForm(request.POST, prefix=f"e{entry.pk}")
    if form.is_valid():
        data = form.cleaned_data
        accept = data["action"] in ("accept", "replace")
        points = entry.self_points if accept else data["points"]
        try:
            services.appraise(
                request.user,
                entry,
                points=points,
                reason=data["reason"],
                version=data["version"],
                accept=accept,
                replace=data["action"] == "replace",
            )
        except services.Conflict as exc:
            mine = {
                "version": exc.entry.version,
                "points": plain(points),
                "reason": data["reason"],
            }
            form = AppraiseForm(prefix=f"e{entry.pk}", initial=mine)
            conflict = {"entry_id": entry.pk, "message": str(exc), "theirs": exc.entry, **mine}
            return _render_assessment(request, assessment, {entry.pk: form}, conflict, 409)
        except services.CycleError as exc:
            show_refusal(form, exc)
        else:
            text = _("Appraisal of %(code)s saved.") % {"code": entry.code}
            messages.success(request, text, extra_tags=f"leaf-{entry.pk}")  # shown in the leaf
            url = reverse("appraisal:assessment", args=[assessment.pk])
            return redirect(f"{url}#leaf-{entry.pk}")
    return _render_assessment(request, assessment, {entry.pk: form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept_remaining(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """ "Accept all remaining": the leaves that will take their self-assessed points, then the
    accept. The POST carries the fingerprint of the list shown; if the list has changed since,
    nothing is accepted and the new list is shown (409)."""
    assessment = access.assessment_for(request.user, assessment_id, allow=("appraiser",))
    error, status = "", 200
    if request.method == "POST":
        form = AcceptRemainingForm(request.POST)
        try:
            if not form.is_valid():
                raise services.CycleError(_("Confirm the list shown to accept it."))
            accepted = services.accept_remaining(
                request.user, assessment, form.cleaned_data["confirmed"]
            )
        except services.CycleError as exc:
            error, status = str(exc), 409 if isinstance(exc, services.StaleList) else 400
        else:
            text = ngettext(
                "%(n)s criterion now has its self-assessed points as the appraised score. Each "
                "can still be changed one by one below.",
                "%(n)s criteria now have their self-assessed points as the appraised score. Each "
                "can still be changed one by one below.",
                len(accepted),
            ) % {"n": len(accepted)}
            messages.success(request, text)
            return redirect("appraisal:assessment", assessment.pk)
    entries = services.remaining_to_accept(assessment)
    core = assessment.cycle.core()
    context = {
        "assessment": assessment,
        "cycle": assessment.cycle,
        "progress": progress(assessment),
        "closed": _appraisal_closed(assessment),
        "rows": [
            (e, core.by_code[e.code], describe_input(core.by_code[e.code].rule, e.inputs))
            for e in entries
        ],
        "total": services.points_total(entries),
        "confirmed": services.remaining_fingerprint(entries),
        "error": error,
    }
    return render(request, "appraisal/accept_remaining.html", context, status=status)


@login_required
@require_POST
def complete(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Close the appraisal of the unit and notify it by e-mail."""
    assessment = access.assessment_for(request.user, assessment_id, allow=("appraiser",))
    try:
        services.complete_appraisal(request.user, assessment)
    except services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Appraisal completed; the unit has been notified."))
    return redirect("appraisal:assessment", assessment.pk)


def _render_explanations(
    request: SignedInRequest,
    assessment: Assessment,
    bound: dict[int, ExplainForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    cycle = assessment.cycle
    visible = assessment.status in (Assessment.Status.APPRAISED, Assessment.Status.FINAL) or (
        cycle.phase in LATER
    )
    show_all = request.GET.get("all") == "1"
    is_officer = access.is_officer(request.user, assessment)
    closed = _why_not(services.require_phase, cycle, Phase.EXPLANATION)
    bound = bound or {}
    rows = []
    for row in leaves(assessment) if visible else []:
        if row.entry.pk not in bound and not (
            row.differs or row.explanations or (show_all and row.appraised)
        ):
            continue
        if row.entry.pk in bound:
            row.forms["explain"] = bound[row.entry.pk]
        elif is_officer and not closed and row.appraised and not row.pending:
            row.forms["explain"] = ExplainForm(prefix=f"e{row.entry.pk}")
        rows.append(row)
    context = {
        "assessment": assessment,
        "cycle": cycle,
        "rows": rows,
        "visible": visible,
        "show_all": show_all,
        "closed": closed,
        "is_officer": is_officer,
        "is_leader": access.is_leader(request.user, assessment),
        "is_appraiser": access.is_appraiser(request.user, assessment),
    }
    return render(request, "appraisal/explanations.html", context, status=status)


@login_required
@require_safe
def explanations(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The appraisal's differences and the unit's explanations, with a reply form per leaf for
    the unit's officers during the explanation window."""
    allow = ("officer", "leader", "appraiser", "secretariat")
    return _render_explanations(
        request, access.assessment_for(request.user, assessment_id, allow=allow)
    )


@login_required
@require_POST
def explain(request: SignedInRequest, assessment_id: int, entry_id: int) -> HttpResponse:
    """A unit officer replies to the appraisal of one leaf, optionally with a new document."""
    assessment = access.assessment_for(request.user, assessment_id, allow=("officer",))
    entry = _entry(assessment, entry_id)
    form = ExplainForm(request.POST, request.FILES, prefix=f"e{entry.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                ids = []
                if data["file"]:
                    evidence = services.add_evidence(
                        request.user,
                        assessment,
                        data["file"],
                        doc_number=data["doc_number"],
                        doc_date=data["doc_date"],
                        issuer=data["issuer"],
                    )
                    ids.append(evidence.pk)
                services.explain(request.user, entry, text=data["text"], evidence_ids=ids)
        except services.CycleError as exc:
            show_refusal(form, exc)
        else:
            text = _("Explanation of %(code)s sent.") % {"code": entry.code}
            messages.success(request, text, extra_tags=f"leaf-{entry.pk}")
            url = reverse("appraisal:explanations", args=[assessment.pk])
            return redirect(f"{url}#leaf-{entry.pk}")
    return _render_explanations(request, assessment, {entry.pk: form}, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: SignedInRequest, explanation_id: int) -> HttpResponse:
    """An assigned appraiser accepts (with the points that count) or rejects an explanation."""
    explanation = get_object_or_404(Explanation.objects.select_related("entry"), pk=explanation_id)
    assessment = access.assessment_for(
        request.user, explanation.entry.assessment_id, allow=("appraiser",)
    )
    explanation.entry.assessment = assessment
    form = _decide_form(explanation, request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        accept = data["decision"] == "accept"
        try:
            services.decide(
                request.user,
                explanation,
                accept=accept,
                points=data["points"] if accept else None,
                reason=data["reason"],
            )
        except services.CycleError as exc:
            show_refusal(form, exc)
        else:
            text = _("Decision saved; the unit has been notified.")
            messages.success(request, text, extra_tags=f"leaf-{explanation.entry_id}")
            url = reverse("appraisal:assessment", args=[assessment.pk])
            return redirect(f"{url}#leaf-{explanation.entry_id}")
    row = next((r for r in leaves(assessment) if r.entry.pk == explanation.entry_id), None)
    context = {
        "assessment": assessment,
        "cycle": assessment.cycle,
        "explanation": explanation,
        "row": row,
        "form": form,
        "closed": _decide_closed(assessment),
    }
    return render(request, "appraisal/decide.html", context)
