"""The secretariat's questionnaire pages of a cycle (access: :func:`cycle_for_secretariat`)."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from parindex.decimals import format_fixed
from parindex.filetypes import XLSX, download_name
from parindex.surveys import Figure, response_template
from parindex.surveys.commands import figures_to_csv
from parindex_web.cycles.access import cycle_for_secretariat
from parindex_web.cycles.models import Cycle
from parindex_web.cycles.services import CycleError
from parindex_web.jobs import queue
from parindex_web.jobs.models import Job
from parindex_web.lib.users import SignedInRequest

from . import filling, services, work
from .forms import PopulationForm, ResponsesForm, UploadForm
from .models import Questionnaire, SurveyPoints

JSON_VERSION = 1


def _questionnaire(request: SignedInRequest, cycle_id: int, pk: int) -> Questionnaire:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    return get_object_or_404(cycle.questionnaires.select_related("cycle"), pk=pk)


def _factor_names(codes: list[str]) -> list[tuple[str, str]]:
    """(code, name) of each factor, the name in the reader's language (the methodology has both)."""
    m, english = services.methodology(), get_language() == "en"
    names = []
    for code in codes:
        f = m.factor(code)
        names.append((code, code if f is None else f.name_en if english else f.name))
    return names


@login_required
@require_safe
def questionnaire_list(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    found = cycle.questionnaires.annotate(stored=Count("responses"))
    rows = [(q, _factor_names(q.factor_codes())) for q in found]
    return render(request, "surveys/list.html", {"cycle": cycle, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle: Cycle = cycle_for_secretariat(request.user, cycle_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.upload is not None:
        try:
            q = services.store(
                cycle,
                request.user,
                form.upload,
                form.cleaned_data["group"],
                form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The questionnaire “%(title)s” was uploaded.") % {"title": q.title}
            )
            return redirect("surveys:detail", cycle.pk, q.pk)
    ctx = {"cycle": cycle, "form": form, "max_mb": services.MAX_BYTES // (1024 * 1024)}
    return render(request, "surveys/upload.html", ctx, status=400 if form.errors else 200)


@login_required
@require_safe
def detail(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "questions": services.question_rows(services.stored_form(q)),
        "factors": _factor_names(q.factor_codes()),
    }
    return render(request, "surveys/detail.html", ctx)


@login_required
@require_safe
def detail_json(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    body = {
        "version": JSON_VERSION,
        "cycle": q.cycle_id,
        "questionnaire": q.pk,
        "title": q.title,
        "group": q.group,
        "form_id": q.form_id,
        "form_version": q.form_version,
        "sha256": q.sha256,
        "factors": q.factor_codes(),
        "questions": services.question_rows(services.stored_form(q)),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def download(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    response = HttpResponse(bytes(q.content), content_type=XLSX)
    name = download_name(q.file_name, XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# ---------------------------------------------------------------------------------------------
# Field data: the import, the template, progress and estimates, delete.


def _follow(job: Job) -> HttpResponse:
    return redirect("jobs:job", job.cycle_id, job.pk)


def _last_columns(q: Questionnaire) -> dict[str, str]:
    batch = q.batches.first()
    if batch is None:
        return {}
    return {
        "unit_column": batch.unit_column,
        "weight_column": batch.weight_column,
        "stratum_column": batch.stratum_column,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_responses(
    request: SignedInRequest, cycle_id: int, questionnaire_id: int
) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    form = ResponsesForm(request.POST or None, request.FILES or None, initial=_last_columns(q))
    if request.method == "POST" and form.is_valid() and form.field_file is not None:
        file, columns, source = form.field_file, form.columns(), form.cleaned_data["source"]
        if len(file.data) > services.INLINE_BYTES:
            args = work.stage(q, file, columns, source)
            return _follow(queue.start(Job.Kind.RESPONSES, request.user, q.cycle, args))
        try:
            batch = services.import_field_data(q, request.user, file, columns, source)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, services.stored_summary(batch.stored, batch.duplicates))
            return redirect("surveys:responses", q.cycle_id, q.pk)
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "form": form,
        "max_mb": services.MAX_FIELD_BYTES // (1024 * 1024),
        "inline_kb": math.ceil(services.INLINE_BYTES / 1024),
    }
    return render(request, "surveys/import.html", ctx, status=400 if form.errors else 200)


@login_required
@require_safe
def template(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    response = HttpResponse(response_template(services.stored_form(q)), content_type=XLSX)
    name = download_name(f"{q.form_id}-phieu.xlsx", XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _figure_rows(figures: list[Figure], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The figures for the page, with the name of each item in the reader's language (a
    question's: its code, and its Vietnamese label from ``labels``)."""
    names = dict(_factor_names([f.item for f in figures if f.kind == "factor"]))
    overall = services.methodology().overall
    rows = []
    for f in figures:
        name = names.get(f.item, f.item) if f.kind == "factor" else f.item
        if f.kind == "overall":
            name = _("Overall index (%(code)s)") % {"code": overall}
        label = labels.get(f.item, "") if f.kind == "question" else ""
        rows.append({"figure": f, "name": name, "label": label})
    return rows


CHART_BAR = 400
"""Width of 100 % in the chart's SVG units (the value's text follows the bar area)."""
CHART_ROW = 44


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline SVG's geometry for one unit's factors and overall index: each a bar of its
    estimate with its 95 % interval as a line (SVG attributes only: no inline style, as the
    Content-Security-Policy wants). The table beside it says the same in words."""
    bars: list[dict[str, Any]] = []
    for row in (r for r in rows if r["figure"].kind != "question"):
        f, y = row["figure"], len(bars) * CHART_ROW

        def x(value: Decimal | None) -> float:
            return 0.0 if value is None else round(float(value) / 100 * CHART_BAR, 2)

        bars.append(
            {
                "label": row["name"],
                "text_y": y + 14,
                "bar_y": y + 20,
                "mid_y": y + 29,
                "width": x(f.estimate),
                "low": x(f.ci_low),
                "high": x(f.ci_high),
                "figure": f,
            }
        )
    return {"bars": bars, "height": len(bars) * CHART_ROW, "width": CHART_BAR + 80}


def _number(value: Decimal | None, places: int) -> str | None:
    return None if value is None else format_fixed(value, places)


@login_required
@require_http_methods(["GET", "POST"])
def responses(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    posted = request.POST if request.method == "POST" else None
    population = PopulationForm(posted, initial={"population": q.population})
    if request.method == "POST" and population.is_valid():
        q.population = population.cleaned_data["population"]
        q.save(update_fields=["population"])
        messages.success(request, _("The population per unit was saved."))
        return redirect("surveys:responses", q.cycle_id, q.pk)
    form = services.stored_form(q)
    figures = services.estimates(q, form)
    labels = {row["name"]: row["label"] for row in services.question_rows(form)}
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for row in _figure_rows(figures, labels):
        by_unit.setdefault(row["figure"].unit, []).append(row)
    m = services.methodology()
    progress = services.unit_progress(q)
    names = {p.unit: p.name for p in progress}
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "progress": progress,
        "target": services.sample_target(q),
        "margin": m.margin * 100,
        "min_answers": m.min_answers,
        "population_form": population,
        "by_unit": [
            (u, names.get(u) or u, rows, _chart(rows)) for u, rows in sorted(by_unit.items())
        ],
        "chart_bar": CHART_BAR,
        "batches": q.batches.select_related("uploaded_by")[:20],
        "total": q.responses.count(),
    }
    return render(request, "surveys/responses.html", ctx, status=400 if population.errors else 200)


@login_required
@require_safe
def responses_json(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    m = services.methodology()
    body = {
        "version": JSON_VERSION,
        "cycle": q.cycle_id,
        "questionnaire": q.pk,
        "methodology": m.id,
        "population": q.population,
        "target": services.sample_target(q),
        "progress": [
            {"unit": p.unit, "responses": p.responses, "target": p.target}
            for p in services.unit_progress(q)
        ],
        "estimates": [
            {
                "unit": f.unit,
                "item": f.item,
                "kind": f.kind,
                "estimate": _number(f.estimate, m.places),
                "ci_low": _number(f.ci_low, m.places),
                "ci_high": _number(f.ci_high, m.places),
                "n": f.n,
                "few": f.few,
            }
            for f in services.estimates(q)
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_safe
def estimates_csv(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    """The columns of ``parindex survey estimate`` (the core's :func:`figures_to_csv`)."""
    q = _questionnaire(request, cycle_id, questionnaire_id)
    text = figures_to_csv(services.estimates(q), services.methodology().places)
    return _csv(text, download_name(f"{q.form_id}-estimates.csv", "text/csv"))


@login_required
@require_safe
def progress_csv(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "responses", "target"])
    for p in services.unit_progress(q):
        writer.writerow([p.unit, p.responses, "" if p.target is None else p.target])
    return _csv(out.getvalue(), download_name(f"{q.form_id}-progress.csv", "text/csv"))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    count = q.responses.count()
    if request.method == "POST":
        services.delete(q, request.user)
        messages.success(
            request,
            _("The questionnaire “%(title)s” and its %(n)s responses were deleted.")
            % {"title": q.title, "n": count},
        )
        return redirect("surveys:list", q.cycle_id)
    ctx = {"cycle": q.cycle, "questionnaire": q, "count": count, "batches": q.batches.count()}
    return render(request, "surveys/delete.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def fill(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    """The survey- and SIPAS-sourced leaves filled from this questionnaire: GET previews every
    unit's points before → after, nothing written; POST (the preview's digest) writes them."""
    q = _questionnaire(request, cycle_id, questionnaire_id)
    refusals: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            count = filling.fill(q, request.user, request.POST.get("digest", ""))
        except filling.FillRefused as exc:
            refusals, status = exc.problems, 400
        except CycleError as exc:
            refusals, status = [str(exc)], 409
        else:
            messages.success(request, _("%(n)s points were filled from the survey.") % {"n": count})
            return redirect("surveys:fill", q.cycle_id, q.pk)
    shown = None
    try:
        shown = filling.preview(q)
    except filling.FillRefused as exc:
        refusals += [text for text in exc.problems if text not in refusals]
    except CycleError as exc:
        if str(exc) not in refusals:
            refusals.append(str(exc))
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "shown": shown,
        "refusals": refusals,
        "filled": _filled(q.cycle),
        "preview_rows": [] if shown is None else _preview_rows(q.cycle, shown),
    }
    return render(request, "surveys/fill.html", ctx, status=status)


def _filled(cycle: Cycle) -> list[dict[str, Any]]:
    """The cycle's points filled from surveys, their numbers written with the places of the
    methodology that rounded them (the PAR methodology's for points, the survey's for per cent)."""
    places, survey = cycle.core().places, services.methodology().places
    return [
        {
            "p": p,
            "points": format_fixed(p.points, places),
            "estimate": format_fixed(p.estimate, survey),
            "ci_low": format_fixed(p.ci_low, survey),
            "ci_high": format_fixed(p.ci_high, survey),
        }
        for p in SurveyPoints.objects.filter(cycle=cycle).select_related("filled_by")
    ]


def _preview_rows(cycle: Cycle, shown: filling.Preview) -> list[dict[str, Any]]:
    """The preview's rows with the points before and after in the methodology's places."""
    places = cycle.core().places
    return [
        {
            "r": r,
            "before": None if r.before is None else format_fixed(r.before, places),
            "after": format_fixed(r.after, places),
        }
        for r in shown.rows
    ]
