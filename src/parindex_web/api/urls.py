"""/api/: the ninja API's operations, its schema and docs, and the token page, in one
namespace ("api"). Any other path under /api/ answers a JSON 404 in the API's error shape."""

from typing import cast

from django.urls import URLPattern, path, re_path
from django.views.decorators.http import require_safe

from . import views
from .api import api

app_name = "api"


# The schema and its documentation are read, never posted to (ninja's views take any method).
READ_ONLY = {"openapi-json", "openapi-view"}


def _operations() -> list[URLPattern]:
    patterns = []
    for pattern in cast(list[URLPattern], api.urls[0]):  # ninja's operations: no includes
        view = require_safe(pattern.callback) if pattern.name in READ_ONLY else pattern.callback
        pattern.callback = views.json_errors(view)
        patterns.append(pattern)
    return patterns


urlpatterns = [
    path("", views.index, name="api-root"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke", views.revoke, name="revoke"),
    *_operations(),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
