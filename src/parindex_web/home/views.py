from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import parindex

from .menu import administration


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "home/index.html", {"administration": administration(request.user)})


@require_safe
def index_json(request: HttpRequest) -> JsonResponse:
    """The home page's machine-readable twin. Keys may be added, never changed or removed."""
    return JsonResponse(
        {
            "name": "parindex",
            "version": parindex.__version__,
            "languages": [code for code, _name in settings.LANGUAGES],
        }
    )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers and monitors: the process answers requests."""
    return JsonResponse({"status": "ok"})
