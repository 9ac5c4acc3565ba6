"""Public results: published cycles, ranking, component indices, summary, methodology.

Read-only GETs for everyone, no login. Every page has ``.json`` and ``.csv`` twins (the same
view with ``fmt``); their schemas are documented in docs/public-data.md. Everything comes from
publication snapshots (a cycle without one is a 404) and is served through :mod:`.caching`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.published import Published
from parindex_web.lib.pages import page_of

from . import data, serializers
from .caching import public


def _twin(fmt: str, content: Any, filename: str) -> HttpResponse:
    """A JSON or CSV twin, open to scripts on other sites (the data are public)."""
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            content, json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    else:
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _load(request: HttpRequest, cycle_id: int) -> Published:
    """The cycle's latest publication, or the one ``?version=`` names; 404 when there is none."""
    version = request.GET.get("version", "")
    return published.load_by_id(cycle_id, int(version) if version.isdigit() else None)


def _context(pub: Published, page: str) -> dict[str, Any]:
    cycle = serializers.published_cycle_info(pub)
    base = serializers.cycle_url(pub.cycle.pk)
    return {
        "cycle": cycle,
        "page": page,
        "example": cycle["example"],
        "published_at": pub.publication.published_at,
        "base": base,
        # The twins: the page's path without its trailing slash, plus .json or .csv.
        "twin": base.rstrip("/") if page == "ranking" else base + page,
        "stats": data.total_stats(pub),
        "places": pub.header["places"],
    }


@public
def index(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    cycles = data.cycle_list()
    if fmt == "json":
        rows = [{k: v for k, v in c.items() if k != "published"} for c in cycles]
        return _twin(fmt, {"cycles": rows}, "")
    if fmt == "csv":
        return _twin(fmt, data.cycles_csv(cycles), "parindex-results")
    return render(
        request,
        "results/index.html",
        {"cycles": cycles, "any_example": any(c["example"] for c in cycles)},
    )


@public
def ranking(request: HttpRequest, cycle_id: int, fmt: str = "html") -> HttpResponse:
    pub = _load(request, cycle_id)
    group, q = request.GET.get("group", "").strip(), request.GET.get("q", "").strip()
    everyone = serializers.ranked_units(pub)
    found = serializers.search(everyone, group, q)
    if fmt == "json":
        return _twin(fmt, data.ranking_json(pub, found, group, q, len(everyone)), "")
    rows = [u.page() for u in found]
    if fmt == "csv":
        return _twin(fmt, data.ranking_csv(pub, rows), f"parindex-{cycle_id}-ranking")
    pager = page_of(request, rows)
    return render(
        request,
        "results/ranking.html",
        {
            **_context(pub, "ranking"),
            "rows": pager.rows,
            "pager": pager,
            "matching": len(rows),
            "total_units": len(everyone),
            "group": group,
            "q": q,
            "bands": data.bands(pub),
            "fields": data.fields(pub),
            "sources": data.sources(pub),
            "versions": data.versions(pub),
            "query": request.GET.urlencode(),
            "has_previous": pub.previous is not None,
        },
    )


@public
def components(request: HttpRequest, cycle_id: int, fmt: str = "html") -> HttpResponse:
    pub = _load(request, cycle_id)
    table = data.components(pub)
    if fmt == "json":
        return _twin(fmt, data.components_json(pub, table), "")
    if fmt == "csv":
        return _twin(fmt, data.components_csv(pub, table), f"parindex-{cycle_id}-components")
    pager = page_of(request, table["units"])
    return render(
        request,
        "results/components.html",
        {
            **_context(pub, "components"),
            "table": {**table, "units": pager.rows},
            "pager": pager,
            "fields": data.fields(pub),
        },
    )


@public
def summary(request: HttpRequest, cycle_id: int, fmt: str = "html") -> HttpResponse:
    pub = _load(request, cycle_id)
    content = data.summary(pub, data.unit_rows(pub))
    if fmt == "json":
        return _twin(fmt, content, "")
    if fmt == "csv":
        return _twin(fmt, data.summary_csv(content), f"parindex-{cycle_id}-summary")
    labels = {
        "units": _("Number of units"),
        "group": _("Group"),
        "index_range": _("Index range (per cent)"),
        "last_year": _("Last year (per cent)"),
        "this_year": _("This year (per cent)"),
    }
    return render(
        request,
        "results/summary.html",
        {**_context(pub, "summary"), "summary": content, "chart_labels": labels},
    )


@public
def methodology(request: HttpRequest, cycle_id: int, fmt: str = "html") -> HttpResponse:
    pub = _load(request, cycle_id)
    m = pub.methodology
    if fmt == "json":
        return _twin(fmt, parindex.methodology_to_dict(m), "")
    if fmt == "csv":
        return _twin(fmt, data.methodology_csv(m), f"parindex-{cycle_id}-methodology")
    return render(
        request,
        "results/methodology.html",
        {
            **_context(pub, "methodology"),
            "m": m,
            "nodes": data.methodology_rows(m, pub.header["places"]),
            "counts": [len([n for n in m.nodes if m.level(n.code) == i]) for i in (1, 2, 3)],
            "bands": data.bands(pub),
        },
    )
