"""A methodology published as a decision's appendix table (phụ lục), read and written.

Provinces publish their criteria as a table: STT, field / criterion / sub-criterion, maximum
points, required evidence, how it is scored. :func:`parse_appendix_table` reads such a table
(rows as :func:`parindex.archives.workbook_rows` returns them) into the same
:class:`~parindex.model.Methodology` the YAML and CSV readers produce, and reports every problem
with its row and column. The headers it knows, in Vietnamese and English, the words of the level
and source columns and the words of the scoring texts are data
(``parindex/data/tables/appendix.yaml``), not code. :func:`methodology_to_table` writes a
methodology as such a table (read back, it is the same tree) and :func:`write_appendix_xlsx` as
a workbook. See ``docs/methodology-table.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from .archives import workbook_rows
from .decimals import ZERO, parse_decimal, quantize
from .errors import Location, MethodologyError, Problem
from .inputs import DEFAULT_LIMITS, Limits, clean_name, load_json, load_yaml, name_problem
from .inputs import Source as SourceFile
from .model import Methodology, Node, Source
from .rules import (
    DeductionRule,
    Level,
    LevelsRule,
    PointsRule,
    ProportionalRule,
    Rule,
    Step,
    ThresholdsRule,
    YesNoRule,
    rule_from_dict,
)
from .sheets import put_cell
from .text import fold

__all__ = [
    "TableWords",
    "methodology_to_table",
    "parse_appendix_table",
    "read_appendix_table",
    "scoring_rule",
    "scoring_text",
    "table_words",
    "write_appendix_xlsx",
]

Rows = Sequence[tuple[int, Sequence[str]]]
"""A table as (1-based row number, cells as text) pairs, the shape ``workbook_rows`` returns."""

_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_DOTTED = re.compile(r"^\d+(?:\.\d+)*\.?$")
_NUMBERING = re.compile(r"^\(?\d+\)?$")  # a row numbering the columns: (1) (2) (3)
_NUMBER = r"\d+(?:[.,]\d+)?"
_BULLET = re.compile(r"^[-+•*–]\s*")


def _key(text: str) -> str:
    """Text as the vocabulary compares it: folded, spaces collapsed, edge punctuation removed."""
    return " ".join(fold(text).split()).strip(" :.")


@dataclass(frozen=True)
class TableWords:
    """The vocabulary of appendix tables (``parindex/data/tables/appendix.yaml``)."""

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    total_rows: tuple[str, ...]
    levels: dict[int, tuple[str, ...]]
    sources: dict[str, tuple[str, ...]]
    scoring: dict[str, Any]

    def column_of(self, header: str) -> str | None:
        """The column a header names (``code``, ``name``, …), or None."""
        wanted = _key(header)
        return next(
            (col for col, aliases in self.columns.items() if wanted in map(_key, aliases)), None
        )

    def heading(self, column: str) -> str:
        """The header parindex writes for ``column`` (its first alias)."""
        return self.columns[column][0]

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(self.scoring[name])


@cache
def table_words() -> TableWords:
    """The shipped vocabulary, read once."""
    path = resources.files("parindex") / "data" / "tables" / "appendix.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"), "appendix.yaml", MethodologyError)
    return TableWords(
        columns={key: tuple(value) for key, value in data["columns"].items()},
        required=tuple(data["required"]),
        total_rows=tuple(data["total_rows"]),
        levels={int(key): tuple(value) for key, value in data["levels"].items()},
        sources={key: tuple(value) for key, value in data["sources"].items()},
        scoring=dict(data["scoring"]),
    )


# --- scoring texts ----------------------------------------------------------------------------


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _vi(value: Decimal) -> str:
    """A number as a Vietnamese table writes it: ``0,5``."""
    return _plain(value).replace(".", ",")


def _lines(text: str) -> list[str]:
    parts = re.split(r"[\n|]", text)
    return [_BULLET.sub("", part.strip()).strip() for part in parts if part.strip()]


def _graded(line: str, w: TableWords) -> tuple[str, Decimal] | None:
    """``label: 1``, ``label: 0,5 điểm`` or ``label (1 điểm)``: the label and its points."""
    unit = rf"(?:\s*(?:{_alternatives(w.words('point_words'))})\b)?"
    for pattern in (
        rf"^(?P<label>.+?)\s*[:：]\s*(?P<points>{_NUMBER}){unit}\.?\s*(?:\(.*\))?$",
        rf"^(?P<label>.+?)\s*\(\s*(?P<points>{_NUMBER}){unit}\s*\)\.?$",
    ):
        match = re.match(pattern, line, re.IGNORECASE)
        if match:
            return match["label"].strip(), parse_decimal(match["points"])
    return None


def _starts_with(text: str, words: Sequence[str]) -> bool:
    key = _key(text)
    return any(key == _key(w) or key.startswith(_key(w) + " ") for w in words)


def _step(label: str, points: Decimal, w: TableWords) -> Step | None:
    """The threshold step a level's label states, or None if it names no percentage."""
    words = {kind: w.words(kind) for kind in ("above", "from", "below")}
    every = _alternatives([word for group in words.values() for word in group])
    match = re.search(
        rf"(?:(?<!\w)(?P<word>{every})\s*)?(?P<n>{_NUMBER})\s*%", label, re.IGNORECASE
    )
    if match is None:
        return None
    number = parse_decimal(match["n"])
    word = _key(match["word"] or "")
    if word in map(_key, words["below"]):
        return Step(ZERO, True, points)
    return Step(number, word not in map(_key, words["above"]), points)


def _proportional(lines: list[str], w: TableWords) -> ProportionalRule | None:
    times = _alternatives(w.words("times"))
    if not any("/" in line and re.search(rf"(?<!\w)(?:{times})(?!\w)", line) for line in lines):
        return None
    floor = ZERO
    for line in lines:
        graded = _graded(line, w)
        step = _step(graded[0], graded[1], w) if graded else None
        if graded and step is not None and step.minimum == 0 and graded[1] == 0:
            below = re.search(rf"({_NUMBER})\s*%", graded[0])
            floor = parse_decimal(below[1]) if below else ZERO
    return ProportionalRule(floor=floor)


def _deduction(text: str, w: TableWords) -> DeductionRule | None:
    deduct = _alternatives(w.words("deduct"))
    match = re.match(rf"^\s*(?:{deduct})\s+(?P<n>{_NUMBER})", text, re.IGNORECASE)
    each = any(_key(word) in _key(text).split() for word in w.words("each"))
    return DeductionRule(per_item=parse_decimal(match["n"])) if match and each else None


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-") or "level"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def scoring_rule(text: str, max_points: Decimal, words: TableWords | None = None) -> Rule | None:
    """The rule a scoring text ("Cách chấm điểm") states, or None when it is not recognised.

    Recognised: a rule as JSON (``{"kind": "yes_no"}``, as in the interchange CSV); the words
    of direct points; "trừ 0,5 điểm cho mỗi …" (a deduction); a level "số đã hoàn thành / số
    đề ra × 1 điểm" (proportional; a "dưới 90%: 0" level sets the floor); levels that all name
    a percentage (thresholds: "trên 90%" above, "từ 70%" from, "dưới 70%" the bottom step); two
    levels of which exactly one is negated ("Đạt: 1 | Không đạt: 0": yes/no); two or more
    graded levels (levels, keyed by their folded labels). A yes/no level worth the maximum is
    written as "the maximum" (``yes`` None).
    """
    w = words or table_words()
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        data = load_json(stripped, Location(), MethodologyError)
        if not isinstance(data, dict):
            raise ValueError('a rule is a JSON object such as {"kind": "yes_no"}')
        return rule_from_dict(data)
    lines = _lines(stripped)
    if not lines:
        return None
    if len(lines) == 1 and _key(lines[0]) in map(_key, w.words("points")):
        return PointsRule()
    found: Rule | None = _deduction(stripped, w) or _proportional(lines, w)
    if found is not None:
        return found
    graded = [_graded(line, w) for line in lines]
    levels = [g for g in graded if g is not None]
    if len(levels) < 2 or len(levels) != len(lines):
        return None
    steps = [_step(label, points, w) for label, points in levels]
    if all(step is not None for step in steps):
        ordered = sorted(
            (s for s in steps if s is not None), key=lambda s: (s.minimum, not s.inclusive)
        )
        return ThresholdsRule(tuple(reversed(ordered)))
    negated = [_starts_with(label, w.words("negations")) for label, _ in levels]
    if len(levels) == 2 and negated.count(True) == 1:
        yes = levels[negated.index(False)][1]
        no = levels[negated.index(True)][1]
        return YesNoRule(yes=None if yes == max_points else yes, no=no)
    taken: set[str] = set()
    return LevelsRule(tuple(Level(_slug(label, taken), label, pts) for label, pts in levels))


def scoring_text(rule: Rule, max_points: Decimal, words: TableWords | None = None) -> str:
    """A scoring text that :func:`scoring_rule` reads back as ``rule``; the rule as JSON where
    words cannot say it (for example a thresholds rule that lets achieved pass planned)."""
    w = words or table_words()
    text = ""
    if isinstance(rule, PointsRule):
        text = w.words("points")[0]
    elif isinstance(rule, YesNoRule):
        yes = max_points if rule.yes is None else rule.yes
        text = f"{w.scoring['yes_label']}: {_vi(yes)} | {w.scoring['no_label']}: {_vi(rule.no)}"
    elif isinstance(rule, LevelsRule):
        text = " | ".join(f"{lv.label}: {_vi(lv.points)}" for lv in rule.levels)
    elif isinstance(rule, ThresholdsRule):
        text = " | ".join(
            f"{w.words('from' if s.inclusive else 'above')[0]} {_vi(s.minimum)}%: {_vi(s.points)}"
            for s in rule.steps
        )
    elif isinstance(rule, ProportionalRule):
        text = f"{w.scoring['proportional']}: {_vi(max_points)}"
        if rule.floor:
            text += f" | {w.words('below')[0]} {_vi(rule.floor)}%: 0"
    elif isinstance(rule, DeductionRule):
        text = w.scoring["deduction"].format(per_item=_vi(rule.per_item))
    try:
        same = bool(text) and scoring_rule(text, max_points, w) == rule
    except (ValueError, MethodologyError):  # a level's label that reads as JSON, say
        same = False
    return text if same else json.dumps(rule.to_dict(), ensure_ascii=False)


# --- reading a table --------------------------------------------------------------------------


@dataclass
class _Row:
    """One node row of the table, as read."""

    number: int
    code: str
    level: int
    cells: dict[str, str]
    max_points: Decimal | None
    scoring: list[str]
    evidence: list[str]


class _Table:
    """Reads the rows after the header; collects every problem."""

    def __init__(self, file: str, header: dict[str, int], names: dict[str, str]) -> None:
        self.file, self.header, self.names = file, header, names
        self.words = table_words()
        self.problems: list[Problem] = []
        self.rows: list[_Row] = []
        self.total: tuple[int, Decimal | None] | None = None
        self.roman = False

    def at(self, row: int, column: str, code: str | None = None) -> Location:
        return Location(self.file, row, self.names.get(column, column), code or None)

    def fail(self, message: str, where: Location, kind: str, *detail: object) -> None:
        params = {"detail": "|".join(str(d) for d in detail)}
        self.problems.append(Problem(message, where, kind, params))

    def cell(self, cells: Sequence[str], column: str) -> str:
        index = self.header.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def number(self, text: str, row: int, code: str) -> Decimal | None:
        where = self.at(row, "max_points", code)
        try:
            value = parse_decimal(text)
        except ValueError:
            shown = text or "(empty)"
            self.fail(f"the maximum {shown!r} is not a number", where, "appendix_max_number", text)
            return None
        if value <= 0:
            message = f"the maximum {_plain(value)} must be above 0"
            self.fail(message, where, "appendix_max_positive", _plain(value))
        return value

    def stt_level(self, code: str) -> int | None:
        if _ROMAN.match(code):
            self.roman = True
            return 1
        if _DOTTED.match(code):
            return code.rstrip(".").count(".") + 1 + (1 if self.roman else 0)
        return None

    def column_level(self, text: str, row: int, code: str) -> int | None:
        key = _key(text)
        if key.isdigit() and int(key) >= 1:
            return int(key)
        for level, words in self.words.levels.items():
            if key in map(_key, words):
                return level
        message = f"the level {text!r} is not a level; write 1, 2, 3 or Lĩnh vực, Tiêu chí, …"
        self.fail(message, self.at(row, "level", code), "appendix_level", text)
        return None

    def level(self, code: str, cells: Sequence[str], row: int) -> int | None:
        by_stt = self.stt_level(code)
        given = self.cell(cells, "level")
        by_column = self.column_level(given, row, code) if given else None
        if by_column is not None and by_stt is not None and by_column != by_stt:
            message = f"the level column says {by_column} but STT {code} is numbered level {by_stt}"
            where = self.at(row, "level", code)
            self.fail(message, where, "appendix_level_mismatch", by_column, code, by_stt)
        if by_column is None and by_stt is None:
            message = f"STT {code!r} is not a numbering like 1, 1.1, 1.1.1 or I, II"
            self.fail(message, self.at(row, "code", code), "appendix_code", code)
        return by_stt or by_column

    def read(self, number: int, cells: Sequence[str]) -> bool:
        """Read one row; False once the total row is read (the rows after it are notes)."""
        code, name = self.cell(cells, "code"), self.cell(cells, "name")
        if not any(cell.strip() for cell in cells):
            return True
        if _key(code) in map(_key, self.words.total_rows) or (
            not code and _key(name) in map(_key, self.words.total_rows)
        ):
            text = self.cell(cells, "max_points")
            self.total = (number, self.number(text, number, "") if text else None)
            return False
        if not self.rows and _numbering_row(cells):
            return True
        if not code:
            return self.continuation(number, cells, name)
        try:
            code = clean_name(code)
        except ValueError as exc:
            self.problems.append(name_problem(exc, self.at(number, "code")))
            return True
        level = self.level(code, cells, number)
        text = self.cell(cells, "max_points")
        self.rows.append(
            _Row(
                number,
                code,
                level or 0,
                {col: self.cell(cells, col) for col in self.header},
                self.number(text, number, code),
                [self.cell(cells, "scoring")] if self.cell(cells, "scoring") else [],
                [self.cell(cells, "evidence")] if self.cell(cells, "evidence") else [],
            )
        )
        return True

    def continuation(self, number: int, cells: Sequence[str], name: str) -> bool:
        """A row without STT after a node adds a scoring line ("name: points") to it."""
        if not self.rows:
            self.fail("the STT is empty", self.at(number, "code"), "appendix_code_missing")
            return True
        last = self.rows[-1]
        points = self.cell(cells, "max_points")
        if name:
            last.scoring.append(f"{name}: {points}" if points else name)
        for column, bucket in (("scoring", last.scoring), ("evidence", last.evidence)):
            if self.cell(cells, column):
                bucket.append(self.cell(cells, column))
        return True


def _numbering_row(cells: Sequence[str]) -> bool:
    """The row some tables put under the header to number the columns: (1) (2) (3) …"""
    filled = [c.strip() for c in cells if c.strip()]
    return (
        len(filled) >= 3
        and all(_NUMBERING.match(c) for c in filled)
        and [int(c.strip("()")) for c in filled] == list(range(1, len(filled) + 1))
    )


def _find_header(rows: Rows, file: str) -> tuple[int, dict[str, int], dict[str, str]]:
    """The index of the header row in ``rows``, column → cell index, column → header text."""
    w = table_words()
    for index, (number, cells) in enumerate(rows):
        found: dict[str, int] = {}
        names: dict[str, str] = {}
        for position, cell in enumerate(cells):
            column = w.column_of(cell) if cell.strip() else None
            if column is not None and column not in found:
                found[column], names[column] = position, cell.strip()
        if "code" in found and ("max_points" in found or "name" in found):
            missing = [c for c in w.required if c not in found]
            if missing:
                headings = ", ".join(w.heading(c) for c in missing)
                raise MethodologyError(
                    Problem(
                        f"the header row lacks the column(s) {headings}",
                        Location(file, number),
                        "appendix_missing_column",
                        {"detail": headings},
                    )
                )
            return index, found, names
    headings = ", ".join(w.heading(c) for c in w.required)
    raise MethodologyError(
        Problem(
            f"no header row found; a row must name the columns {headings}",
            Location(file),
            "appendix_no_header",
            {"detail": headings},
        )
    )


def _node(table: _Table, row: _Row, parent: str | None, leaf: bool) -> Node:
    cells, code = row.cells, row.code
    texts: dict[str, str] = {}
    for column in ("name", "name_en"):
        try:
            texts[column] = clean_name(cells.get(column, ""))
        except ValueError as exc:
            table.problems.append(name_problem(exc, table.at(row.number, column, code)))
            texts[column] = ""
    if not cells.get("name", "").strip():
        table.fail("the name is empty", table.at(row.number, "name", code), "appendix_name")
    scoring = "\n".join(row.scoring)
    note = cells.get("note", "")
    rule: Rule | None = None
    if leaf:
        try:
            rule = scoring_rule(scoring, row.max_points or ZERO) if scoring else None
        except (ValueError, MethodologyError) as exc:
            reason = exc.problems[0].message if isinstance(exc, MethodologyError) else str(exc)
            where = table.at(row.number, "scoring", code)
            table.fail(f"the scoring rule is not valid: {reason}", where, "appendix_rule", reason)
        if rule is None:
            rule = PointsRule()
            note = "\n".join(part for part in (note, scoring) if part)
        for message in rule.check(row.max_points or ZERO) if row.max_points else ():
            table.fail(message, table.at(row.number, "scoring", code), "appendix_rule", message)
    elif scoring:
        note = "\n".join(part for part in (note, scoring) if part)
    return Node(
        code=code,
        parent=parent,
        name=texts["name"],
        max_points=row.max_points or ZERO,
        name_en=texts["name_en"],
        source=_source(table, row),
        rule=rule,
        evidence="\n".join(row.evidence),
        legal_basis=cells.get("legal_basis", ""),
        note=note,
    )


def _source(table: _Table, row: _Row) -> Source | None:
    text = row.cells.get("source", "")
    if not text:
        return None
    for value, words in table.words.sources.items():
        if _key(text) in {_key(value), *map(_key, words)}:
            return Source(value)
    known = ", ".join(words[0] for words in table.words.sources.values())
    where = table.at(row.number, "source", row.code)
    table.fail(f"unknown source {text!r}; write one of: {known}", where, "appendix_source", text)
    return None


def _tree(table: _Table) -> list[Node]:
    """Parents from levels, duplicates, level skips and numbering, then the nodes."""
    first: dict[str, int] = {}
    stack: list[_Row] = []
    parents: dict[int, str | None] = {}
    for row in table.rows:
        if row.code in first:
            message = f"STT {row.code} is used twice (first in row {first[row.code]})"
            where = table.at(row.number, "code", row.code)
            table.fail(message, where, "appendix_duplicate", row.code, first[row.code])
        first.setdefault(row.code, row.number)
        if row.level == 0:  # unreadable level: reported; keep it under the last node
            parents[row.number] = stack[-1].code if stack else None
            continue
        if row.level - 1 > len(stack):
            above = stack[-1].level if stack else 0
            message = (
                f"{row.code} is a level-{row.level} row directly under a level-{above} row; "
                f"a level-{above + 1} row is missing between them"
            )
            where = table.at(row.number, "code", row.code)
            table.fail(message, where, "appendix_level_skip", row.code, row.level, above)
        del stack[row.level - 1 :]
        parent = stack[-1] if stack else None
        parents[row.number] = parent.code if parent else None
        if (
            parent is not None
            and _DOTTED.match(row.code)
            and _DOTTED.match(parent.code)
            and not row.code.startswith(parent.code.rstrip(".") + ".")
        ):
            message = f"STT {row.code} is under {parent.code} but not numbered {parent.code}.…"
            where = table.at(row.number, "code", row.code)
            table.fail(message, where, "appendix_numbering", row.code, parent.code)
        stack.append(row)
    has_children = {p for p in parents.values() if p is not None}
    return [_node(table, r, parents[r.number], r.code not in has_children) for r in table.rows]


def _sums(table: _Table, m: Methodology) -> None:
    rows = {row.code: row for row in reversed(table.rows)}
    for node in m.nodes:
        kids = m.children.get(node.code, ())
        row = rows[node.code]
        unread = [rows[k.code] for k in kids if rows[k.code].max_points is None]
        if (
            not kids
            or row.max_points is None
            or unread
            or any(rows[k.code].level == 0 for k in kids)
        ):
            continue
        total = sum((kid.max_points for kid in kids), ZERO)
        if quantize(total, m.places) != quantize(node.max_points, m.places):
            message = (
                f"the maximum {_plain(node.max_points)} differs from the sum of its children's "
                f"maxima {_plain(total)}"
            )
            where = table.at(row.number, "max_points", node.code)
            table.fail(message, where, "appendix_sum", _plain(node.max_points), _plain(total))
    if table.total is not None and table.total[1] is not None:
        declared, fields = table.total[1], m.max_total
        if quantize(declared, m.places) != quantize(fields, m.places):
            message = (
                f"the declared total {_plain(declared)} differs from the sum of the fields' "
                f"maxima {_plain(fields)}"
            )
            where = table.at(table.total[0], "max_points")
            table.fail(message, where, "appendix_total", _plain(declared), _plain(fields))


def parse_appendix_table(rows: Rows, file: str = "<table>") -> Methodology:
    """The methodology an appendix table states; :class:`MethodologyError` with every problem.

    The header row is the first row naming the STT column and the maximum or name column (rows
    above it are the title: the first one names the methodology). Below it, each row with an
    STT is a node: its level comes from the numbering ("1", "1.1", "1.1.1"; "I", "II" for fields,
    whose criteria are then "1", "1.1") or from a level column; its parent is the last row one
    level up. A row without STT adds a scoring line to the node above it; a "Tổng cộng" row
    declares the total and ends the table. Leaves get the rule their scoring text states
    (:func:`scoring_rule`), or direct points with the text kept in the note. Problems name the
    row and the column as the header writes it; the result is valid
    (:func:`parindex.validate` finds nothing).
    """
    rows = [(n, list(cells)) for n, cells in rows]
    index, header, names = _find_header(rows, file)
    table = _Table(file, header, names)
    for number, cells in rows[index + 1 :]:
        if not table.read(number, cells):
            break
    if not table.rows and not table.problems:
        where = Location(file, rows[index][0])
        table.fail("the table has no rows under its header", where, "appendix_empty")
    nodes = _tree(table)
    title = next((c.strip() for _, cells in rows[:index] for c in cells if c.strip()), "")
    stem = Path(file).stem
    m = Methodology(
        id=stem,
        name=title or stem,
        nodes=tuple(nodes),
        total_points=table.total[1] if table.total else None,
    )
    _sums(table, m)
    if table.problems:
        raise MethodologyError(sorted(table.problems, key=lambda p: p.location.row or 0))
    return m


def read_appendix_table(
    source: SourceFile, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Methodology:
    """:func:`parse_appendix_table` of the first sheet of an XLSX workbook (checked by
    :func:`parindex.archives.open_workbook`: no bombs, formulas or entities)."""
    name = file if file is not None else str(source)
    rows = workbook_rows(source, name, error=MethodologyError, limits=limits)
    return parse_appendix_table(rows, name)


# --- writing a table --------------------------------------------------------------------------

_WRITTEN = ("code", "name", "max_points", "evidence", "scoring", "level", "source", "name_en")
_WRITTEN_TAIL = ("legal_basis", "note")


def _level_word(w: TableWords, level: int) -> str:
    """A level as people write it in the level column: its first word in the table words
    ("Lĩnh vực", "Tiêu chí", "Tiêu chí thành phần"), its number below those."""
    words = w.levels.get(level)
    return words[0] if words else str(level)


def methodology_to_table(m: Methodology) -> list[list[str | Decimal]]:
    """``m`` as an appendix table: the header, one row per node (maxima as Decimals), and a
    "Tổng cộng" row when ``m`` states its total. :func:`parse_appendix_table` reads it back
    as the same nodes."""
    w = table_words()
    columns = (*_WRITTEN, *_WRITTEN_TAIL)
    table: list[list[str | Decimal]] = [[w.heading(c) for c in columns]]
    for node in m.nodes:
        leaf = m.is_leaf(node.code)
        values: dict[str, str | Decimal] = {
            "code": node.code,
            "name": node.name,
            "max_points": node.max_points,
            "evidence": node.evidence,
            "scoring": scoring_text(node.rule, node.max_points) if node.rule and leaf else "",
            "level": _level_word(w, m.level(node.code)),
            "source": w.sources[node.source.value][0] if node.source else "",
            "name_en": node.name_en,
            "legal_basis": node.legal_basis,
            "note": node.note,
        }
        table.append([values[c] for c in columns])
    if m.total_points is not None:
        total = [""] * len(columns)
        table.append([w.total_rows[0], "", m.total_points, *total[3:]])
    return table


def write_appendix_xlsx(m: Methodology, target: str | Path | IO[bytes], title: str = "") -> None:
    """``m`` as a workbook: ``title`` (or the methodology's name) in the first row, then
    :func:`methodology_to_table`; every text a string cell (:func:`parindex.put_cell`), maxima
    numbers. :func:`read_appendix_table` reads it back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    put_cell(sheet, 1, 1, title or m.name).font = Font(bold=True)
    for r, values in enumerate(methodology_to_table(m), start=3):
        for c, value in enumerate(values, start=1):
            cell = put_cell(sheet, r, c, value if value != "" else None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 3:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (8, 50, 10, 35, 45, 6, 14, 30, 25, 25), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    book.save(target)
