"""The permission matrix's machinery: what URLs and operations exist, how to fill their paths
from the world, how to send a request as a role and name what came back.

Outcomes (the words of the table in :mod:`.matrix`):

* ``ok``: a 2xx, or a redirect that is not to the login page (for a POST: the change was made);
* ``login``: sent to the login page (web) or 401 (API);
* ``forbidden``: 403; ``not_found``: 404; ``method``: 405;
* ``closed``: the phase, a deadline or the object's state refuses: 409 (API), or a web POST
  that wrote nothing and raised the services' ``CycleError`` (shown to the user as a message);
* ``invalid``: a POST that passed the access checks but wrote nothing, its body refused by the
  form (400/422, or the form shown again), not by the phase.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from api.conftest import LEVEL_LEAF
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services

from .conftest import World

OUTCOMES = frozenset({"ok", "login", "forbidden", "not_found", "method", "closed", "invalid"})
API_METHODS = ("get", "put", "post", "patch", "delete")
# Named URLs that are not web views of their own: the API's operations (declared by their
# OpenAPI operation instead) and the admin's model pages (only its root is declared).
NINJA_VIEW = "ninja.operation"


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = p.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(p.url_patterns, ns)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def web_routes() -> dict[str, Route]:
    """Every named URL of the site, by its full name, with its path parameters."""
    routes: dict[str, Route] = {}
    for name, pattern in _walk(get_resolver().url_patterns, None):
        if name.startswith("admin:") and name != "admin:index":
            continue
        if getattr(pattern.callback, "__module__", "").startswith(NINJA_VIEW):
            continue
        regex = pattern.pattern.regex
        routes.setdefault(name, Route(name, tuple(regex.groupindex)))
    return routes


def api_operations(client: Any) -> dict[str, tuple[str, str]]:
    """Every operation of ``/api/openapi.json`` as "METHOD /path" → (method, path)."""
    schema = client.get("/api/openapi.json").json()
    return {
        f"{method.upper()} {path}": (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in API_METHODS
    }


# --- filling paths ---------------------------------------------------------------------------


# The format a route with a ``fmt`` parameter is asked for, where it serves no JSON.
FORMATS = {"secretariat:missing_evidence_file": "csv"}


def web_kwargs(world: World, route: Route, phase: str, big: str | None = None) -> dict[str, Any]:
    """Real objects of the phase's cycle (unit A's) for each parameter; ``big`` instead of
    every id when given."""
    a = world.assessments[phase]
    values: dict[str, Any] = {
        "cycle_id": world.cycles[phase].pk,
        "assessment_id": a.pk,
        "entry_id": getattr(world.entries.get(phase), "pk", 0),
        "evidence_id": getattr(world.evidence.get(phase), "pk", 0),
        "explanation_id": getattr(world.explanations.get(phase), "pk", 0),
        "notice_id": 0,  # nobody's notice: each person opens only their own
        "token_id": world.token_id,
        "attempt_id": world.attempt_id,
        "job_id": world.jobs.get(phase, 0),
        "questionnaire_id": world.questionnaires.get(phase, 0),
        "batch_id": world.code_batches.get(phase, 0),
        "answer_code": world.answer_codes.get(phase, "x"),
        "version": 1,
        "code": LEVEL_LEAF,
        "unit_code": a.unit.code,
        "name": "results.csv",
        "fmt": FORMATS.get(route.name, "json"),
    }
    kwargs = {}
    for p in route.params:
        if p not in values:
            # A new parameter: the attempt id of a lockout, and what else arrives, is an id.
            values[p] = 1 if p.endswith("_id") else "x"
        is_id = p.endswith("_id") or p == "version"
        kwargs[p] = big if big is not None and is_id else values[p]
    return kwargs


def web_url(world: World, route: Route, phase: str, big: str | None = None) -> str:
    kwargs = web_kwargs(world, route, phase, big)
    if big is None:
        return reverse(route.name, kwargs=kwargs)
    # reverse() checks ints against \d+ only; a huge number still reverses.
    return reverse(route.name, kwargs=kwargs)


def api_url(world: World, path: str, phase: str) -> str:
    a = world.assessments[phase]
    values = {
        "assessment_id": a.pk,
        "cycle_id": world.cycles[phase].pk,
        "unit_code": a.unit.code,
        "slug": a.cycle.methodology.slug,
        "code": a.unit.code if path.startswith("/api/units/") else LEVEL_LEAF,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "x")), path)


def api_body(world: World, path: str, phase: str) -> dict[str, Any]:
    """A request body that the operation accepts when the phase does."""
    version = getattr(world.entries.get(phase), "version", 0)
    if path.endswith("/self-assessment"):
        return {"inputs": {"level": "on_time"}, "note": "", "version": version}
    if path.endswith("/appraisal"):
        return {"points": "0", "reason": "Thiếu tài liệu", "version": version}
    return {}


# --- sending ---------------------------------------------------------------------------------


class CycleErrors:
    """Counts the services' refusals (``CycleError`` and its kinds) raised while it is on."""

    def __init__(self) -> None:
        self.count = 0
        self._init = services.CycleError.__init__

    def __enter__(self) -> CycleErrors:
        counter = self
        original = self._init

        def counting(exc: Any, *args: Any, **kwargs: Any) -> None:
            counter.count += 1
            original(exc, *args, **kwargs)

        services.CycleError.__init__ = counting  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        services.CycleError.__init__ = self._init  # type: ignore[method-assign]


def _is_login(response: Any) -> bool:
    login = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    location = response.get("Location", "")
    return response.status_code in (301, 302) and (
        location.startswith(login) or location.startswith("/admin/login/")
    )


@dataclass
class Answer:
    outcome: str
    status: int
    wrote: bool


def send(client: Any, method: str, url: str, **kwargs: Any) -> Answer:
    """Sends the request inside a savepoint that is rolled back (the world never changes),
    and names the outcome."""
    cookies = copy.deepcopy(client.cookies)  # signing out or in must not last either
    with transaction.atomic(), CycleErrors() as refusals:
        before = AuditRecord.objects.count()
        response = getattr(client, method)(url, **kwargs)
        wrote = AuditRecord.objects.count() > before
        transaction.set_rollback(True)
    client.cookies = cookies
    return Answer(outcome(method, response, wrote, refusals.count > 0), response.status_code, wrote)


def outcome(method: str, response: Any, wrote: bool, refused: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"server_error {status}"
    if status == 401 or _is_login(response):
        return "login"
    named = {403: "forbidden", 404: "not_found", 405: "method", 409: "closed"}
    if status in named:
        return named[status]
    if method == "get" or wrote:
        return "ok" if status < 400 else "invalid"
    if refused:
        return "closed"
    return "ok" if status in (201, 204) or 300 <= status < 400 else "invalid"


def api_send(world: World, role: str, method: str, path: str, phase: str) -> Answer:
    headers = {}
    if role in world.tokens:
        headers["authorization"] = f"Bearer {world.tokens[role]}"
    client = world.clients["anonymous"]  # the API is token-only: no session
    url = api_url(world, path, phase)
    kwargs: dict[str, Any] = {"headers": headers}
    if method in ("put", "patch") or (method == "post" and not path.endswith("/evidence")):
        kwargs |= {"data": json.dumps(api_body(world, path, phase))}
        kwargs["content_type"] = "application/json"
    elif method == "post":
        kwargs["data"] = {"file": pdf_upload(), "doc_number": "01/KH"}
    return send(client, method, url, **kwargs)


def pdf_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    return SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
