"""The secretariat's code batches of a questionnaire, and the public online form.

The batches are the cycle secretariat's (:func:`cycle_for_secretariat`: not found outside the
body, forbidden to its units). The form is public: no account, a one-time code in its address;
every request giving a code and every submission is rate-limited per client address
(:mod:`.throttling`), with a translated 429 page.
"""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from parindex.errors import Location, Problem
from parindex.surveys import Form, check_submission
from parindex_web.cycles.access import cycle_for_secretariat
from parindex_web.lib.users import SignedInRequest
from parindex_web.surveys.models import Questionnaire

from . import codes, services
from .forms import BatchForm
from .models import AnswerCode, CodeBatch
from .page import MAX_TEXT, flat, layout, localized, problem_message
from .throttling import CODES, SUBMISSIONS, refused

SESSION_KEY = "answering.codes.%s"


def _questionnaire(request: SignedInRequest, cycle_id: int, pk: int) -> Questionnaire:
    cycle = cycle_for_secretariat(request.user, cycle_id)
    return get_object_or_404(cycle.questionnaires.select_related("cycle"), pk=pk)


def _language() -> str:
    return "en" if get_language() == "en" else "vi"


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: SignedInRequest, cycle_id: int, questionnaire_id: int) -> HttpResponse:
    q = _questionnaire(request, cycle_id, questionnaire_id)
    form_read = services.form_of(q)
    form = BatchForm(request.POST or None, cycle=q.cycle, form=form_read, language=_language())
    if request.method == "POST" and form.is_valid():
        question, choice = form.cleaned_data["service"]
        try:
            batch, made = services.generate(
                q,
                form.cleaned_data["unit"],
                form.cleaned_data["size"],
                request.user,
                service_question=question,
                service=choice,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session[SESSION_KEY % batch.pk] = made
            return redirect("answering:sheet", q.cycle_id, q.pk, batch.pk)
    rows = q.code_batches.select_related("unit").annotate(
        used=Count("codes", filter=Q(codes__used_on__isnull=False))
    )
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "form": form,
        "rows": rows,
        "repeats": any(b.kind == "repeat" for b in form_read.blocks),
    }
    return render(request, "answering/batches.html", ctx, status=400 if form.errors else 200)


def _qr(url: str) -> str:
    """The QR code of ``url`` as inline SVG (no size: the style sheet sizes it)."""
    svg: str = segno.make(url, error="m").svg_inline(scale=4, omitsize=True)
    return svg


@login_required
@never_cache
@require_safe
def sheet(
    request: SignedInRequest, cycle_id: int, questionnaire_id: int, batch_id: int
) -> HttpResponse:
    """The printable receipts of a batch: its codes are shown here once, right after they are
    generated (they were kept in the session until then); afterwards only the counts."""
    q = _questionnaire(request, cycle_id, questionnaire_id)
    batch = get_object_or_404(q.code_batches.select_related("unit"), pk=batch_id)
    made: list[str] = request.session.pop(SESSION_KEY % batch.pk, [])
    receipts = []
    for code in made:
        url = request.build_absolute_uri(reverse("answering:form", args=[code]))
        receipts.append({"code": code, "url": url, "qr": _qr(url)})
    ctx = {
        "cycle": q.cycle,
        "questionnaire": q,
        "batch": batch,
        "receipts": receipts,
        "entry_url": request.build_absolute_uri(reverse("answering:enter")),
        "used": batch.codes.filter(used_on__isnull=False).count(),
        "title": q.title,
        "service": _service_label(services.form_of(q), batch) if batch.service else "",
    }
    return render(request, "answering/sheet.html", ctx)


def _service_label(form: Form, batch: CodeBatch) -> str:
    """The label of the batch's service (its choice, in the reader's language)."""
    q = form.question(batch.service_question)
    chosen = [c for c in form.choices.get(q.list_name, ()) if c.name == batch.service] if q else []
    return localized(chosen[0].labels, _language()) if chosen else batch.service


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request, "answering/too_many.html", {"minutes": max(1, -(-wait // 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _refusal(request: HttpRequest, why: str) -> HttpResponse:
    status = {"unknown": 404, "used": 410}[why]
    return render(request, "answering/refused.html", {"why": why}, status=status)


@never_cache
@require_safe
def enter(request: HttpRequest) -> HttpResponse:
    """Where a code is typed (the address printed under the QR code); a code sent here opens
    the form."""
    typed = request.GET.get("code", "")
    if "code" not in request.GET:
        return render(request, "answering/enter.html", {"error": ""})
    wait = refused(CODES, request)
    if wait is not None:
        return _too_many(request, wait)
    raw = codes.normal(typed)
    found = services.find(typed) if raw is not None else None
    if found is None:
        error = _("This code is not known. Check it against your receipt and type it again.")
        ctx = {"error": error, "typed": typed[:40]}
        return render(request, "answering/enter.html", ctx, status=404 if raw else 400)
    if found.used_on is not None:
        return _refusal(request, "used")
    return redirect("answering:form", codes.printed(raw or ""))


def _given(request: HttpRequest, form: Form) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for q in form.questions:
        if q.kind == "select_multiple":
            out[q.name] = request.POST.getlist(q.name)
        else:
            out[q.name] = request.POST.get(q.name, "")
    return out


def _too_long(form: Form, given: dict[str, str | list[str]]) -> list[Problem]:
    return [
        Problem("too long", Location(column=q.name), "text_too_long")
        for q in form.questions
        if q.kind == "text" and len(given.get(q.name, "")) > MAX_TEXT
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, answer_code: str) -> HttpResponse:
    wait = refused(CODES, request)
    if wait is not None:
        return _too_many(request, wait)
    found: AnswerCode | None = services.find(answer_code)
    if found is None:
        return _refusal(request, "unknown")
    if found.used_on is not None:
        return _refusal(request, "used")
    batch: CodeBatch = found.batch
    if batch.questionnaire.cycle.phase in services.CLOSED_PHASES:
        return render(request, "answering/refused.html", {"why": "closed"}, status=409)
    form = services.form_of(batch.questionnaire)
    fixed = {batch.service_question: batch.service} if batch.service_question else {}
    language = _language()
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        wait = refused(SUBMISSIONS, request)
        if wait is not None:
            return _too_many(request, wait)
        given = {**_given(request, form), **fixed}
        checked = check_submission(form, given)
        problems = [*checked.problems, *_too_long(form, given)]
        if not problems:
            try:
                services.submit(found, checked.answers)
            except services.CodeUsed:
                return _refusal(request, "used")
            return redirect("answering:thanks")
        answers = dict(checked.answers)
        for p in problems:
            q = form.question(p.location.column or "")
            if q is not None and q.name not in errors:
                errors[q.name] = problem_message(q, p, language)
    items = layout(form, language, answers, errors, fixed)
    summary = [i for i in flat(items) if i.error]
    unit = batch.unit
    ctx = {
        "title": form.settings.get("form_title") or batch.questionnaire.title,
        "unit": unit.name_en if language == "en" and unit.name_en else unit.name,
        "items": items,
        "summary": summary,
        "code": codes.printed(codes.normal(answer_code) or ""),
        "has_repeat": any(b.kind == "repeat" for b in form.blocks),
    }
    return render(request, "answering/form.html", ctx, status=400 if errors else 200)


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "answering/thanks.html")
