"""The self-assessment workbook: download it, fill it in with Excel, upload it back.

One row per leaf. An upload is checked row by row first (every problem named by sheet, row and
column) and applied only when no row fails, in one transaction, through the same services as
the web form. Columns are found by their header (in any of the site's languages).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import parindex
from parindex.inputs import name_problem
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry, Evidence
from parindex_web.lib.core_problems import describe, upload_limits
from parindex_web.lib.users import User
from parindex_web.methodologies import display

from .forms import EntryForm
from .summary import entries_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = gettext_lazy("Self-assessment")
LEVELS_SHEET = gettext_lazy("Allowed levels")
COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Criterion")),
    ("max", gettext_lazy("Maximum points")),
    ("source", gettext_lazy("Source of points")),
    ("rule", gettext_lazy("How points are given")),
    ("level", gettext_lazy("Level")),
    ("value", gettext_lazy("Requirement met (yes/no)")),
    ("percent", gettext_lazy("Percentage (%)")),
    ("achieved", gettext_lazy("Number achieved")),
    ("planned", gettext_lazy("Number planned")),
    ("count", gettext_lazy("Number of failing items")),
    ("points", gettext_lazy("Points")),
    ("note", gettext_lazy("Note")),
    ("evidence", gettext_lazy("Evidence (document numbers)")),
    ("current", gettext_lazy("Current points")),
]
INPUTS = ("level", "value", "percent", "achieved", "planned", "count", "points")
# Headers of workbooks downloaded before the level column showed the levels' labels (still read).
OLD_HEADERS = [("level", gettext_lazy("Level (key)"))]
SOURCES = {
    parindex.Source.APPRAISAL: gettext_lazy("Self-assessment"),
    parindex.Source.SURVEY: gettext_lazy("Sociological survey"),
    parindex.Source.SIPAS: gettext_lazy("SIPAS survey"),
    parindex.Source.DATA: gettext_lazy("Service data"),
}
HEADER_FILL = PatternFill("solid", fgColor="F3F6F9")
UNUSED_FILL = PatternFill("solid", fgColor="D5DDE5")
WIDTHS = {"code": 9, "name": 50, "rule": 40, "note": 30, "evidence": 24}


def _yes_no() -> tuple[str, str]:
    return pgettext("workbook cell", "yes"), pgettext("workbook cell", "no")


def _reference(document: Evidence) -> str:
    return document.doc_number or document.original_name


def _specs(leaf: parindex.Node) -> dict[str, parindex.InputSpec]:
    """The leaf's declared inputs by name (none for a node without a rule)."""
    return {s.name: s for s in leaf.rule.inputs(leaf.max_points)} if leaf.rule else {}


def _cell_input(spec: parindex.InputSpec | None, value: object) -> object:
    """A stored input as its cell shows it: a choice by its label (as the methodology names
    it, not its key), yes/no in the sheet's language, numbers as numbers."""
    if spec is None:
        return value
    if spec.kind == "choice":
        return spec.label_of(value)
    if spec.kind == "yesno":
        return dict(zip(("yes", "no"), _yes_no(), strict=True)).get(str(value), value)
    try:
        return parindex.parse_decimal(value)
    except ValueError:
        return value


def _row(leaf: parindex.Node, source: parindex.Source, entry: Entry | None) -> list[object]:
    values: dict[str, object] = {
        "code": leaf.code,
        "name": leaf.name,
        "max": leaf.max_points,
        "source": str(SOURCES[source]),
        "rule": display.rule_text(leaf.rule),
    }
    if entry is not None:
        specs = _specs(leaf)
        values.update(
            {k: _cell_input(specs.get(k), v) for k, v in entry.inputs.items() if k in INPUTS}
        )
        values["note"] = entry.note
        values["evidence"] = ", ".join(_reference(d) for d in entry.evidence.all())
        appraisal = source is parindex.Source.APPRAISAL
        values["current"] = entry.self_points if appraisal else entry.external_points
    return [values.get(key) for key, _label in COLUMNS]


def build(assessment: Assessment) -> bytes:
    """The workbook of the unit's self-assessment, as .xlsx bytes.

    Every text (a note, a document number, a criterion's name, a level) is a string cell, never
    a formula: :func:`parindex.append_row`. No neutralising quote is added, so an upload reads
    the same text back.
    """
    core = assessment.cycle.core()
    entries = entries_by_code(assessment)
    book = Workbook()
    sheet = book.active
    sheet.title = str(SHEET)
    levels = book.create_sheet(str(LEVELS_SHEET))
    parindex.append_row(levels, [_("Code"), _("Level"), _("Points"), _("Level (key)")])
    parindex.append_row(sheet, [str(label) for _key, label in COLUMNS])
    yes, no = _yes_no()
    yes_no = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    column = {key: get_column_letter(i) for i, (key, _label) in enumerate(COLUMNS, start=1)}
    for leaf in core.leaves:
        source = core.source_of(leaf.code)
        parindex.append_row(sheet, _row(leaf, source, entries.get(leaf.code)))
        row = sheet.max_row
        used = leaf.rule.fields() if leaf.rule and source is parindex.Source.APPRAISAL else ()
        for name in INPUTS:
            if name not in used:
                sheet[f"{column[name]}{row}"].fill = UNUSED_FILL
        for spec in _specs(leaf).values():
            cell = f"{column[spec.name]}{row}"
            if spec.kind == "choice":  # the allowed choices on their own sheet
                first = levels.max_row + 1
                for c in spec.choices:
                    parindex.append_row(levels, [leaf.code, c.label, c.points, c.key])
                rng = f"'{levels.title}'!$B${first}:$B${levels.max_row}"
                validation = DataValidation(type="list", formula1=rng, allow_blank=True)
                sheet.add_data_validation(validation)
                validation.add(cell)
            elif spec.kind == "yesno":
                yes_no.add(cell)
    for ws in (sheet, levels):
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for key, letter in column.items():
        sheet.column_dimensions[letter].width = WIDTHS.get(key, 14)
    for letter, width in zip("ABCD", (9, 50, 9, 24), strict=True):
        levels.column_dimensions[letter].width = width
    book.properties.title = parindex.cell_text(f"{assessment.unit.name} – {assessment.cycle.name}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- upload -------------------------------------------------------------------------------


@dataclass
class Change:
    """What one row changes. ``inputs`` None: only the documents change."""

    entry: Entry
    inputs: dict[str, object] | None
    note: str
    evidence_ids: list[int]


def _labels(items: list[tuple[str, Any]]) -> dict[str, str]:
    """Header text (in every site language, case-folded) → column key."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.update({str(label).casefold(): key for key, label in items})
    return found


def _text(cell: Any, name: str) -> str | None:
    """A cell as input text: None when empty, numbers without float noise, % cells × 100."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        number = parindex.parse_decimal(value)
        if name == "percent" and "%" in (cell.number_format or ""):
            number *= 100
        return f"{number.normalize():f}"
    return str(value).strip()


def _normalise(spec: parindex.InputSpec | None, text: str) -> str:
    """Choice labels (or keys) to their keys; yes/no words in Vietnamese or English to yes/no
    (the core's reading, :meth:`parindex.InputSpec.key_of`); numbers as typed."""
    if spec is None or spec.numeric:
        return text
    return spec.key_of(text) or text


def _same(a: dict[str, object], b: dict[str, object]) -> bool:
    return {k: str(v) for k, v in a.items()} == {k: str(v) for k, v in b.items()}


class _Reader:
    """Checks an uploaded sheet row by row, collecting changes and every problem."""

    def __init__(self, assessment: Assessment, sheet: Any, columns: dict[str, int]) -> None:
        self.assessment, self.sheet, self.columns = assessment, sheet, columns
        self.core = assessment.cycle.core()
        self.entries = entries_by_code(assessment)
        self.documents: dict[str, list[int]] = {}
        for document in assessment.evidence.all():
            for ref in {document.doc_number, document.original_name} - {""}:
                self.documents.setdefault(ref.casefold(), []).append(document.pk)
        self.changes: list[Change] = []
        self.errors: list[str] = []

    def error(self, row: int, key: str, message: str) -> None:
        index = self.columns.get(key, self.columns["code"])
        header = self.sheet.cell(row=1, column=index + 1).value
        self.errors.append(
            _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(header)s): %(message)s")
            % {
                "sheet": self.sheet.title,
                "row": row,
                "column": get_column_letter(index + 1),
                "header": header,
                "message": message,
            }
        )

    def read(self) -> None:
        seen: set[str] = set()
        for number, cells in enumerate(self.sheet.iter_rows(min_row=2), start=2):
            cell = {key: cells[i] for key, i in self.columns.items() if i < len(cells)}
            if all(c.value in (None, "") for c in cell.values()):
                continue
            try:
                code = parindex.clean_name(_text(cell["code"], "code") or "")
            except ValueError as exc:
                self.error(number, "code", describe(name_problem(exc, parindex.Location())))
                continue
            if not code:
                self.error(number, "code", _("the code is missing"))
            elif code in seen:
                self.error(
                    number, "code", _("the criterion %(code)s is listed twice") % {"code": code}
                )
            elif not self.core.is_leaf(code) or code not in self.entries:
                self.error(number, "code", _("no criterion %(code)s to fill in") % {"code": code})
            else:
                self.row(number, self.entries[code], self.core.by_code[code], cell)
            seen.add(code)

    def row(self, number: int, entry: Entry, node: parindex.Node, cell: dict[str, Any]) -> None:
        assert node.rule is not None
        raw = {n: _text(cell[n], n) for n in INPUTS if n in cell}
        specs = _specs(node)
        given = {n: _normalise(specs.get(n), v) for n, v in raw.items() if v is not None}
        if self.core.source_of(node.code) is not parindex.Source.APPRAISAL:
            if given:
                first = next(iter(given))
                self.error(
                    number, first, _("this criterion is filled from surveys or service data")
                )
            return
        note = (_text(cell["note"], "note") or "") if "note" in cell else entry.note
        ids = self.evidence_ids(number, entry, cell)
        wanted = {n: v for n, v in given.items() if n in node.rule.fields()}
        inputs = self.inputs(number, entry, node, wanted, note)
        if inputs is None and not wanted and not entry.inputs and note != entry.note:
            self.error(number, "note", _("a note can only be saved together with the input"))
        if inputs is not None and _same(inputs, entry.inputs):
            inputs = entry.inputs if note != entry.note else None
        if inputs is None and sorted(ids) == sorted(d.pk for d in entry.evidence.all()):
            return
        self.changes.append(Change(entry, inputs, note, ids))

    def inputs(
        self, number: int, entry: Entry, node: parindex.Node, wanted: dict[str, str], note: str
    ) -> dict[str, object] | None:
        """The row's input, checked by the same form as the web page. Without any: the stored
        input when the sheet has none of the rule's columns, else None (and an error if that
        would remove a stored input)."""
        assert node.rule is not None, "rows are read for the leaves with a rule"
        fields = node.rule.fields()
        shown = [n for n in fields if n in self.columns]
        if not wanted:
            if entry.inputs and shown:
                self.error(number, shown[0], _("the input cannot be removed; enter a value"))
                return None
            return entry.inputs or None
        form = EntryForm(
            {**wanted, "note": note, "version": entry.version},
            cycle=self.assessment.cycle,
            node=node,
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                for message in map(str, errors):
                    if name in self.columns:
                        self.error(number, name, message)
                    else:  # a field without its column, or the whole input
                        label = form.fields[name].label if name in form.fields else ""
                        text = f"{label}: {message}" if label and name != "note" else message
                        self.error(number, shown[0] if shown else "code", text)
            return None
        return form.inputs()

    def evidence_ids(self, number: int, entry: Entry, cell: dict[str, Any]) -> list[int]:
        if "evidence" not in cell:
            return [d.pk for d in entry.evidence.all()]
        ids: list[int] = []
        for ref in re.split(r"[,;\n]", _text(cell["evidence"], "evidence") or ""):
            if not ref.strip():
                continue
            found = self.documents.get(ref.strip().casefold())
            if found is None:
                message = _("no document “%(ref)s” among the unit's documents")
                self.error(number, "evidence", message % {"ref": ref.strip()})
            else:
                ids += [pk for pk in found if pk not in ids]
        return ids


def read(assessment: Assessment, upload: Any) -> tuple[list[Change], list[str]]:
    """The changes an uploaded workbook asks for, and every problem found (nothing is saved)."""
    try:  # the core checks the archive (size, parts, compression) before openpyxl parses it
        book = parindex.open_workbook(
            upload, upload.name or "workbook.xlsx", limits=upload_limits()
        )
    except parindex.InputError as exc:
        return [], [describe(p) for p in exc.problems]
    titles = _labels([("sheet", SHEET)])
    sheet = next(
        (ws for ws in book.worksheets if ws.title.casefold() in titles), book.worksheets[0]
    )
    known = _labels(OLD_HEADERS + COLUMNS)
    columns: dict[str, int] = {}
    for index, cell in enumerate(sheet[1]):
        key = known.get(str(cell.value or "").strip().casefold())
        if key is not None and key not in columns:
            columns[key] = index
    if "code" not in columns:
        message = _("The sheet “%(sheet)s” has no column “%(header)s” in its first row.")
        return [], [message % {"sheet": sheet.title, "header": _("Code")}]
    reader = _Reader(assessment, sheet, columns)
    reader.read()
    return reader.changes, reader.errors


@transaction.atomic
def apply(user: User, assessment: Assessment, changes: list[Change]) -> int:
    """Save every change, or none: the first refusal undoes the others."""
    services.require_officer_can_edit(assessment)
    for change in changes:
        entry = Entry.objects.select_related("assessment__cycle", "assessment__unit").get(
            pk=change.entry.pk
        )
        if change.inputs is None:
            services.link_evidence(user, entry, change.evidence_ids)
        else:
            services.save_self_assessment(
                user,
                entry,
                inputs=change.inputs,
                note=change.note,
                version=entry.version,
                evidence_ids=change.evidence_ids,
            )
    return len(changes)
