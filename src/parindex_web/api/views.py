"""Pages around the API: the personal token page, and JSON answers for /api/ itself and for
URLs under /api/ that match no endpoint (so that clients always get the API's error shape)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parindex_web.audit.models import record
from parindex_web.lib.users import SignedInRequest

from .errors import error_data
from .forms import TokenForm
from .models import ApiToken


def _tokens_page(
    request: SignedInRequest, form: TokenForm, secret: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": request.user.api_tokens.all(),
        "secret": secret,
        "api_docs": reverse("api:openapi-view"),
        "token_days": settings.PARINDEX_API_TOKEN_DAYS,
    }
    response = render(request, "api/tokens.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: SignedInRequest) -> HttpResponse:
    """The user's tokens; a new one is shown once, on the page that creates it."""
    if request.method != "POST":
        return _tokens_page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
    record(request.user, "api_token.create", obj=token, field="name", new=token.name)
    return _tokens_page(request, TokenForm(), secret, status=201)


@login_required
@require_POST
def revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        record(request.user, "api_token.revoke", obj=token, field="name", old=token.name)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")


@require_safe
def index(request: HttpRequest) -> JsonResponse:
    """Where the API's schema and documentation are."""
    return JsonResponse(
        {
            "openapi": reverse("api:openapi-json"),
            "docs": reverse("api:openapi-view"),
            "tokens": reverse("api:tokens"),
        }
    )


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` with its plain-text 405 (ninja's) answered in the API's error shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        data = error_data("method_not_allowed", _("This method is not allowed here."))
        answer = JsonResponse(data, status=405, json_dumps_params={"ensure_ascii": False})
        answer["Allow"] = response.get("Allow", "")
        return answer

    return wrapped


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    data = error_data("not_found", _("Not found."))
    return JsonResponse(data, status=404, json_dumps_params={"ensure_ascii": False})
