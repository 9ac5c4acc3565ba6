"""The official-style workbook of a publication: one sheet per table.

Sheets: ranking, component indices, statistics, the methodology tree, and an "about" sheet.
Every table starts with a title row and a subtitle row; its header is on row
:data:`HEADER_ROW` (the component sheet has a second header row under it). Figures are numbers
(decimals written as numbers, shown with the published places), header rows frozen and printed
on every page, landscape A4 fitted to the page width, autofilter on each table. Every text (a
unit's name, a criterion's name, a legal basis) is a string cell, never a formula
(:func:`parindex.put_cell`); the workbook holds no formula at all.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parindex import cell_text, put_cell
from parindex_web.methodologies.display import rule_text
from parindex_web.results.labels import source_label
from parindex_web.results.palette import text_on

from .data import Report, example_warning

HEADER_ROW = 3
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(italic=True, size=10)
WARNING_FONT = Font(bold=True, size=10, color="B42318")
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _argb(colour: str) -> str:
    """``#rrggbb`` as openpyxl's opaque ``FFRRGGBB``."""
    return "FF" + colour.lstrip("#").upper()


def sheet_names() -> list[str]:
    return [
        pgettext("sheet name", "Ranking"),
        pgettext("sheet name", "Component indices"),
        pgettext("sheet name", "Statistics"),
        pgettext("sheet name", "Criteria"),
        pgettext("sheet name", "About"),
    ]


def _title(ws: Worksheet, report: Report, title: str, width: int) -> None:
    put_cell(ws, 1, 1, title).font = TITLE_FONT
    subtitle = _("%(cycle)s — version %(version)s, published on %(date)s") % {
        "cycle": report.cycle.name,
        "version": report.publication.version,
        "date": report.published_on.strftime("%d/%m/%Y"),
    }
    cell = put_cell(ws, 2, 1, subtitle)
    cell.font = SUBTITLE_FONT
    if report.example:
        cell = put_cell(ws, 2, 1, f"{subtitle}. {example_warning()}.")
        cell.font = WARNING_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))


def _head(ws: Worksheet, row: int, col: int, label: str | None) -> None:
    cell = put_cell(ws, row, col, label)
    cell.font, cell.fill, cell.alignment, cell.border = HEAD_FONT, HEAD_FILL, HEAD_ALIGN, BORDER


def _header(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    for col, label in enumerate(labels, start=1):
        _head(ws, row, col, label)


def _rows(ws: Worksheet, first: int, rows: Sequence[Sequence[Any]], number_format: str) -> None:
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            cell = put_cell(ws, r, c, value)
            cell.border = BORDER
            if isinstance(value, Decimal):
                cell.number_format = number_format
            elif isinstance(value, str):
                cell.alignment = WRAP


def _finish(
    ws: Worksheet,
    report: Report,
    *,
    header_rows: tuple[int, int],
    last_row: int,
    freeze: str,
    widths: Sequence[float],
) -> None:
    """Widths, frozen header, autofilter, print set-up (A4 landscape, fit to width, titles)."""
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = freeze
    last_col = get_column_letter(len(widths))
    top, bottom = header_rows
    ws.auto_filter.ref = f"A{bottom}:{last_col}{max(last_row, bottom)}"
    ws.print_title_rows = f"{top}:{bottom}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    name = report.cycle.name.replace("&", "&&")
    ws.oddHeader.center.text = cell_text(name)
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = _("Page &P of &N")
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = f"v{report.publication.version}"
    ws.oddFooter.right.size = 8


def _ranking(ws: Worksheet, report: Report) -> None:
    header = [
        _("Rank"),
        _("Unit"),
        _("Unit code"),
        _("Total points"),
        _("Index (%)"),
        pgettext("band", "Group"),
        _("Index last year (%)"),
        _("Change (percentage points)"),
        _("Basis of the comparison"),
    ] + [_("Points: %(source)s") % {"source": source_label(s)} for s in report.sources]
    _title(ws, report, _("Ranking of the PAR INDEX %(year)s") % {"year": report.cycle.year}, 9)
    _header(ws, HEADER_ROW, header)
    rows = [
        [
            r.rank,
            r.name,
            r.code,
            r.total_points,
            r.index,
            r.group or None,
            r.comparison.previous_index,
            r.comparison.change,
            r.basis,
        ]
        + [r.by_source[s] for s in report.sources]
        for r in report.rows
    ]
    _rows(ws, HEADER_ROW + 1, rows, report.number_format)
    for i, r in enumerate(report.rows, start=HEADER_ROW + 1):
        if r.group_colour:
            cell = ws.cell(i, 6)
            cell.fill = PatternFill("solid", fgColor=_argb(r.group_colour))
            cell.font = Font(bold=True, color=_argb(text_on(r.group_colour)))
    _finish(
        ws,
        report,
        header_rows=(HEADER_ROW, HEADER_ROW),
        last_row=HEADER_ROW + len(rows),
        freeze=f"C{HEADER_ROW + 1}",
        widths=[7, 34, 12, 11, 11, 13, 13, 13, 34] + [14] * len(report.sources),
    )


def _components(ws: Worksheet, report: Report) -> None:
    """Unit × field: two header rows (the field over its points and index)."""
    width = 3 + 2 * len(report.fields)
    _title(ws, report, _("Component indices by field"), width)
    for col, label in enumerate([_("Rank"), _("Unit"), _("Unit code")], start=1):
        _head(ws, HEADER_ROW, col, label)
        _head(ws, HEADER_ROW + 1, col, None)
        ws.merge_cells(
            start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1, end_column=col
        )
    points = _("Points (max %(max)s)")
    for i, f in enumerate(report.fields):
        col = 4 + 2 * i
        _head(ws, HEADER_ROW, col, f"{f.code}. {f.name}")
        _head(ws, HEADER_ROW, col + 1, None)
        ws.merge_cells(
            start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW, end_column=col + 1
        )
        maximum = formats.number_format(f.max_points, report.places)
        _head(ws, HEADER_ROW + 1, col, points % {"max": maximum})
        _head(ws, HEADER_ROW + 1, col + 1, _("Index (%)"))
    ws.row_dimensions[HEADER_ROW].height = 60
    rows = []
    for r in report.rows:
        values: list[Any] = [r.rank, r.name, r.code]
        for f in report.fields:
            values += list(r.fields.get(f.code, (None, None)))
        rows.append(values)
    _rows(ws, HEADER_ROW + 2, rows, report.number_format)
    _finish(
        ws,
        report,
        header_rows=(HEADER_ROW, HEADER_ROW + 1),
        last_row=HEADER_ROW + 1 + len(rows),
        freeze=f"D{HEADER_ROW + 2}",
        widths=[7, 30, 12] + [11] * (2 * len(report.fields)),
    )


def _statistics(ws: Worksheet, report: Report) -> None:
    header = [
        _("Code"),
        _("Field"),
        _("Number of units"),
        _("Mean (%)"),
        _("Median (%)"),
        _("Lowest (%)"),
        _("Highest (%)"),
    ]
    _title(ws, report, _("Statistics of the indices"), len(header))
    _header(ws, HEADER_ROW, header)
    rows = [
        [
            "" if code == "total" else code,
            label,
            s["count"],
            s["mean"],
            s["median"],
            s["min"],
            s["max"],
        ]
        for code, label, s in report.stats
    ]
    _rows(ws, HEADER_ROW + 1, rows, report.number_format)
    if rows:
        for c in range(1, len(header) + 1):
            ws.cell(HEADER_ROW + len(rows), c).font = Font(bold=True)
    _finish(
        ws,
        report,
        header_rows=(HEADER_ROW, HEADER_ROW),
        last_row=HEADER_ROW + len(rows),
        freeze=f"A{HEADER_ROW + 1}",
        widths=[8, 60, 9, 12, 12, 12, 12],
    )


def _criteria(ws: Worksheet, report: Report) -> None:
    m = report.methodology
    header = [
        _("Code"),
        pgettext("tree depth", "Level"),
        _("Name"),
        _("Maximum points"),
        _("Source"),
        _("How points are given"),
        _("Legal basis"),
    ]
    _title(ws, report, m.name, len(header))
    _header(ws, HEADER_ROW, header)
    rows = []
    for node in m.nodes:
        leaf = m.is_leaf(node.code)
        rows.append(
            [
                node.code,
                m.level(node.code),
                ("    " * (m.level(node.code) - 1)) + node.name,
                node.max_points,
                source_label(m.source_of(node.code).value) if leaf else "",
                rule_text(node.rule) if leaf else "",
                node.legal_basis,
            ]
        )
    _rows(ws, HEADER_ROW + 1, rows, report.number_format)
    for i, node in enumerate(m.nodes, start=HEADER_ROW + 1):
        if m.level(node.code) == 1:
            for c in range(1, len(header) + 1):
                ws.cell(i, c).font = Font(bold=True)
    _finish(
        ws,
        report,
        header_rows=(HEADER_ROW, HEADER_ROW),
        last_row=HEADER_ROW + len(rows),
        freeze=f"A{HEADER_ROW + 1}",
        widths=[9, 7, 60, 10, 22, 45, 30],
    )


def _about(ws: Worksheet, report: Report) -> None:
    _title(ws, report, _("About this workbook"), 2)
    _header(ws, HEADER_ROW, [_("Item"), _("Value")])
    rows = [[label, value] for label, value in report.info()]
    _rows(ws, HEADER_ROW + 1, rows, report.number_format)
    for i, (label, _value) in enumerate(report.info(), start=HEADER_ROW + 1):
        ws.cell(i, 1).font = Font(bold=True)
        if label == _("Warning"):
            ws.cell(i, 2).font = WARNING_FONT
    _finish(
        ws,
        report,
        header_rows=(HEADER_ROW, HEADER_ROW),
        last_row=HEADER_ROW + len(rows),
        freeze=f"A{HEADER_ROW + 1}",
        widths=[28, 90],
    )


def build_workbook(report: Report) -> bytes:
    """The workbook as XLSX bytes, in the active language."""
    book = Workbook()
    builders = [_ranking, _components, _statistics, _criteria, _about]
    for i, (name, builder) in enumerate(zip(sheet_names(), builders, strict=True)):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = name[:31]
        builder(ws, report)
    book.properties.title = cell_text(report.cycle.name)
    book.properties.creator = "parindex"
    book.properties.created = report.publication.published_at.replace(tzinfo=None)
    book.properties.modified = report.publication.published_at.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
