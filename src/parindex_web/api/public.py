"""Public read endpoints (no token): published cycles and results, methodologies, units.

Results come only from publication snapshots through :mod:`parindex_web.cycles.published`: a
cycle without a publication does not exist here (404), and live entries are never read.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.models import Cycle, Publication
from parindex_web.lib.ids import MAX_ID
from parindex_web.methodologies.models import Methodology
from parindex_web.results import serializers
from parindex_web.units.models import Succession, Unit

from .errors import PUBLIC_ERRORS
from .pagination import Pages
from .schemas import (
    CycleDetailOut,
    CycleOut,
    ErrorOut,
    Id,
    IsoDate,
    MethodologyDetailOut,
    MethodologyOut,
    PublicationOut,
    ResultRow,
    UnitDetailOut,
    UnitOut,
    UnitResultOut,
)

router = Router(tags=["public"])


def _responses(ok: Any) -> dict[int | frozenset[int], Any]:
    return {200: ok, PUBLIC_ERRORS: ErrorOut}


def _publication(p: Publication) -> dict[str, Any]:
    return {
        "version": p.version,
        "published_at": p.published_at,
        "reason": p.reason,
        "content_hash": p.content_hash,
    }


def _cycle(cycle: Cycle, latest: Publication) -> dict[str, Any]:
    m = cycle.methodology
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "year": cycle.year,
        "body": {"code": cycle.body.code, "name": cycle.body.name},
        "methodology": {
            "slug": m.slug,
            "name": m.name,
            "unit_type": m.unit_type,
            "example": m.example,
        },
        "unit_type": m.unit_type,
        "example": cycle.is_example,
        "latest": _publication(latest),
        "units": published.unit_count(latest),
    }


# --- cycles ------------------------------------------------------------------------------------


class CycleFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2999, description="Cycle year.")
    body: str | None = Field(None, description="Assessing body code, e.g. `bnv`.")
    unit_type: str | None = Field(None, description="e.g. `province`, `commune`.")


@router.get("/cycles", response=_responses(list[CycleOut]), summary="Published cycles")
@paginate(Pages)
def cycles(request: HttpRequest, filters: Query[CycleFilters]) -> list[dict[str, Any]]:
    """Cycles with at least one publication, newest year first."""
    found = published.published_cycles()
    if filters.year is not None:
        found = [c for c in found if c.year == filters.year]
    if filters.body:
        found = [c for c in found if c.body.code == filters.body]
    if filters.unit_type:
        found = [c for c in found if c.methodology.unit_type == filters.unit_type]
    # Each cycle found has a publication; one deleted in between (with its cycle) is left out.
    return [
        _cycle(c, latest) for c in found if (latest := published.latest_publication(c)) is not None
    ]


@router.get("/cycles/{cycle_id}", response=_responses(CycleDetailOut), summary="A cycle")
def cycle(request: HttpRequest, cycle_id: Id) -> dict[str, Any]:
    """A published cycle: its fields, bands, statistics and every publication."""
    pub = published.load_by_id(cycle_id)
    m = pub.methodology
    previous = pub.previous
    return {
        **_cycle(pub.cycle, pub.publication),
        "places": pub.header["places"],
        "fields": [
            {
                "code": f.code,
                "name": f.name,
                "name_en": f.name_en,
                "max_points": f"{f.max_points.normalize():f}",
            }
            for f in m.fields
        ],
        "bands": pub.header["bands"],
        "stats": pub.header["stats"],
        "publications": [_publication(p) for p in pub.cycle.publications.order_by("-version")],
        "previous_cycle": previous.cycle.pk if previous is not None else None,
    }


@router.get(
    "/cycles/{cycle_id}/publications",
    response=_responses(list[PublicationOut]),
    summary="Publications of a cycle",
)
@paginate(Pages)
def publications(request: HttpRequest, cycle_id: Id) -> list[dict[str, Any]]:
    """Every published version, newest first; a correction carries its reason."""
    pub = published.load_by_id(cycle_id)
    return [_publication(p) for p in pub.cycle.publications.order_by("-version")]


class ResultFilters(Schema):
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="Publication version (default: latest)."
    )
    group: str | None = Field(None, description="Only units in this group (band label).")
    q: str | None = Field(
        None, max_length=100, description="Search unit names and codes, ignoring diacritics."
    )


@router.get("/cycles/{cycle_id}/results", response=_responses(list[ResultRow]), summary="Results")
@paginate(Pages)
def results(
    request: HttpRequest, cycle_id: Id, filters: Query[ResultFilters]
) -> list[dict[str, Any]]:
    """Every unit's published result, in rank order."""
    pub = published.load_by_id(cycle_id, filters.version)
    found = serializers.search(serializers.ranked_units(pub), filters.group, filters.q)
    return [u.api() for u in found]


class VersionFilter(Schema):
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="Publication version (default: latest)."
    )


@router.get(
    "/cycles/{cycle_id}/results/{unit_code}",
    response=_responses(UnitResultOut),
    summary="One unit's result",
)
def unit_result(
    request: HttpRequest, cycle_id: Id, unit_code: str, filters: Query[VersionFilter]
) -> dict[str, Any]:
    """One unit's published result with every node of the methodology."""
    pub = published.load_by_id(cycle_id, filters.version)
    found = next((u for u in serializers.ranked_units(pub) if u.unit == unit_code), None)
    if found is None:
        raise Http404
    m = pub.methodology
    nodes = [
        {**n, "name": m.by_code[n["code"]].name if n["code"] in m.by_code else n["code"]}
        for n in pub.unit_row(unit_code)["nodes"]
    ]
    return {
        **found.api(),
        "cycle": pub.cycle.pk,
        "version": pub.publication.version,
        "nodes": nodes,
    }


# --- methodologies --------------------------------------------------------------------------------


@router.get("/methodologies", response=_responses(list[MethodologyOut]), summary="Methodologies")
@paginate(Pages)
def methodologies(request: HttpRequest) -> list[dict[str, Any]]:
    """Every methodology (criteria set) on this site: they are public documents."""
    return [
        {
            "slug": m.slug,
            "name": m.name,
            "unit_type": m.unit_type,
            "example": m.example,
            "decision_number": m.decision_number,
            "format": m.source_format,
            "sha256": m.sha256,
        }
        for m in Methodology.objects.order_by("slug").defer("source_text")
    ]


@router.get(
    "/methodologies/{slug}",
    response=_responses(MethodologyDetailOut),
    summary="A methodology",
    exclude_unset=True,
)
def methodology(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The whole tree with maximum points and scoring rules (``parindex.methodology_to_dict``)."""
    m = get_object_or_404(Methodology, slug=slug)
    return {"slug": m.slug, "sha256": m.sha256, **parindex.methodology_to_dict(m.core())}


# --- units -------------------------------------------------------------------------------------


class UnitFilters(Schema):
    unit_type: Unit.Type | None = Field(None, description="Only units of this type.")
    valid_on: IsoDate | None = Field(None, description="Only units that existed on this date.")
    body: str | None = Field(None, description="Only units assessed by this body (code).")
    q: str | None = Field(
        None, max_length=100, description="Search names and codes, ignoring diacritics."
    )


def _unit(u: Unit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "name_en": u.name_en,
        "unit_type": u.unit_type,
        "body": u.body.code if u.body is not None else None,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
        "lat": u.lat,
        "lon": u.lon,
    }


@router.get("/units", response=_responses(list[UnitOut]), summary="Units")
@paginate(Pages)
def units(request: HttpRequest, filters: Query[UnitFilters]) -> list[dict[str, Any]]:
    """Assessed units (ministries, provinces, communes…), ordered by code."""
    found = Unit.objects.select_related("body").order_by("code")
    if filters.unit_type:
        found = found.filter(unit_type=filters.unit_type)
    if filters.body:
        found = found.filter(body__code=filters.body)
    if filters.valid_on:
        day = filters.valid_on
        found = found.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
    rows = list(found)
    if filters.q:
        rows = [u for u in rows if published.unit_matches(filters.q, u.code, u)]
    return [_unit(u) for u in rows]


def _link(unit: Unit, s: Succession) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "effective": s.effective,
        "weight": None if s.weight is None else f"{s.weight.normalize():f}",
        "primary": s.primary,
        "basis": s.basis,
    }


@router.get("/units/{code}", response=_responses(UnitDetailOut), summary="A unit")
def unit(request: HttpRequest, code: str) -> dict[str, Any]:
    """A unit with its successions (what it came from, what it became)."""
    u = get_object_or_404(Unit.objects.select_related("body"), code=code)
    before = Succession.objects.filter(successor=u).select_related("predecessor")
    after = Succession.objects.filter(predecessor=u).select_related("successor")
    return {
        **_unit(u),
        "predecessors": [_link(s.predecessor, s) for s in before.order_by("predecessor__code")],
        "successors": [_link(s.successor, s) for s in after.order_by("successor__code")],
    }
