"""PDF reports with WeasyPrint: the cycle report and one unit's report.

HTML from templates (``reports/pdf/*.html``) with the charts inlined as SVG; A4, page numbers,
table headers repeated on every page, DejaVu Sans (Debian's fonts-dejavu-core) for Vietnamese.
WeasyPrint is imported when a report is made, not when Django starts.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from parindex_web.cycles.published import Published
from parindex_web.results.palette import NO_GROUP_COLOUR

from . import charts
from .data import Report, example_warning, rounding_text


def _img(svg: str | None) -> SafeString | None:
    """An ``<img>`` source for an SVG (data URI: the PDF needs no other file)."""
    if svg is None:
        return None
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return mark_safe(f"data:image/svg+xml;base64,{data}")


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    result: bytes = HTML(string=html, base_url=None).write_pdf()
    return result


def _base(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "cycle": report.cycle,
        "publication": report.publication,
        "methodology": report.methodology,
        "example": report.example,
        "warning": example_warning(),
        "places": report.places,
        "rounding": rounding_text(report.places),
        "has_merged": any(r.comparison.basis == "merged" for r in report.rows),
        "has_previous": any(r.comparison.basis != "none" for r in report.rows),
        "no_group_colour": NO_GROUP_COLOUR,
    }


def cycle_pdf(report: Report) -> bytes:
    """The cycle report: cover, ranking, components, charts, summary, map (provinces)."""
    total = report.stat("total")
    first = report.rows[0] if report.rows else None
    last = report.rows[-1] if report.rows else None
    context = {
        **_base(report),
        "total": total,
        "first": first,
        "last": last,
        "histogram": _img(charts.histogram(report)) if report.rows else None,
        "component_chart": _img(charts.component_means(report)) if report.rows else None,
        "group_chart": _img(charts.groups(report)) if report.rows else None,
        "group_counts": report.group_counts(),
        "map": _img(charts.province_map(report)) if report.rows else None,
        "field_stats": [s for s in report.stats if s[0] != "total"],
    }
    return _pdf(render_to_string("reports/pdf/cycle.html", context))


@dataclass
class HistoryLine:
    year: int
    cycle: str
    index: Decimal | None
    rank: int | None
    units: int
    basis: str


def history(report: Report, code: str) -> list[HistoryLine]:
    """The unit's published indices, this year first, then earlier years of the same series.

    The year before uses the comparison (a merged unit compares with its predecessors' mean);
    earlier years follow the same unit code.
    """
    row = report.row(code)
    assert row is not None
    lines = [
        HistoryLine(report.cycle.year, report.cycle.name, row.index, row.rank, len(report.rows), "")
    ]
    previous: Published | None = report.published.previous
    if previous is not None and row.comparison.basis != "none":
        lines.append(
            HistoryLine(
                previous.cycle.year,
                previous.cycle.name,
                row.comparison.previous_index,
                row.comparison.previous_rank,
                len(previous.results["units"]),
                row.basis,
            )
        )
        codes = set(row.comparison.predecessors)
        seen = {previous.cycle.pk, report.cycle.pk}
        earlier = previous.previous
        while earlier is not None and len(codes) == 1 and earlier.cycle.pk not in seen:
            seen.add(earlier.cycle.pk)
            found = next((u for u in earlier.results["units"] if u["unit"] in codes), None)
            if found is None:
                break
            lines.append(
                HistoryLine(
                    earlier.cycle.year,
                    earlier.cycle.name,
                    Decimal(found["index"]),
                    int(found["rank"]),
                    len(earlier.results["units"]),
                    row.basis,
                )
            )
            earlier = earlier.previous
    return lines


@dataclass
class Lost:
    code: str
    name: str
    level: int
    max_points: Decimal
    points: Decimal
    lost: Decimal


def points_lost(report: Report, code: str) -> list[Lost]:
    """The leaves where the unit did not get the maximum, most points lost first."""
    row = report.row(code)
    assert row is not None
    m = report.methodology
    out = []
    order = {leaf.code: i for i, leaf in enumerate(m.leaves)}
    for leaf in m.leaves:
        node = row.nodes.get(leaf.code)
        if node is None:
            continue
        maximum, points = Decimal(node["max_points"]), Decimal(node["points"])
        if points < maximum:
            out.append(
                Lost(leaf.code, leaf.name, m.level(leaf.code), maximum, points, maximum - points)
            )
    out.sort(key=lambda x: (-x.lost, order[x.code]))
    return out


def unit_pdf(report: Report, code: str) -> bytes:
    """One unit's report: total and components against the mean and the best, history, losses."""
    row = report.row(code)
    assert row is not None
    total = report.stat("total")
    fields = [
        {
            "node": f,
            "points": row.fields[f.code][0],
            "index": row.fields[f.code][1],
            "mean": report.stat(f.code).get("mean"),
            "best": report.best(f.code),
        }
        for f in report.fields
        if f.code in row.fields
    ]
    lost = points_lost(report, code)
    context = {
        **_base(report),
        "row": row,
        "unit": report.published.units.get(code),
        "total": total,
        "best_index": max(r.index for r in report.rows),
        "fields": fields,
        "history": history(report, code),
        "lost": lost,
        "lost_total": sum((x.lost for x in lost), Decimal(0)),
        "profile_chart": _img(charts.unit_profile(report, code)),
        "count": len(report.rows),
    }
    return _pdf(render_to_string("reports/pdf/unit.html", context))
