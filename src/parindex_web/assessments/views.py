"""The unit's self-assessment: officers fill in leaves and evidence, leaders sign off.

Every view loads the assessment through :func:`access.assessment_for` (404 outside the user's
scope, 403 for a role the action does not allow); actions go through
:mod:`parindex_web.cycles.services`, which checks phase, deadline and state and audits.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import parindex
from parindex_web.cycles import access, evidence_status, services
from parindex_web.cycles.models import Assessment, Entry, Evidence
from parindex_web.lib.refusals import show_refusal
from parindex_web.lib.users import SignedInRequest

from . import summary, work_items, workbook
from .forms import (
    EntryForm,
    EvidenceForm,
    LinkEvidenceForm,
    SendBackForm,
    WorkbookForm,
    initial_for,
)

VIEWERS = ("officer", "leader", "secretariat", "appraiser")


def _max_mb() -> int:
    return settings.PARINDEX_EVIDENCE_MAX_BYTES // (1024 * 1024)


def _load(request: SignedInRequest, assessment_id: int, *roles: str) -> Assessment:
    return access.assessment_for(request.user, assessment_id, allow=roles or VIEWERS)


def _leaf(assessment: Assessment, code: str) -> tuple[Entry, parindex.Node]:
    core = assessment.cycle.core()
    if not core.is_leaf(code) or core.by_code[code].rule is None:
        raise Http404
    entry = get_object_or_404(
        Entry.objects.select_related("updated_by"), assessment=assessment, code=code
    )
    entry.assessment = assessment  # loaded with its cycle, methodology and unit
    return entry, core.by_code[code]


def _entry_form(
    assessment: Assessment, entry: Entry, node: parindex.Node, data: object = None
) -> EntryForm:
    initial = {**initial_for(node, entry.inputs), "note": entry.note, "version": entry.version}
    return EntryForm(
        data, initial=initial, cycle=assessment.cycle, node=node, prefix=f"e{entry.pk}"
    )


@login_required
@require_safe
def work(request: SignedInRequest) -> HttpResponse:
    """Everything the user takes part in, by role."""
    return render(request, "assessments/work.html", work_items.for_user(request.user))


@login_required
@require_safe
def detail(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    assessment = _load(request, assessment_id)
    entries = summary.entries_by_code(assessment)
    rows = summary.tree(assessment, entries)
    read_only = summary.why_read_only(request.user, assessment)
    for row in rows:
        if not read_only and row.entry is not None and row.is_leaf and row.is_appraisal:
            row.form = _entry_form(assessment, row.entry, row.node)
    context = {
        "assessment": assessment,
        "rows": rows,
        "read_only": read_only,
        "progress": summary.progress(assessment, entries) if entries else None,
        "appraisal": summary.appraisal_facts(assessment, entries),
        "sent_back": services.sent_back(assessment),
        **summary.roles(request.user, assessment),
    }
    return render(request, "assessments/detail.html", context)


def _entry_page(
    request: SignedInRequest,
    assessment: Assessment,
    entry: Entry,
    node: parindex.Node,
    form: EntryForm | None = None,
    status: int = 200,
    conflict: dict[str, object] | None = None,
    upload_form: EvidenceForm | None = None,
) -> HttpResponse:
    read_only = summary.why_read_only(request.user, assessment)
    source = assessment.cycle.core().source_of(entry.code)
    editable = not read_only and source is parindex.Source.APPRAISAL
    if form is None and editable:
        form = _entry_form(assessment, entry, node)
    # The unit's documents, read once: the leaf's own (``linked``), the link form's choices and
    # the history's names.
    unit_documents = summary.documents_of(assessment, entry)
    link_form = None
    if editable:
        link_form = LinkEvidenceForm(assessment=assessment, documents=unit_documents)
        # The form's copy of the same annotated query, which the form types as plain documents.
        unit_documents = cast("QuerySet[summary.LinkedEvidence]", link_form.choices())
    documents = [d for d in unit_documents if d.linked]
    if link_form is not None:
        link_form.initial = {"documents": documents}
    context = {
        "assessment": assessment,
        "entry": entry,
        "node": node,
        "source": source,
        "legal_basis": summary.legal_basis(assessment.cycle.core(), entry.code),
        "inputs": summary.readable_inputs(node, entry.inputs),
        "form": form,
        "read_only": read_only,
        "documents": documents,
        "link_form": link_form,
        "upload_form": upload_form
        or (EvidenceForm(initial={"code": entry.code}) if editable else None),
        "history": summary.history(assessment, entry.code, unit_documents),
        "conflict": conflict,
        "max_mb": _max_mb(),
    }
    return render(request, "assessments/entry.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: SignedInRequest, assessment_id: int, code: str) -> HttpResponse:
    """One leaf: its facts, the officer's form, documents and history."""
    assessment = _load(
        request, assessment_id, *(("officer",) if request.method == "POST" else VIEWERS)
    )
    entry, node = _leaf(assessment, code)
    if request.method != "POST":
        return _entry_page(request, assessment, entry, node)
    form = _entry_form(assessment, entry, node, request.POST)
    if form.is_valid():
        try:
            saved = services.save_self_assessment(
                request.user,
                entry,
                inputs=form.inputs(),
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except services.Conflict as exc:
            return _conflict(request, assessment, node, form, exc)
        except services.CycleError as exc:
            show_refusal(form, exc)
        else:
            points = number_format(saved.self_points, 2)
            # Shown beside the saved form (its place in ``extra_tags``), the page scrolled to it.
            text = _("%(code)s saved: %(points)s points.") % {"code": code, "points": points}
            if request.POST.get("next") == "detail":
                messages.success(request, text, extra_tags=f"leaf-{code}")
                return redirect(
                    reverse("assessments:detail", args=[assessment.pk]) + f"#leaf-{code}"
                )
            messages.success(request, text, extra_tags="entry")
            return redirect(reverse("assessments:entry", args=[assessment.pk, code]) + "#entry")
    return _entry_page(request, assessment, entry, node, form, status=400)


def _conflict(
    request: SignedInRequest,
    assessment: Assessment,
    node: parindex.Node,
    form: EntryForm,
    exc: services.Conflict,
) -> HttpResponse:
    """Both versions side by side; the form keeps the user's input with the new version."""
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(exc.entry.version)
    conflict = {
        "message": str(exc),
        "theirs": exc.entry,
        "theirs_inputs": summary.readable_inputs(node, exc.entry.inputs),
        "mine_inputs": summary.readable_inputs(node, dict(exc.mine["inputs"])),
        "mine_points": exc.mine["self_points"],
        "mine_note": exc.mine["note"],
    }
    fresh = _entry_form(assessment, exc.entry, node, data)
    return _entry_page(request, assessment, exc.entry, node, fresh, 409, conflict)


@login_required
@require_POST
def preview(request: SignedInRequest, assessment_id: int, code: str) -> JsonResponse:
    """The points the rule gives for the posted input (for the live display), or the errors."""
    assessment = _load(request, assessment_id, "officer")
    entry, node = _leaf(assessment, code)
    form = _entry_form(assessment, entry, node, request.POST)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse({"errors": errors, "error": first}, status=400)
    points = form.points
    assert points is not None, "a valid entry form holds the rule's points"
    return JsonResponse({"points": str(points), "display": number_format(points, 2)})


@login_required
@require_POST
def link_evidence(request: SignedInRequest, assessment_id: int, code: str) -> HttpResponse:
    """Attach documents the unit already uploaded (for any leaf) to this leaf."""
    assessment = _load(request, assessment_id, "officer")
    entry, _node = _leaf(assessment, code)
    form = LinkEvidenceForm(request.POST, assessment=assessment)
    if not form.is_valid():
        raise Http404  # a document that is not the unit's
    try:
        services.link_evidence(request.user, entry, form.cleaned_data["documents"])
    except services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        text = _("The documents of %(code)s are saved.") % {"code": code}
        messages.success(request, text, extra_tags="documents")
    return redirect(reverse("assessments:entry", args=[assessment.pk, code]) + "#documents")


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The unit's documents; the officer uploads one (optionally for a leaf)."""
    assessment = _load(
        request, assessment_id, *(("officer",) if request.method == "POST" else VIEWERS)
    )
    read_only = summary.why_read_only(request.user, assessment)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    # Sent from a leaf's page: a refusal is shown there, on the file field, not on this page.
    code = request.POST.get("code", "") if request.method == "POST" else ""
    on_leaf = _leaf(assessment, code) if code else None
    if request.method == "POST" and form.is_valid():
        entry = on_leaf[0] if on_leaf else None
        try:
            document = services.add_evidence(
                request.user,
                assessment,
                form.cleaned_data["file"],
                doc_number=form.cleaned_data["doc_number"],
                doc_date=form.cleaned_data["doc_date"],
                issuer=form.cleaned_data["issuer"],
                entry=entry,
            )
        except services.CycleError as exc:
            form.add_error("file", str(exc))
        else:
            text = _("Document “%(doc)s” saved.") % {"doc": document}
            if entry is not None:
                messages.success(request, text, extra_tags="documents")
                url = reverse("assessments:entry", args=[assessment.pk, code])
                return redirect(url + "#documents")
            messages.success(request, text)
            return redirect("assessments:evidence", assessment.pk)
    if on_leaf is not None:
        return _entry_page(request, assessment, *on_leaf, status=400, upload_form=form)
    context = {
        "assessment": assessment,
        "documents": assessment.evidence.select_related("uploaded_by").prefetch_related("entries"),
        "form": form if request.method == "POST" or not read_only else None,
        "read_only": read_only,
        "max_mb": _max_mb(),
    }
    return render(request, "assessments/evidence.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def download(request: SignedInRequest, evidence_id: int) -> FileResponse:
    """The document as an attachment, only to those who may see the unit's assessment.

    Always an attachment, never shown in the page, with ``nosniff``: the type is the one found in
    the bytes at upload (a document stored before that check with another type is sent as
    ``application/octet-stream``), and the name ends in that type's extension, so a stored
    ``invoice.pdf.exe`` downloads as ``invoice.pdf.exe.pdf``.
    """
    document = (
        Evidence.objects.select_related("assessment__cycle", "assessment__unit")
        .filter(pk=evidence_id)
        .first()
    )
    if document is None or not access.can_see_assessment(request.user, document.assessment):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    known = document.content_type in parindex.filetypes.KNOWN_TYPES
    content_type = document.content_type if known else "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=parindex.download_name(document.original_name, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def review(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Read-only summary per field; the leader signs off from here."""
    return _review_page(request, _load(request, assessment_id))


def _review_page(
    request: SignedInRequest,
    assessment: Assessment,
    template: str = "assessments/review.html",
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    entries = summary.entries_by_code(assessment)
    cannot_sign = summary.why_cannot_sign(request.user, assessment)
    context = {
        "assessment": assessment,
        "fields": summary.fields_summary(assessment, entries) if entries else [],
        "progress": summary.progress(assessment, entries) if entries else None,
        "cannot_sign": cannot_sign,
        "sent_back": services.sent_back(assessment),
        "send_back_form": None if cannot_sign else SendBackForm(),
        **summary.roles(request.user, assessment),
        **extra,
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The confirmation step (what is submitted, who can reopen it), then the sign-off: a POST
    without ``confirm=yes`` only shows the confirmation again."""
    assessment = _load(request, assessment_id, "leader")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.sign_off(request.user, assessment)
        except services.CycleError as exc:
            messages.error(request, str(exc))
            return redirect("assessments:review", assessment.pk)
        messages.success(request, _("The self-assessment is signed off and submitted."))
        return redirect("assessments:detail", assessment.pk)
    unconfirmed = request.method == "POST"
    found = evidence_status.at_sign_off(assessment)
    core = assessment.cycle.core()
    return _review_page(
        request,
        assessment,
        "assessments/sign_off.html",
        status=400 if unconfirmed else 200,
        unconfirmed=unconfirmed,
        evidence_refused=[core.by_code[c] for c in found.refused],
        evidence_lacking=[core.by_code[c] for c in found.lacking if c not in found.refused],
    )


@login_required
@require_POST
def send_back(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The leader returns the draft to the officers with a comment (audited, e-mailed)."""
    assessment = _load(request, assessment_id, "leader")
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.send_back(request.user, assessment, form.cleaned_data["comment"])
        except services.CycleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The self-assessment is sent back to the officers."))
        return redirect("assessments:review", assessment.pk)
    return _review_page(request, assessment, status=400, send_back_form=form)


@login_required
@require_safe
def workbook_download(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    assessment = _load(request, assessment_id)
    name = f"tu-danh-gia-{assessment.unit.code}-{assessment.cycle.year}.xlsx"
    return HttpResponse(
        workbook.build(assessment),
        content_type=workbook.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workbook_upload(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The officer's filled-in workbook: every row checked, then all applied or none."""
    assessment = _load(request, assessment_id, "officer")
    read_only = summary.why_read_only(request.user, assessment)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and read_only:
        errors = [read_only]
    elif request.method == "POST" and form.is_valid():
        changes, errors = workbook.read(assessment, form.cleaned_data["workbook"])
        if not errors:
            try:
                count = workbook.apply(request.user, assessment, changes)
            except services.CycleError as exc:
                errors = [str(exc)]
            else:
                text = ngettext(
                    "%(n)s criterion updated from the workbook.",
                    "%(n)s criteria updated from the workbook.",
                    count,
                )
                messages.success(request, text % {"n": count})
                return redirect("assessments:detail", assessment.pk)
    context = {"assessment": assessment, "form": form, "errors": errors, "read_only": read_only}
    refused = errors or (request.method == "POST" and form.errors)  # a re-shown form is a 400
    return render(request, "assessments/workbook.html", context, status=400 if refused else 200)
