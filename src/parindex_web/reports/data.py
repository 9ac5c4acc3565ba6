"""What the downloads show, read from one publication: rows, tables, labels, file names.

Everything comes from :mod:`parindex_web.cycles.published` (the snapshot the public pages use);
nothing here scores or aggregates. Figures are the snapshot's published strings turned into
decimals, so the workbook, the PDF and the pages agree to the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

import parindex
from parindex import Comparison
from parindex_web.cycles.published import Published
from parindex_web.cycles.snapshot import NodeResult
from parindex_web.results import labels
from parindex_web.results.palette import band_colour

# Sources in the order the tables list them.
SOURCES = [s.value for s in parindex.Source]


def rounding_text(places: int) -> str:
    return _(
        "Points and indices are computed exactly and each published figure is rounded half up "
        "to %(places)s decimal places on its own, so the rounded parts may not add up to the "
        "rounded total by one unit in the last place. Ranks are competition ranks (1, 2, 2, 4) "
        "on the rounded total index."
    ) % {"places": places}


def file_stem(published: Published) -> str:
    """``chi-so-cchc-<year>-<cycle id>-v<version>``: the start of every download's name."""
    cycle, pub = published.cycle, published.publication
    return f"chi-so-cchc-{cycle.year}-{cycle.pk}-v{pub.version}"


@dataclass
class Row:
    """One unit of the ranking, with everything the tables show."""

    rank: int
    code: str
    name: str
    total_points: Decimal
    index: Decimal
    group: str
    group_colour: str
    by_source: dict[str, Decimal | None]
    fields: dict[str, tuple[Decimal, Decimal]]  # field code → (points, index)
    nodes: dict[str, NodeResult]
    comparison: Comparison
    basis: str

    @property
    def field_points(self) -> list[Decimal]:
        return [points for points, _index in self.fields.values()]

    @property
    def field_indices(self) -> list[Decimal]:
        return [index for _points, index in self.fields.values()]


@dataclass
class Report:
    """A publication read for the downloads."""

    published: Published
    rows: list[Row]
    fields: list[parindex.Node]
    sources: list[str]
    stats: list[tuple[str, str, dict[str, Decimal | int]]]  # (code, label, stats)
    bands: list[tuple[str, Decimal, str]]  # (label, minimum, colour)
    places: int
    example: bool

    @property
    def cycle(self) -> Any:
        return self.published.cycle

    @property
    def publication(self) -> Any:
        return self.published.publication

    @property
    def methodology(self) -> parindex.Methodology:
        return self.published.methodology

    @property
    def number_format(self) -> str:
        return "0" if self.places == 0 else "0." + "0" * self.places

    @property
    def published_on(self) -> Any:
        return timezone.localtime(self.publication.published_at).date()

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def stat(self, code: str) -> dict[str, Decimal | int]:
        for c, _label, values in self.stats:
            if c == code:
                return values
        return {}

    def best(self, field: str) -> Decimal | None:
        values = [r.fields[field][1] for r in self.rows if field in r.fields]
        return max(values) if values else None

    def group_counts(self) -> list[tuple[str, int, str]]:
        return [
            (label, sum(1 for r in self.rows if r.group == label), colour)
            for label, _minimum, colour in self.bands
        ]

    def info(self) -> list[tuple[str, str]]:
        """The "about" lines: cycle, body, year, methodology, version, hash, rounding."""
        m, cycle, pub = self.methodology, self.cycle, self.publication
        decision = m.decision.number
        if decision and m.decision.date:
            decision += " (" + m.decision.date.strftime("%d/%m/%Y") + ")"
        if decision and m.decision.issuer:
            decision += ", " + m.decision.issuer
        lines = [
            (_("Index cycle"), cycle.name),
            (_("Assessing body"), cycle.body.name),
            (_("Year"), str(cycle.year)),
            (_("Methodology"), m.name),
            (_("Decision"), decision or "—"),
            (_("Version"), str(pub.version)),
            (_("Published on"), self.published_on.strftime("%d/%m/%Y")),
            (_("Content hash (SHA-256)"), pub.content_hash),
            (_("Number of units"), str(len(self.rows))),
            (_("Rounding"), rounding_text(self.places)),
        ]
        if pub.reason:
            lines.insert(6, (_("Correction"), pub.reason))
        if self.example:
            lines.insert(0, (_("Warning"), example_warning()))
        return lines


def example_warning() -> str:
    return _("Example data – not official results")


def group_colour(bands: list[tuple[str, Decimal, str]], label: str | None) -> str:
    for name, _minimum, colour in bands:
        if name == label:
            return colour
    return ""


def build(published: Published) -> Report:
    """Read ``published`` into a :class:`Report`."""
    snapshot = published.snapshot
    m = published.methodology
    bands = [
        (b.label, b.min, band_colour(i, len(snapshot.bands))) for i, b in enumerate(snapshot.bands)
    ]
    comparisons = published.comparisons
    names = {code: unit.label for code, unit in published.units.items()}
    previous = published.previous
    if previous is not None:
        names.update({code: unit.label for code, unit in previous.units.items()})
    used_sources = {s for u in snapshot.units for s in u.by_source}
    sources = [s for s in SOURCES if s in used_sources]
    field_codes = {f.code for f in m.fields}
    rows = []
    for row in published.rows:
        u = row["result"]
        nodes = {n.code: n for n in u.nodes}
        comparison = comparisons.get(u.unit, Comparison("none"))
        rows.append(
            Row(
                rank=u.rank,
                code=u.unit,
                name=row["name"],
                total_points=u.total_points,
                index=u.index,
                group=u.group or "",
                group_colour=group_colour(bands, u.group),
                by_source={s: u.by_source[s].points if s in u.by_source else None for s in sources},
                fields={n.code: (n.points, n.index) for n in u.nodes if n.code in field_codes},
                nodes=nodes,
                comparison=comparison,
                basis=labels.basis_label(
                    comparison.basis, [names.get(c, c) for c in comparison.predecessors]
                ),
            )
        )
    stats = []
    for code, label in [(f.code, f.name) for f in m.fields] + [
        ("total", pgettext("statistics row", "Total index"))
    ]:
        s = snapshot.stats.get(code)
        if s is not None:
            values: dict[str, Decimal | int] = {
                "count": s.count,
                "mean": s.mean,
                "median": s.median,
                "min": s.min,
                "max": s.max,
            }
            stats.append((code, label, values))
    return Report(
        published=published,
        rows=rows,
        fields=list(m.fields),
        sources=sources,
        stats=stats,
        bands=bands,
        places=snapshot.places,
        example=published.cycle.is_example,
    )
