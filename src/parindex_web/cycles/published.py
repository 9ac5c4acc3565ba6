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
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.http import Http404

import parindex
from parindex.compare import NO_COMPARISON, Comparison
from parindex_web.reports import stored
from parindex_web.units.models import Succession, Unit

from .models import Cycle, Publication
from .snapshot import Snapshot, Stats, max_total_of, stats_of, unit_result

# A publication's columns that only some readers need (the results document, the files).
HEAVY = ("results_json", "results_csv", "scores_csv", "methodology_text")
METHODOLOGY_SECONDS = 24 * 3600


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
    """The cycle's latest publication, its heavy columns left unread until asked for."""
    return cycle.publications.defer(*HEAVY).order_by("-version").first()


def unit_count(publication: Publication) -> int:
    """Units in the publication's results (counted in its per-unit rows)."""
    return stored.unit_count(publication.pk)


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
        """The methodology as published, parsed once per publication and kept in Django's
        shared cache (parsing a 100-leaf YAML file takes about 0.2 s; reading it back, 1 ms)."""
        p = self.publication
        key = f"published-methodology:1:{p.pk}:{p.content_hash[:16]}"
        kept: parindex.Methodology | None = cache.get(key)
        if kept is None:
            text, slug = p.methodology_text, self.cycle.methodology.slug
            if p.methodology_format == "csv":
                kept = parindex.parse_methodology_csv(text, slug)
            else:
                kept = parindex.parse_methodology_yaml(text, slug)
            cache.set(key, kept, METHODOLOGY_SECONDS)
        return kept

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The units' results (ranked order) as stored, each with ``name``, the unit
        (``unit_obj``) and its typed :class:`~.snapshot.UnitResult` (``result``) added."""
        out = []
        for row, result in zip(self.results["units"], self.snapshot.units, strict=True):
            unit = self.units.get(row["unit"])
            out.append(
                {**row, "name": self.name_of(row["unit"]), "unit_obj": unit, "result": result}
            )
        return out

    def name_of(self, code: str) -> str:
        """The unit's name in tables (its short name), or its code when it is not on the site."""
        unit = self.units.get(code)
        return unit.label if unit else code

    def unit_row(self, code: str) -> dict[str, Any]:
        """The unit's row as :attr:`rows` gives it, read alone from the per-unit rows."""
        row = stored.rows_of(self.publication.pk, {code}).get(code)
        if row is None:
            raise Http404
        unit, result = self.units.get(code), unit_result(row)
        return {**row, "name": self.name_of(code), "unit_obj": unit, "result": result}

    @cached_property
    def header(self) -> dict[str, Any]:
        """The results without their units (places, bands, stats, methodology), read from
        :func:`parindex_web.reports.stored.header`, not from the results document."""
        return stored.header(self.publication.pk)

    @cached_property
    def field_rows(self) -> list[dict[str, Any]]:
        """Every unit's row as published with its fields only (the nodes of level 1), in rank
        order (:func:`parindex_web.reports.stored.ranked_rows`)."""
        return stored.ranked_rows(self.publication.pk)

    @property
    def max_total(self) -> Decimal:
        return max_total_of(self.header)

    @cached_property
    def stats(self) -> dict[str, Stats]:
        """The snapshot's statistics per node code (and ``total``), typed."""
        return stats_of(self.header)

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
    def ranks(self) -> dict[str, tuple[Decimal, int]]:
        """Unit code → its published index and rank, in rank order, read from the per-unit rows
        (:func:`parindex_web.reports.stored.index_ranks`), not from the results document."""
        return stored.index_ranks(self.publication.pk)

    @cached_property
    def comparisons(self) -> dict[str, Comparison]:
        """Unit code → comparison with the previous cycle (the core's
        :func:`parindex.compare_with_previous`, with the methodology's places and rounding)."""
        current = {code: index for code, (index, _rank) in self.ranks.items()}
        prev = self.previous
        if prev is None:
            return dict.fromkeys(current, NO_COMPARISON)
        before = {
            code: parindex.Previous(index, rank) for code, (index, rank) in prev.ranks.items()
        }
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
            places=int(self.header["places"]),
            rounding=self.methodology.rounding,
            names=names,
        )


def load(cycle: Cycle, version: int | None = None) -> Published:
    """The cycle's publication (latest unless ``version``); 404 when there is none."""
    pubs = cycle.publications.all()
    if version is not None:
        pubs = pubs.filter(version=version)
    # The heavy columns are read when a page needs them (a comparison does not).
    publication = pubs.defer(*HEAVY).order_by("-version").first()
    if publication is None:
        raise Http404
    codes = stored.unit_codes(publication.pk)
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    return Published(cycle=cycle, publication=publication, units=units)


def load_by_id(cycle_id: int, version: int | None = None) -> Published:
    cycle = Cycle.objects.select_related("body", "methodology").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return load(cycle, version)


def cache_version() -> int:
    """Grows with every publication: a cache key part that invalidates public pages.

    Read on every request for a cached page, so written as the one indexed query it is: the
    ORM's ``aggregate(Max("pk"))`` spent about 0.25 ms building it, ten times the read itself
    (docs/deployment.md, ``bench/publish_load.py`` on 8 December 2026)."""
    connection = connections[router.db_for_read(Publication)]
    quote = connection.ops.quote_name
    meta = Publication._meta
    column = meta.pk.column
    assert column is not None  # a concrete primary key
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(meta.db_table)}")
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0
