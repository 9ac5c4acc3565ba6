"""Read access to published results, shared by the public pages, reports, bundle and API.

Everything public comes from :class:`~parindex_web.cycles.models.Publication` snapshots, never
from live entries: what was published stays as published. Unit codes in a snapshot are
``Unit.code``; names come from the units table.

Year-over-year: the previous cycle is the same body's published cycle of the year before with a
methodology for the same unit type. A current unit's predecessors are found through
``Succession`` links (e.g. 63 → 34 provinces on 1 July 2025): an unchanged unit compares with
itself, a merged unit with the mean of its predecessors' indices, weighted by their published
shares where every link has one (the core's :func:`parindex.compare_with_previous` does this;
``basis`` and ``method`` say which).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Max
from django.http import Http404

import parindex
from parindex.compare import NO_COMPARISON, Comparison
from parindex_web.units.models import Succession, Unit

from .models import Cycle, Publication
from .snapshot import Snapshot


def published_cycles() -> list[Cycle]:
    """Cycles with at least one publication, newest year first."""
    return list(
        Cycle.objects.filter(publications__isnull=False)
        .select_related("body", "methodology")
        .distinct()
        .order_by("-year", "name")
    )


def unit_matches(query: str, code: str, unit: Unit | None) -> bool:
    """The one search over units (the ranking, its twins and the API): the code, the short,
    full and English names, ignoring tones, case and repeated spaces (:func:`parindex.matches`)."""
    names = (unit.short_name, unit.name, unit.name_en) if unit is not None else ()
    return parindex.matches(query, (code, *names))


def latest_publication(cycle: Cycle) -> Publication | None:
    return cycle.publications.order_by("-version").first()


@dataclass
class Published:
    """One publication with what pages need around it."""

    cycle: Cycle
    publication: Publication
    units: dict[str, Unit] = field(default_factory=dict)

    @cached_property
    def results(self) -> dict[str, Any]:
        data: dict[str, Any] = self.publication.results_json
        return data

    @cached_property
    def snapshot(self) -> Snapshot:
        """The results typed (figures as decimals with the published places)."""
        return Snapshot.from_json(self.results)

    @cached_property
    def methodology(self) -> parindex.Methodology:
        fmt = self.publication.methodology_format
        text = self.publication.methodology_text
        if fmt == "csv":
            return parindex.parse_methodology_csv(text, self.cycle.methodology.slug)
        return parindex.parse_methodology_yaml(text, self.cycle.methodology.slug)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The units' results (ranked order) as stored, each with ``name``, the unit
        (``unit_obj``) and its typed :class:`~.snapshot.UnitResult` (``result``) added."""
        out = []
        for row, result in zip(self.results["units"], self.snapshot.units, strict=True):
            unit = self.units.get(row["unit"])
            name = unit.label if unit else row["unit"]
            out.append({**row, "name": name, "unit_obj": unit, "result": result})
        return out

    def unit_row(self, code: str) -> dict[str, Any]:
        for row in self.rows:
            if row["unit"] == code:
                return row
        raise Http404

    @cached_property
    def previous(self) -> Published | None:
        """The same body's published cycle of the previous year, same unit type."""
        cycle = (
            Cycle.objects.filter(
                body=self.cycle.body,
                year=self.cycle.year - 1,
                methodology__unit_type=self.cycle.methodology.unit_type,
                publications__isnull=False,
            )
            .distinct()
            .first()
        )
        return load(cycle) if cycle is not None else None

    @cached_property
    def comparisons(self) -> dict[str, Comparison]:
        """Unit code → comparison with the previous cycle (the core's
        :func:`parindex.compare_with_previous`, with the methodology's places and rounding)."""
        prev = self.previous
        if prev is None:
            return {u.unit: NO_COMPARISON for u in self.snapshot.units}
        current = {u.unit: u.index for u in self.snapshot.units}
        before = {u.unit: parindex.Previous(u.index, u.rank) for u in prev.snapshot.units}
        links = [
            parindex.Succession(
                s.predecessor.code, s.successor.code, s.effective, s.weight, s.primary, s.basis
            )
            for s in Succession.objects.filter(successor__code__in=current).select_related(
                "predecessor", "successor"
            )
        ]
        names = {code: unit.label for code, unit in {**prev.units, **self.units}.items()}
        return parindex.compare_with_previous(
            current,
            before,
            links,
            places=self.snapshot.places,
            rounding=self.methodology.rounding,
            names=names,
        )


def load(cycle: Cycle, version: int | None = None) -> Published:
    """The cycle's publication (latest unless ``version``); 404 when there is none."""
    pubs = cycle.publications.all()
    if version is not None:
        pubs = pubs.filter(version=version)
    publication = pubs.order_by("-version").first()
    if publication is None:
        raise Http404
    codes = [row["unit"] for row in publication.results_json["units"]]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    return Published(cycle=cycle, publication=publication, units=units)


def load_by_id(cycle_id: int, version: int | None = None) -> Published:
    cycle = Cycle.objects.select_related("body", "methodology").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return load(cycle, version)


def cache_version() -> int:
    """Grows with every publication: a cache key part that invalidates public pages."""
    return Publication.objects.aggregate(v=Max("pk"))["v"] or 0
