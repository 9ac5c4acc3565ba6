"""Public unit profiles and the province map, each with ``.json`` and ``.csv`` twins.

Read-only GETs with no login, from publication snapshots only (a cycle without a publication is
404, as is a unit that is not in it). Figures are the snapshot's; see :mod:`.data`.

A unit's profile is computed once per publication and kept in Django's shared cache
(:func:`cached_profile`): its key holds the publication (pk and content hash), the site's
publication counter (the history and last year's comparison may change with another cycle's
publication), the language and the unit. A cached profile is served after one small query for
the latest publication that leaves its results (``results_json``) unread.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.models import Cycle, Publication
from parindex_web.lib.ids import is_key
from parindex_web.reports import stored
from parindex_web.results import labels, serializers

from . import data as d


def _json(payload: dict[str, Any]) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(columns: list[str], rows: list[dict[str, Any]], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _sentence(kind: str) -> str:
    """The sentence for a succession event; %(units)s, %(partners)s, %(date)s, %(basis)s."""
    return {
        "merged": _("Merged from %(units)s on %(date)s%(basis)s."),
        "continues": _("Continues %(units)s, unchanged on %(date)s%(basis)s."),
        "successor": _("Succeeds %(units)s since %(date)s%(basis)s."),
        "split": _("Formed on %(date)s from parts of %(units)s%(basis)s."),
        "merged_into": _("On %(date)s merged with %(partners)s into %(units)s%(basis)s."),
        "continued_by": _("Continues from %(date)s as %(units)s%(basis)s."),
        "succeeded_by": _("Succeeded on %(date)s by %(units)s%(basis)s."),
        "split_into": _("Divided on %(date)s among %(units)s%(basis)s."),
    }[kind]


def _names(units: list[dict[str, Any]]) -> SafeString:
    parts = [
        format_html('<a href="{}">{}</a>', u["url"], u["name"]) if u.get("url") else u["name"]
        for u in units
    ]
    return mark_safe(", ".join(conditional_escape(p) for p in parts))


def describe(event: dict[str, Any]) -> SafeString:
    """One succession event as a sentence, unit names linked to their profiles where known."""
    basis = f" ({event['basis']})" if event["basis"] else ""
    values = {
        "units": _names(event["units"]),
        "partners": _names(event["partners"]),
        "date": formats.date_format(date.fromisoformat(event["effective"]), "DATE_FORMAT"),
        "basis": conditional_escape(basis),
    }
    return mark_safe(escape(_sentence(event["kind"])) % values)


PROFILE_SECONDS = 3600


def cached_profile(cycle_id: int, unit_code: str) -> dict[str, Any]:
    """``{"data": the profile, "places": …, "fields_only": …}`` of the cycle's latest
    publication, computed on the first request and then read from the cache (but for the
    cycle's header, read each time); 404 when the cycle has no publication or the unit is not in
    it (that answer is kept too)."""
    if not is_key(cycle_id):  # beyond the database's keys: no such cycle
        raise Http404
    cycle = Cycle.objects.select_related("body", "methodology").filter(pk=cycle_id).first()
    latest = (
        Publication.objects.filter(cycle_id=cycle_id)
        .defer(*published.HEAVY)
        .order_by("-version")
        .first()
    )
    if cycle is None or latest is None:
        raise Http404
    key = ":".join(
        [
            "profile:2",
            str(latest.pk),
            latest.content_hash[:16],
            str(published.cache_version()),
            get_language() or "",
            unit_code,
        ]
    )
    kept: dict[str, Any] | None = cache.get(key)
    if kept is None and not stored.has_unit(latest.pk, unit_code):
        kept = {"missing": True}  # found out from the unit rows, without the whole results
        cache.set(key, kept, PROFILE_SECONDS)
    if kept is None:
        pub = published.load_by_id(cycle_id)
        try:
            kept = {
                "data": d.profile(pub, unit_code),
                "places": pub.header["places"],
                "methodology": serializers.snapshot_methodology(pub),
                "fields_only": all(
                    pub.methodology.level(leaf.code) == 1 for leaf in pub.methodology.leaves
                ),
            }
        except Http404:
            kept = {"missing": True}
        cache.set(key, kept, PROFILE_SECONDS)
    if kept.get("missing"):
        raise Http404
    # The cycle's own fields (its name, the example flag) are read afresh: they may be edited.
    info = serializers.cycle_info(cycle, latest, kept["methodology"], kept["places"])
    header = serializers.profile_cycle(info)
    return {**kept, "data": {**kept["data"], "cycle": header}}


@require_safe
def unit(request: HttpRequest, cycle_id: str, unit_code: str, fmt: str = "") -> HttpResponse:
    kept = cached_profile(int(cycle_id), unit_code)
    payload = kept["data"]
    if fmt == "json":
        return _json(payload)
    if fmt == "csv":
        rows = d.profile_rows(payload)
        return _csv(d.PROFILE_CSV_COLUMNS, rows, f"{cycle_id}-{unit_code}.csv")
    context = {
        "data": payload,
        "places": kept["places"],
        "results_url": d.results_url(),
        "fields_only": kept["fields_only"],
        "sources": [{**s, "name": labels.source_label(s["source"])} for s in payload["by_source"]],
        "formed": [describe(e) for e in payload["formed"]],
        "became": [describe(e) for e in payload["became"]],
        "i18n": {
            "unit": payload["unit"]["name"],
            "mean": _("Mean of all units"),
            "best": _("Best unit"),
            "index": _("Index (%)"),
            "rank": _("Rank"),
            "former": _("former"),
        },
    }
    return render(request, "profiles/unit.html", context)


@require_safe
def province_map(request: HttpRequest, cycle_id: str | int, fmt: str = "") -> HttpResponse:
    pub = published.load_by_id(int(cycle_id))
    payload = d.province_map(pub)
    if payload is None:
        raise Http404
    if fmt == "json":
        return _json(payload)
    if fmt == "csv":
        return _csv(d.MAP_CSV_COLUMNS, payload["tiles"], f"{pub.cycle.pk}-map.csv")
    by_name = sorted(payload["tiles"], key=lambda t: (parindex.vi_sort_key(t["name"]), t["unit"]))
    context = {
        "data": payload,
        "places": pub.header["places"],
        "by_name": by_name,
        "ranking_url": d.ranking_url(pub.cycle.pk),
        "results_url": d.results_url(),
        "map_url": reverse("profiles:map", kwargs={"cycle_id": pub.cycle.pk}),
        "i18n": {
            "index": _("Index (%)"),
            "rank": _("Rank"),
            "group": _("Group"),
            "no_group": _("No group"),
            "of": _("of"),
            "hoang_sa": _("Hoàng Sa (Đà Nẵng)"),
            "truong_sa": _("Trường Sa (Khánh Hòa)"),
        },
    }
    return render(request, "profiles/map.html", context)
