"""Builders shared by the core tests: small methodologies written inline."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from parindex import Band, Methodology, Node, PointsRule, Rule, Source

D = Decimal


def leaf(
    code: str,
    parent: str | None,
    max_points: str,
    rule: Rule | None = None,
    source: Source | None = None,
) -> Node:
    return Node(
        code, parent, f"Tiêu chí {code}", D(max_points), rule=rule or PointsRule(), source=source
    )


def branch(code: str, parent: str | None, max_points: str, source: Source | None = None) -> Node:
    return Node(code, parent, f"Lĩnh vực {code}", D(max_points), source=source)


def flat(*maxima: str, places: int = 2, bands: tuple[Band, ...] = ()) -> Methodology:
    """Fields 1..n, each a leaf scored with direct points."""
    nodes = tuple(leaf(str(i), None, m) for i, m in enumerate(maxima, start=1))
    return Methodology(id="flat", name="Flat", nodes=nodes, places=places, bands=bands)


def scores(**units: dict[str, str]) -> dict[str, dict[str, Decimal]]:
    return {unit: {code: D(p) for code, p in leaves.items()} for unit, leaves in units.items()}


def xlsx(*rows: list[object]) -> bytes:
    """An XLSX file whose first sheet holds ``rows`` (None: an empty cell)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
