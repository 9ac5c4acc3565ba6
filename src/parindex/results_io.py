"""Writing results: the interchange CSV, JSON with node detail, and a workbook for people.

CSV (stable contract): one row per unit, columns ``unit,total_points,index,rank,group``, then
``points_<code>,index_<code>`` for every field in methodology order, then, when previous results
were given, ``previous_index,index_change,previous_rank,rank_change``. Rows are ordered by rank,
then unit. Points and indices carry exactly the published number of decimals, with a dot.
Line ends are ``\\n``; the encoding is UTF-8 without a byte-order mark.
It is machine data: a unit name starting with ``=`` is written as it is, never quoted (a file
for people goes through :func:`parindex.csv_row`; the workbook stores every text as a string).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from .compute import Results, Stats, UnitResult
from .decimals import format_fixed, quantize
from .methodology_io import methodology_to_dict
from .sheets import append_row

__all__ = [
    "RESULTS_SCHEMA_VERSION",
    "csv_header",
    "results_to_csv",
    "results_to_dict",
    "unit_to_dict",
    "write_xlsx",
]

RESULTS_SCHEMA_VERSION = 1


def csv_header(results: Results) -> list[str]:
    """The CSV columns for ``results`` (see the module docstring)."""
    header = ["unit", "total_points", "index", "rank", "group"]
    for f in results.methodology.fields:
        header += [f"points_{f.code}", f"index_{f.code}"]
    if any(u.change is not None for u in results.units):
        header += ["previous_index", "index_change", "previous_rank", "rank_change"]
    return header


def _fmt(results: Results, value: Decimal) -> str:
    return format_fixed(value, results.places, results.methodology.rounding)


def _csv_row(results: Results, u: UnitResult, with_change: bool) -> list[str]:
    row = [
        u.unit,
        _fmt(results, u.total_points),
        _fmt(results, u.index),
        str(u.rank),
        u.group or "",
    ]
    for f in results.methodology.fields:
        node = u.nodes[f.code]
        row += [_fmt(results, node.published_points), _fmt(results, node.published_index)]
    if with_change:
        c = u.change
        row += (
            ["", "", "", ""]
            if c is None
            else [
                _fmt(results, c.previous_index),
                _fmt(results, c.index_change),
                "" if c.previous_rank is None else str(c.previous_rank),
                "" if c.rank_change is None else str(c.rank_change),
            ]
        )
    return row


def results_to_csv(results: Results) -> str:
    """The results as interchange CSV text."""
    header = csv_header(results)
    with_change = "previous_index" in header
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for u in results.units:
        writer.writerow(_csv_row(results, u, with_change))
    return out.getvalue()


def _stats_dict(results: Results, s: Stats) -> dict[str, Any]:
    return {
        "count": s.count,
        "mean": _fmt(results, s.mean),
        "median": _fmt(results, s.median),
        "min": _fmt(results, s.minimum),
        "max": _fmt(results, s.maximum),
    }


def unit_to_dict(results: Results, u: UnitResult) -> dict[str, Any]:
    """One unit's row of :func:`results_to_dict` (an item of its ``units``), JSON-ready."""
    m = results.methodology
    data: dict[str, Any] = {
        "unit": u.unit,
        "total_points": _fmt(results, u.total_points),
        "index": _fmt(results, u.index),
        "rank": u.rank,
        "group": u.group,
        "by_source": {
            source.value: {
                "points": _fmt(results, node.published_points),
                "max_points": _fmt(results, node.max_points),
                "index": _fmt(results, node.published_index),
            }
            for source, node in u.by_source.items()
        },
        "nodes": [
            {
                "code": node.code,
                "level": m.level(node.code),
                "points": _fmt(results, u.nodes[node.code].published_points),
                "max_points": _fmt(results, node.max_points),
                "index": _fmt(results, u.nodes[node.code].published_index),
            }
            for node in m.nodes
        ],
        "change": None,
    }
    if u.change is not None:
        data["change"] = {
            "previous_index": _fmt(results, u.change.previous_index),
            "index_change": _fmt(results, u.change.index_change),
            "previous_rank": u.change.previous_rank,
            "rank_change": u.change.rank_change,
        }
    return data


def results_to_dict(results: Results, *, units: bool = True) -> dict[str, Any]:
    """Results as JSON-ready data. Decimals are strings with exactly the published places.

    ``units=False``: the same document with ``units`` an empty list, in its place, for a writer
    that serialises the rows one at a time (:func:`unit_to_dict`, in ``results.units`` order)
    instead of holding every unit's nodes at once.
    """
    m = results.methodology
    return {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "methodology": methodology_to_dict(m),
        "places": results.places,
        "bands": [{"label": b.label, "min": f"{b.minimum.normalize():f}"} for b in results.bands],
        "units": [unit_to_dict(results, u) for u in results.units] if units else [],
        "stats": {code: _stats_dict(results, s) for code, s in results.stats.items()},
        "warnings": [str(w) for w in results.warnings],
    }


# --- workbook -------------------------------------------------------------------------------

_HEAD_VI = ["Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Nhóm"]
_CHANGE_VI = ["Chỉ số kỳ trước (%)", "Thay đổi chỉ số", "Xếp hạng kỳ trước", "Thay đổi xếp hạng"]


def write_xlsx(results: Results, path: str | Path) -> None:
    """A workbook for people: sheets "Kết quả", "Chi tiết", "Thống kê".

    Vietnamese headers, frozen header row, numbers stored as numbers shown with the published
    places, columns sized to their content. Every text is a string cell, never a formula
    (:func:`parindex.sheets.append_row`), a unit or node name starting with ``=`` included.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    m = results.methodology
    number_format = "0" if results.places == 0 else "0." + "0" * results.places
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    header = list(_HEAD_VI)
    for f in m.fields:
        header += [f"Điểm LV {f.code}", f"Chỉ số LV {f.code} (%)"]
    with_change = any(u.change is not None for u in results.units)
    if with_change:  # the same columns as the CSV's previous_index … rank_change
        header += _CHANGE_VI
    append_row(sheet, header)
    for u in results.units:
        row: list[Any] = [u.unit, u.total_points, u.index, u.rank, u.group or ""]
        for f in m.fields:
            row += [u.nodes[f.code].published_points, u.nodes[f.code].published_index]
        if with_change:
            c = u.change
            row += (
                [None] * 4
                if c is None
                else [
                    quantize(c.previous_index, results.places, m.rounding),
                    quantize(c.index_change, results.places, m.rounding),
                    c.previous_rank,
                    c.rank_change,
                ]
            )
        append_row(sheet, row)
    detail = book.create_sheet("Chi tiết")
    append_row(detail, ["Đơn vị", "Mã", "Tên", "Cấp", "Điểm tối đa", "Điểm", "Chỉ số (%)"])
    for u in results.units:
        for node in m.nodes:
            r = u.nodes[node.code]
            append_row(
                detail,
                [
                    u.unit,
                    node.code,
                    node.name,
                    m.level(node.code),
                    node.max_points,
                    r.published_points,
                    r.published_index,
                ],
            )
    stats = book.create_sheet("Thống kê")
    append_row(stats, ["Mã", "Số đơn vị", "Trung bình", "Trung vị", "Thấp nhất", "Cao nhất"])
    for code, s in results.stats.items():
        label = code if code != "total" else "Tổng"
        append_row(stats, [label, s.count, s.mean, s.median, s.minimum, s.maximum])
    for ws in book.worksheets:
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
            for c in column[1:]:
                if isinstance(c.value, Decimal):
                    c.number_format = number_format
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
    book.save(str(path))
