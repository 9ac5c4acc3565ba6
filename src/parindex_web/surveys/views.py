"""The secretariat's questionnaire pages of a cycle (access: :func:`cycle_for_secretariat`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from parindex.filetypes import XLSX, download_name
from parindex_web.cycles.access import cycle_for_secretariat
from parindex_web.cycles.models import Cycle
from parindex_web.lib.users import SignedInRequest

from . import services
from .forms import UploadForm
from .models import Questionnaire

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
    rows = [(q, _factor_names(q.factor_codes())) for q in cycle.questionnaires.all()]
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
