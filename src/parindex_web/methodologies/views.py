"""The secretariat's pages for a methodology published as an appendix table.

Upload (problems, or the tree with the differences from last year's methodology), confirm
(adopt: a new methodology version, audited), and the example table to start from. Only members
of a body's secretariat use them; nothing is stored before the confirmation.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import parindex
from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids
from parindex_web.lib.users import SignedInRequest

from . import forms, tables
from .models import Methodology

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _secretariat(request: HttpRequest) -> None:
    if not body_ids(request.user, Role.SECRETARIAT):
        raise PermissionDenied


def _preview(
    form: forms.AdoptForm, m: parindex.Methodology, previous: Methodology | None
) -> dict[str, object]:
    """What the preview shows: the tree, last year's methodology and the differences from it."""
    differences = tables.diff_rows(previous.core(), m) if previous else None
    return {
        "core": m,
        "tree": tables.tree_rows(m),
        "previous": previous,
        "differences": differences,
        "adopt": form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: SignedInRequest) -> HttpResponse:
    _secretariat(request)
    posted = request.POST if request.method == "POST" else None
    form = forms.TableUploadForm(request.user, posted, request.FILES or None)
    ctx: dict[str, object] = {"form": form}
    if form.is_valid() and form.methodology is not None:
        m, data = form.methodology, form.cleaned_data
        previous = tables.previous_methodology(data["body"], data["unit_type"], data["year"])
        initial = {"table": tables.token(data["body"], m), "compared": previous}
        ctx |= _preview(forms.AdoptForm(request.user, initial=initial), m, previous)
    status = 400 if form.errors else 200
    return render(request, "methodologies/upload.html", ctx, status=status)


@login_required
@require_POST
def adopt(request: SignedInRequest) -> HttpResponse:
    _secretariat(request)
    form = forms.AdoptForm(request.user, request.POST)
    if form.is_valid() and form.body is not None and form.methodology is not None:
        compared = form.cleaned_data["compared"]
        stored = tables.adopt(request.user, form.body, form.methodology, compared)
        messages.success(
            request,
            _("The methodology “%(name)s” was adopted as %(slug)s; a new cycle can now use it.")
            % {"name": stored.name, "slug": stored.slug},
        )
        return redirect("secretariat:new")
    ctx: dict[str, object] = {"form": forms.TableUploadForm(request.user), "refused": form}
    if form.methodology is not None:  # the table is sound: only the confirmation is missing
        ctx |= _preview(form, form.methodology, form.cleaned_data.get("compared"))
    return render(request, "methodologies/upload.html", ctx, status=400)


@login_required
@require_safe
def template(request: SignedInRequest) -> HttpResponse:
    _secretariat(request)
    response = HttpResponse(tables.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="vi-du-phu-luc-tieu-chi.xlsx"'
    return response
