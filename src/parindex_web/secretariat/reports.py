"""The secretariat's reports: the progress workbook, leaves lacking required evidence, and where
the appraisal differs from the self-assessment. Each is built once here, for its page and for its
download; every spreadsheet cell goes through :func:`parindex.append_row`, every CSV field for
people through :func:`parindex.csv_row`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

import parindex
from parindex_web.cycles.evidence_status import lacking_evidence
from parindex_web.cycles.models import Cycle, Entry
from parindex_web.units.models import Unit, vi_sorted

from .progress import UnitProgress, codes_by_source

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"


def workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """XLSX bytes: one sheet per (title, header, rows), the header in the first row (frozen);
    dates are shown dd/mm/yyyy."""
    book = Workbook()
    for i, (title, header, rows) in enumerate(sheets):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = title[:31]
        parindex.append_row(ws, header)
        for row in rows:
            parindex.append_row(ws, row)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if cell.is_date:
                    cell.number_format = DATE_FORMAT
        ws.freeze_panes = "A2"
    book.properties.creator = "parindex"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def people_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV for people: :data:`parindex.CSV_BOM` first, every field through ``csv_row``."""
    out = io.StringIO()
    out.write(parindex.CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(parindex.csv_row(header))
    for row in rows:
        writer.writerow(parindex.csv_row(row))
    return out.getvalue()


def progress_sheet(cycle: Cycle, rows: list[UnitProgress]) -> bytes:
    """The dashboard's rows (as filtered and sorted) as a workbook."""
    due = cycle.deadline()
    deadline = timezone.localtime(due).date() if due is not None else None
    header = [
        _("Unit code"),
        _("Unit"),
        _("Status"),
        _("Criteria done"),
        _("Criteria"),
        _("Criteria filled"),
        _("Criteria appraised"),
        _("Evidence documents"),
        _("Criteria lacking required evidence"),
        _("Codes lacking required evidence"),
        _("Pending explanations"),
        _("Deadline of the current phase"),
    ]
    table = [
        [
            r.assessment.unit.code,
            r.assessment.unit.name,
            r.assessment.status_label(),
            r.done,
            r.leaves,
            r.filled,
            r.appraised,
            r.evidence,
            len(r.missing_evidence),
            ", ".join(r.missing_evidence),
            r.pending,
            deadline,
        ]
        for r in rows
    ]
    return workbook([(_("Progress"), header, table)])


@dataclass
class MissingEvidence:
    """One leaf of one unit that requires evidence and has none."""

    unit: Unit
    status: str
    code: str
    name: str
    evidence: str


def missing_evidence(cycle: Cycle) -> list[MissingEvidence]:
    """Every (unit, leaf) lacking required evidence, units in Vietnamese order, leaves in
    methodology order (three queries)."""
    core = cycle.core()
    assessments = {a.unit_id: a for a in cycle.assessments.select_related("unit")}
    lacking = lacking_evidence(cycle, assessments.values())
    return [
        MissingEvidence(
            unit=unit,
            status=assessments[unit.pk].status_label(),
            code=code,
            name=core.by_code[code].name,
            evidence=core.by_code[code].evidence,
        )
        for unit in vi_sorted([a.unit for a in assessments.values()])
        for code in lacking[assessments[unit.pk].pk]
    ]


def missing_evidence_table(rows: list[MissingEvidence]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Unit code"),
        _("Unit"),
        _("Status"),
        _("Criterion code"),
        _("Criterion"),
        _("Evidence required"),
    ]
    return header, [[r.unit.code, r.unit.name, r.status, r.code, r.name, r.evidence] for r in rows]


@dataclass
class LeafLine:
    """A criterion of the difference report: its node, its totals, its cell per unit."""

    node: parindex.Node
    totals: parindex.LeafDifferences
    total: Decimal
    cells: list[Decimal | None]


@dataclass
class DifferenceReport:
    units: list[Unit]
    lines: list[LeafLine]
    unit_totals: list[Decimal | None]
    unchanged: int
    places: int


def differences(cycle: Cycle) -> DifferenceReport:
    """Self-assessed against appraised points on every appraisal leaf and unit (two queries);
    the arithmetic is :func:`parindex.appraisal_differences`, figures rounded as published."""
    core = cycle.core()
    own, _external = codes_by_source(core)
    units = vi_sorted([a.unit for a in cycle.assessments.select_related("unit")])
    points = {
        (unit, code): (own_points, appraised)
        for unit, code, own_points, appraised in Entry.objects.filter(
            assessment__cycle=cycle, code__in=own
        ).values_list("assessment__unit__code", "code", "self_points", "appraised_points")
    }
    result = parindex.appraisal_differences(own, points)

    def rounded(value: Decimal | None) -> Decimal | None:
        return None if value is None else parindex.quantize(value, core.places, core.rounding)

    lines = [
        LeafLine(
            node=core.by_code[leaf.code],
            totals=leaf,
            total=parindex.quantize(leaf.total, core.places, core.rounding),
            cells=[rounded(result.cells.get((u.code, leaf.code))) for u in units],
        )
        for leaf in result.leaves
        if leaf.differing
    ]
    return DifferenceReport(
        units=units,
        lines=lines,
        unit_totals=[rounded(result.by_unit.get(u.code)) for u in units],
        unchanged=len(result.leaves) - len(lines),
        places=core.places,
    )


def differences_sheet(report: DifferenceReport) -> bytes:
    """The criteria sheet (totals, most often cut first) and the matrix (criteria × units)."""
    totals_header = [
        _("Criterion code"),
        _("Criterion"),
        _("Units appraised lower"),
        _("Units appraised higher"),
        _("Units compared"),
        _("Sum of differences"),
    ]
    totals = [
        [
            line.node.code,
            line.node.name,
            line.totals.lowered,
            line.totals.raised,
            line.totals.compared,
            line.total,
        ]
        for line in report.lines
    ]
    matrix_header = [_("Criterion code"), _("Criterion"), *(u.name for u in report.units)]
    matrix = [[line.node.code, line.node.name, *line.cells] for line in report.lines]
    matrix.append(["", _("Total per unit"), *report.unit_totals])
    return workbook(
        [
            (_("Criteria"), totals_header, totals),
            (_("Criteria × units"), matrix_header, matrix),
        ]
    )
