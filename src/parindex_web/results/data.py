"""What the public results pages and their twins show, read from one publication snapshot.

Everything comes from :mod:`parindex_web.cycles.published`: indices, ranks, groups, statistics
and year-over-year comparisons are the snapshot's (computed by the core when it was published).
Nothing here scores a unit; the only figures worked out here are descriptive ones for the
summary (counts per histogram bin and per group, a group's mean index), rounded with the
methodology's own rule. Figures stay the snapshot's strings with exactly the published places.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.published import Published
from parindex_web.methodologies import display
from parindex_web.results import serializers
from parindex_web.results.palette import HEAT_COLOURS, band_colour, text_on
from parindex_web.results.serializers import cycle_url

SOURCES = [s.value for s in parindex.Source]
HISTOGRAM_WIDTH = 5


class HeatScale:
    """Maps a value in [low, high] to one of the sequential colours, with a legend."""

    def __init__(self, values: Iterable[Decimal], places: int) -> None:
        values = list(values)
        self.low = min(values, default=Decimal(0))
        self.high = max(values, default=Decimal(100))
        self.places = places

    def step(self, value: Decimal) -> int:
        n = len(HEAT_COLOURS)
        if self.high <= self.low:
            return n - 1
        return max(0, min(int((value - self.low) / (self.high - self.low) * n), n - 1))

    def cell(self, value: str) -> dict[str, str]:
        background = HEAT_COLOURS[self.step(Decimal(value))]
        return {"value": value, "bg": background, "fg": text_on(background)}

    def legend(self) -> list[dict[str, str]]:
        n = len(HEAT_COLOURS)
        width = (self.high - self.low) / n
        return [
            {
                "bg": colour,
                "fg": text_on(colour),
                "from": parindex.format_fixed(self.low + width * i, self.places),
                "to": parindex.format_fixed(self.low + width * (i + 1), self.places),
            }
            for i, colour in enumerate(HEAT_COLOURS)
        ]


# --- cycles -----------------------------------------------------------------------------------


def cycle_list() -> list[dict[str, Any]]:
    """Published cycles, newest year first, each with its latest publication."""
    out = []
    for cycle in published.published_cycles():
        latest = published.latest_publication(cycle)
        assert latest is not None
        out.append(
            {
                "id": cycle.pk,
                "year": cycle.year,
                "name": cycle.name,
                "body": {
                    "code": cycle.body.code,
                    "name": cycle.body.name,
                    "name_en": cycle.body.name_en,
                },
                "unit_type": cycle.methodology.unit_type,
                "units": published.unit_count(latest),
                "version": latest.version,
                "published_at": latest.published_at.isoformat(),
                "example": cycle.is_example,
                "url": cycle_url(cycle.pk),
                "published": latest.published_at,
            }
        )
    return out


def cycles_csv(cycles: list[dict[str, Any]]) -> str:
    header = ["id", "year", "name", "body", "unit_type", "units", "version", "published_at"]
    header += ["example", "url"]
    keys = ("id", "year", "name", "body", "unit_type", "units", "version", "published_at")
    lines = [
        [c[k]["name"] if k == "body" else c[k] for k in keys]
        + [str(c["example"]).lower(), c["url"]]
        for c in cycles
    ]
    return csv_text(header, lines)


def versions(pub: Published) -> list[dict[str, Any]]:
    """Every publication of the cycle, newest first (a correction is a new version)."""
    return [
        {"version": v, "published_at": at, "reason": reason}
        for v, at, reason in pub.cycle.publications.order_by("-version").values_list(
            "version", "published_at", "reason"
        )
    ]


def fields(pub: Published) -> list[dict[str, str]]:
    return [
        {
            "code": f.code,
            "name": f.name,
            "name_en": f.name_en,
            "max_points": parindex.format_fixed(f.max_points, pub.header["places"]),
        }
        for f in pub.methodology.fields
    ]


def bands(pub: Published) -> list[dict[str, Any]]:
    """The snapshot's groups, best first, with their position and colour."""
    raw = pub.header["bands"]
    return [
        {
            "label": b["label"],
            "min": b["min"],
            "position": i,
            "colour": band_colour(i, len(raw)),
        }
        for i, b in enumerate(raw)
    ]


def sources(pub: Published) -> list[str]:
    """The sources this methodology's leaves use, in the standard order."""
    m = pub.methodology
    used = {m.source_of(leaf.code).value for leaf in m.leaves}
    return [s for s in SOURCES if s in used]


# --- ranking ----------------------------------------------------------------------------------


def _fixed(value: Decimal | None, places: int) -> str | None:
    return None if value is None else parindex.format_fixed(value, places)


def unit_rows(pub: Published) -> list[dict[str, Any]]:
    """Every unit of the snapshot in rank order, as the pages show them (the twin's rows of
    :func:`.serializers.ranked_units` with the unit and its group's colour)."""
    return [u.page() for u in serializers.ranked_units(pub)]


def total_stats(pub: Published) -> dict[str, Any]:
    stats: dict[str, Any] = pub.header["stats"].get("total") or {
        "count": 0,
        "mean": None,
        "median": None,
        "min": None,
        "max": None,
    }
    return stats


def ranking_json(
    pub: Published, units: list[serializers.RankedUnit], group: str, q: str, count: int
) -> dict[str, Any]:
    return {
        "cycle": serializers.published_cycle_info(pub),
        "filters": {"group": group or None, "q": q or None},
        "total_units": count,
        "stats": total_stats(pub),
        "fields": fields(pub),
        "bands": [{k: b[k] for k in ("label", "min", "position")} for b in bands(pub)],
        "units": [u.twin() for u in units],
    }


def csv_text(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def ranking_csv(pub: Published, rows: list[dict[str, Any]]) -> str:
    codes = [f.code for f in pub.methodology.fields]
    header = ["rank", "unit", "name", "index", "group", "total_points"]
    header += [f"points_{s}" for s in SOURCES]
    for code in codes:
        header += [f"points_{code}", f"index_{code}"]
    header += ["previous_index", "index_change", "previous_rank", "change_basis", "predecessors"]
    lines = []
    for r in rows:
        line = [r["rank"], r["unit"], r["name"], r["index"], r["group"], r["total_points"]]
        line += [r["by_source"].get(s, {}).get("points") for s in SOURCES]
        for code in codes:
            line += [r["fields"][code]["points"], r["fields"][code]["index"]]
        c = r["change"]
        line += [
            c["previous_index"],
            c["index_change"],
            c["previous_rank"],
            c["basis"],
            ";".join(p["unit"] for p in c["predecessors"]),
        ]
        lines.append(line)
    return csv_text(header, lines)


# --- components -------------------------------------------------------------------------------

STAT_ROWS = ("mean", "median", "max", "min")


def components(pub: Published) -> dict[str, Any]:
    """Units × fields of component indices with heat colours, and the per-field statistics."""
    places = pub.header["places"]
    ranked = serializers.ranked_units(pub)
    rows = [u.page() for u in ranked]
    codes = [f.code for f in pub.methodology.fields]
    scale = HeatScale((Decimal(f.index) for u in ranked for f in u.fields), places)
    stats = pub.header["stats"]
    return {
        "units": [
            {
                "rank": r["rank"],
                "unit": r["unit"],
                "name": r["name"],
                "index": r["index"],
                "profile_url": r["profile_url"],
                "cells": [{"code": c, **scale.cell(r["fields"][c]["index"])} for c in codes],
            }
            for r in rows
        ],
        "stats": [
            {
                "kind": kind,
                "index": stats["total"][kind] if "total" in stats else None,
                "cells": [{"code": c, **scale.cell(stats[c][kind])} for c in codes if c in stats],
            }
            for kind in STAT_ROWS
            if stats
        ],
        "legend": scale.legend(),
    }


def components_json(pub: Published, table: dict[str, Any]) -> dict[str, Any]:
    return {
        "cycle": serializers.published_cycle_info(pub),
        "fields": fields(pub),
        "units": [
            {
                "rank": u["rank"],
                "unit": u["unit"],
                "name": u["name"],
                "index": u["index"],
                "fields": {cell["code"]: cell["value"] for cell in u["cells"]},
            }
            for u in table["units"]
        ],
        "stats": {
            s["kind"]: {
                "index": s["index"],
                "fields": {cell["code"]: cell["value"] for cell in s["cells"]},
            }
            for s in table["stats"]
        },
    }


def components_csv(pub: Published, table: dict[str, Any]) -> str:
    codes = [f.code for f in pub.methodology.fields]
    header = ["row", "unit", "name", "rank", "index"] + [f"index_{c}" for c in codes]
    lines = [
        ["unit", u["unit"], u["name"], u["rank"], u["index"]] + [c["value"] for c in u["cells"]]
        for u in table["units"]
    ]
    lines += [
        [s["kind"], "", "", "", s["index"]] + [c["value"] for c in s["cells"]]
        for s in table["stats"]
    ]
    return csv_text(header, lines)


# --- summary ----------------------------------------------------------------------------------


def histogram(indices: list[Decimal], width: int = HISTOGRAM_WIDTH) -> list[dict[str, Any]]:
    """Units per bin of ``width`` index points, [from, to), the last bin closed at 100."""
    if not indices:
        return []
    start = math.floor(min(indices) / width) * width
    stop = max(min(100, (math.floor(max(indices) / width) + 1) * width), start + width)
    bins = []
    for low in range(start, stop, width):
        high = low + width
        closed = high >= stop
        count = sum(1 for v in indices if low <= v < high or (closed and v == high))
        bins.append({"from": low, "to": high, "count": count})
    return bins


def summary(pub: Published, rows: list[dict[str, Any]]) -> dict[str, Any]:
    m = pub.methodology
    places = pub.header["places"]
    stats = pub.header["stats"]
    index = {code: value for code, (value, _rank) in pub.ranks.items()}
    indices = [index[r["unit"]] for r in rows]
    groups = []
    for band in bands(pub):
        members = [index[r["unit"]] for r in rows if r["group"] == band["label"]]
        mean = (
            parindex.quantize(sum(members, Decimal(0)) / len(members), places, m.rounding)
            if members
            else None
        )
        groups.append({**band, "count": len(members), "mean": _fixed(mean, places)})
    previous = pub.previous
    prior: dict[str, Any] | None = None
    if previous is not None and "total" in previous.header["stats"] and "total" in stats:
        before = previous.header["stats"]["total"]
        prior = {
            "cycle": {
                "id": previous.cycle.pk,
                "year": previous.cycle.year,
                "name": previous.cycle.name,
                "url": cycle_url(previous.cycle.pk),
            },
            "stats": before,
            "mean_change": _fixed(pub.stats["total"].mean - previous.stats["total"].mean, places),
        }
    return {
        "cycle": serializers.published_cycle_info(pub),
        "stats": total_stats(pub),
        "histogram": histogram(indices),
        "groups": groups,
        "ungrouped": sum(1 for r in rows if r["group"] is None) if groups else 0,
        "fields": [{**f, **stats.get(f["code"], {})} for f in fields(pub)],
        "previous": prior,
        "pairs": [
            {
                "unit": r["unit"],
                "name": r["name"],
                "index": r["index"],
                "previous_index": r["change"]["previous_index"],
                "index_change": r["change"]["index_change"],
                "basis": r["change"]["basis"],
                "predecessors": r["change"]["predecessors"],
            }
            for r in rows
            if r["change"]["basis"] != "none"
        ],
    }


def summary_csv(data: dict[str, Any]) -> str:
    """The summary as ``section,key,value`` rows (see docs/public-data.md)."""
    lines: list[list[Any]] = [["stats", k, data["stats"][k]] for k in (*STAT_ROWS, "count")]
    lines += [["histogram", f"{b['from']}-{b['to']}", b["count"]] for b in data["histogram"]]
    lines += [["group_count", g["label"], g["count"]] for g in data["groups"]]
    lines += [["group_mean", g["label"], g["mean"]] for g in data["groups"]]
    lines += [["field_mean", f["code"], f.get("mean")] for f in data["fields"]]
    if data["previous"]:
        lines += [
            ["previous", "year", data["previous"]["cycle"]["year"]],
            ["previous", "mean", data["previous"]["stats"]["mean"]],
            ["previous", "mean_change", data["previous"]["mean_change"]],
        ]
    return csv_text(["section", "key", "value"], lines)


# --- methodology ------------------------------------------------------------------------------


def methodology_rows(m: parindex.Methodology, places: int) -> list[dict[str, Any]]:
    """Every node in source order with its level and effective source; leaves with their rule."""
    return [
        {
            "node": node,
            "level": m.level(node.code),
            "leaf": m.is_leaf(node.code),
            "source": m.source_of(node.code).value,
            "max_points": parindex.format_fixed(node.max_points, places),
            "rule_kind": node.rule.kind if node.rule is not None else "",
            "rule_text": display.rule_text(node.rule),
        }
        for node in m.nodes
    ]


def methodology_csv(m: parindex.Methodology) -> str:
    """The interchange CSV (``parindex.parse_methodology_csv`` reads it back)."""
    header = ["code", "parent", "name", "max_points", "name_en", "source", "rule"]
    header += ["evidence", "legal_basis", "note"]
    lines = [
        [
            n.code,
            n.parent or "",
            n.name,
            f"{n.max_points.normalize():f}",
            n.name_en,
            n.source.value if n.source else "",
            json.dumps(n.rule.to_dict(), ensure_ascii=False)
            if n.rule and m.is_leaf(n.code)
            else "",
            n.evidence,
            n.legal_basis,
            n.note,
        ]
        for n in m.nodes
    ]
    return csv_text(header, lines)
