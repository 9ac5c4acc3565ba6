"""A publication's results, typed: built once from the stored JSON (``results_to_dict``).

The stored JSON stays as published (its hash is the publication's); this module only reads it.
Figures are decimals with exactly the published places (``Decimal("95.10")`` keeps its two
places, so ``str`` gives back the published text). Consumers read attributes, never
``Decimal(row["index"])``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class NodeResult:
    """One node of a unit's result: points, maximum and index as published."""

    code: str
    level: int
    points: Decimal
    max_points: Decimal
    index: Decimal

    @property
    def lost(self) -> Decimal:
        """Points lost: the maximum less the points (both as published)."""
        return self.max_points - self.points


@dataclass(frozen=True)
class SourceResult:
    """A unit's points, maximum and index from one source (appraisal, survey, …)."""

    points: Decimal
    max_points: Decimal
    index: Decimal


@dataclass(frozen=True)
class UnitResult:
    """One unit's published result."""

    unit: str
    rank: int
    index: Decimal
    total_points: Decimal
    group: str | None
    by_source: Mapping[str, SourceResult]
    nodes: tuple[NodeResult, ...]

    def node(self, code: str) -> NodeResult | None:
        return next((n for n in self.nodes if n.code == code), None)


@dataclass(frozen=True)
class Stats:
    """Descriptive statistics of one field (or of the total index) over the units."""

    count: int
    mean: Decimal
    median: Decimal
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class Band:
    label: str
    min: Decimal


@dataclass(frozen=True)
class Snapshot:
    """A publication's results: places, bands, units in rank order, statistics."""

    places: int
    max_total: Decimal
    bands: tuple[Band, ...]
    units: tuple[UnitResult, ...]
    stats: Mapping[str, Stats]

    def unit(self, code: str) -> UnitResult | None:
        return next((u for u in self.units if u.unit == code), None)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        return cls(
            places=int(data["places"]),
            max_total=max_total_of(data),
            bands=tuple(Band(b["label"], Decimal(b["min"])) for b in data.get("bands", [])),
            units=tuple(unit_result(u) for u in data["units"]),
            stats=stats_of(data),
        )


def max_total_of(data: Mapping[str, Any]) -> Decimal:
    """The methodology's maximum total points, as the results document states it."""
    return Decimal(data["methodology"]["max_total"])


def stats_of(data: Mapping[str, Any]) -> dict[str, Stats]:
    """The statistics of a results document, typed, without reading its units."""
    return {code: _stats(s) for code, s in data.get("stats", {}).items()}


def unit_result(u: Mapping[str, Any]) -> UnitResult:
    """One unit's row of a results document, typed."""
    return UnitResult(
        unit=u["unit"],
        rank=int(u["rank"]),
        index=Decimal(u["index"]),
        total_points=Decimal(u["total_points"]),
        group=u["group"],
        by_source={
            source: SourceResult(
                Decimal(v["points"]), Decimal(v["max_points"]), Decimal(v["index"])
            )
            for source, v in u["by_source"].items()
        },
        nodes=tuple(
            NodeResult(
                n["code"],
                int(n["level"]),
                Decimal(n["points"]),
                Decimal(n["max_points"]),
                Decimal(n["index"]),
            )
            for n in u["nodes"]
        ),
    )


def _stats(s: Mapping[str, Any]) -> Stats:
    return Stats(
        int(s["count"]),
        Decimal(s["mean"]),
        Decimal(s["median"]),
        Decimal(s["min"]),
        Decimal(s["max"]),
    )
