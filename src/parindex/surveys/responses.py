"""Field data: a KoboToolbox or ODK export (CSV or XLSX) checked row by row against its form.

Headers name questions by their XML name, alone or with their group path (``dich_vu/q24``
as Kobo writes it, ``dich_vu-q24`` as ODK Central does), or by their label;
a select-multiple question is one column of space-separated choices (``kenh``) or one column per
choice (``kenh/truc_tiep``, holding 1/0 or true/false), or both, as Kobo writes it (then the
first is read). Columns that name no question (``_id``, ``_submission_time``, ``meta/…``) are
ignored; questions inside repeats are not read (exports put repeats in other sheets).

Every row is checked: a select answer must be a choice of its list (a select_one's may also be
given by its choice's label in any language, as a label export or a paper form keyed in by
hand writes it: it is read as the choice's name), an integer a whole number,
a decimal a number; a question whose ``relevant`` (or a group's around it) is false for the row
must be blank, a ``required`` one must be answered where it is relevant, and an answer of the
right type must meet its ``constraint`` (:mod:`parindex.surveys.expressions`). The extra columns asked for (the CLI's ``--by``,
``--strata``: not empty; ``--weight``: a number above 0; ``--by``, when the caller names the known
units: one of them) are checked too. Rows with the same
submission id (``_uuid``, ``KEY``, ``meta/instanceID``, ``meta-instanceID`` or ``instanceID``) and the same cells are
exact duplicates: all but the first are skipped and counted; the same id with other answers is
a problem. Every problem is reported (file, row, column, reason) in one
:class:`~parindex.surveys.SurveyError`, and nothing is returned when there is any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from ..archives import workbook_rows
from ..decimals import parse_decimal
from ..errors import Location, Problem
from ..inputs import Source, csv_records, refuse_duplicate_columns
from .definitions import SurveyError
from .expressions import holds, parse, references
from .xlsform import Form, Question

__all__ = ["ID_COLUMNS", "Responses", "read_responses"]

ID_COLUMNS = ("_uuid", "key", "meta/instanceid", "meta-instanceid", "instanceid")
"""Submission-id columns, in the order they are looked for (without case)."""

_INTEGER = re.compile(r"-?[0-9]+")
_FLAGS = {"1": True, "true": True, "0": False, "false": False, "": False}


@dataclass(frozen=True)
class Responses:
    """The responses kept: per question (outside repeats) its answers, ``""`` for none, a
    select-multiple's choices space-separated; the extra columns by the key they were asked
    under; the rows they came from; how many exact duplicates were skipped; and each kept
    row's submission id (``""`` where the file has none)."""

    file: str
    rows: tuple[int, ...]
    answers: Mapping[str, list[str]]
    extra: Mapping[str, list[str]]
    duplicates: int
    ids: tuple[str, ...] = ()


def _table(source: Source, name: str) -> list[tuple[int, list[str]]]:
    if name.lower().endswith((".xlsx", ".xlsm")):
        rows = workbook_rows(source, name, error=SurveyError)
    else:
        rows = csv_records(source, name, error=SurveyError)
    return [(n, [c.strip() for c in row]) for n, row in rows if any(c.strip() for c in row)]


@dataclass
class _Columns:
    answers: dict[str, int]  # question name -> column index
    flags: dict[str, dict[str, int]]  # select-multiple -> choice -> column index
    extra: dict[str, int]  # key -> column index
    ident: int | None


def _question(title: str, questions: Mapping[str, Question], labels: Mapping[str, str]) -> str:
    """The question a header names: by its XML name, after a group path written with ``/``
    (Kobo) or ``-`` (ODK Central: ``g-q1``), the longest such suffix first; or by its label in
    any language (Kobo's export "with labels"); ``""`` for none."""
    cuts = [0] + [i + 1 for i, char in enumerate(title) if char in "/-"]
    found = next((title[cut:] for cut in cuts if title[cut:] in questions), "")
    return found or labels.get(title, "")


def _columns(
    header: list[str], form: Form, extra: Mapping[str, str], file: str, row: int
) -> _Columns:
    questions = {q.name: q for q in form.questions if not q.in_repeat}
    labels = _unique((q.labels, q.name) for q in questions.values())
    found = _Columns({}, {}, {}, None)
    for index, title in enumerate(header):
        parts = title.split("/")
        lower = title.lower()
        for key in (k for k, column in extra.items() if column.lower() == lower):
            found.extra[key] = index  # a column may also be a question's (--by a select_one)
        name = _question(title, questions, labels)
        if lower in ID_COLUMNS:
            if found.ident is None or ID_COLUMNS.index(lower) < ID_COLUMNS.index(
                header[found.ident].lower()
            ):
                found.ident = index
        elif len(parts) > 1 and _is_choice(questions.get(parts[-2]), parts[-1], form):
            found.flags.setdefault(parts[-2], {})[parts[-1]] = index
        elif name:
            if name in found.answers:
                first = found.answers[name] + 1
                where = Location(file, row=row)
                raise SurveyError(
                    Problem.of(
                        "duplicate_column", where, column=name, first=first, second=index + 1
                    )
                )
            found.answers[name] = index
    problems = [
        Problem.of("response_option_column", Location(file, row=row), column=column, option=key)
        for key, column in extra.items()
        if key not in found.extra
    ]
    problems += [
        Problem.of("response_missing_column", Location(file, row=row), name=q.name)
        for q in questions.values()
        if q.required
        and not q.relevant
        and q.name not in found.answers
        and q.name not in found.flags
    ]
    if problems:
        raise SurveyError(problems)
    return found


def _unique(pairs: Iterable[tuple[Mapping[str, str], str]]) -> dict[str, str]:
    """Each label (of any language) that belongs to exactly one name, to that name."""
    named: dict[str, set[str]] = {}
    for labels, name in pairs:
        for label in labels.values():
            named.setdefault(label, set()).add(name)
    return {label: names.pop() for label, names in named.items() if len(names) == 1}


def _is_choice(question: Question | None, value: str, form: Form) -> bool:
    if question is None or question.kind != "select_multiple":
        return False
    return any(c.name == value for c in form.choices.get(question.list_name, ()))


Found = tuple[str, tuple[str, dict[str, str]] | None]
"""An answer as read (a label made a choice's name) and its problem's code and params."""


class _Rows:
    """Checks the kept rows against the form column by column (each distinct answer of a
    question once), collecting problems with the row and the column's rank in the row."""

    def __init__(
        self,
        form: Form,
        columns: _Columns,
        header: list[str],
        file: str,
        units: Collection[str] | None = None,
    ) -> None:
        self.columns, self.header, self.file = columns, header, file
        self.units = None if units is None else frozenset(units)
        self.questions = [
            q for q in form.questions if q.name in columns.answers or q.name in columns.flags
        ]
        self.lists = {name: {c.name for c in items} for name, items in form.choices.items()}
        self.labels = {
            name: _unique((c.labels, c.name) for c in items) for name, items in form.choices.items()
        }
        self.problems: list[tuple[int, int, Problem]] = []

    def add(self, row: int, rank: int, column: str, code: str, **params: str) -> None:
        where = Location(self.file, row, column)
        self.problems.append((row, rank, Problem.of(code, where, **params)))

    def answers(
        self, kept: list[tuple[int, list[str]]], done: Callable[[int], None]
    ) -> dict[str, list[str]]:
        """Each question's answers in the ``kept`` rows (``done(k)`` after the k-th)."""
        out: dict[str, list[str]] = {}
        for rank, q in enumerate(self.questions):
            done(rank)
            if q.name in self.columns.answers:
                index = self.columns.answers[q.name]
                raw = [cells[index] for _row, cells in kept]
                read = {value: self._read(q, value) for value in set(raw)}
                if any(problem is not None for _v, problem in read.values()):
                    for (row, _cells), value in zip(kept, raw, strict=True):
                        self._report(row, rank, q.name, read[value][1])
                out[q.name] = [read[value][0] for value in raw]
            else:
                out[q.name] = [self._flags(q, row, rank, cells) for row, cells in kept]
        return out

    def _report(
        self, row: int, rank: int, column: str, problem: tuple[str, dict[str, str]] | None
    ) -> None:
        if problem is not None:
            self.add(row, rank, column, problem[0], **problem[1])

    def _read(self, q: Question, raw: str) -> Found:
        value = raw
        if q.kind == "select_one" and value not in self.lists.get(q.list_name, ()):
            value = self.labels.get(q.list_name, {}).get(value, value)
        return value, self._check(q, value)

    def _flags(self, q: Question, row: int, rank: int, cells: list[str]) -> str:
        chosen = []
        for choice, index in self.columns.flags[q.name].items():
            flag = _FLAGS.get(cells[index].lower())
            if flag is None:
                self.add(row, rank, f"{q.name}/{choice}", "response_flag", value=cells[index])
            elif flag:
                chosen.append(choice)
        value = " ".join(chosen)
        self._report(row, rank, f"{q.name}/…", self._check(q, value))
        return value

    def _check(self, q: Question, value: str) -> tuple[str, dict[str, str]] | None:
        if not value:
            needed = q.required and not q.relevant
            return ("response_required", {"name": q.name}) if needed else None
        return value_problem(q, value, self.lists.get(q.list_name, set()))

    def logic(
        self,
        form: Form,
        kept: list[tuple[int, list[str]]],
        answers: dict[str, list[str]],
        done: Callable[[int], None],
    ) -> None:
        """Relevance (the question's and its groups'), ``required`` where relevant and the
        ``constraint`` of each answer of a valid type, row by row: each distinct set of the
        values an expression reads is evaluated once."""
        for rank, q in enumerate(self.questions):
            done(rank)
            blocks = [form.block(g) for g in q.groups]
            conditions = [b.relevant for b in blocks if b is not None and b.relevant]
            conditions += [q.relevant] if q.relevant else []
            if not conditions and not q.constraint:
                continue
            column = q.name if q.name in self.columns.answers else f"{q.name}/…"
            texts = [*conditions, q.constraint] if q.constraint else conditions
            reads = sorted(frozenset().union(*(references(parse(t)) for t in texts)))
            blank = [""] * len(kept)
            keys = zip(answers[q.name], *(answers.get(n, blank) for n in reads), strict=True)
            seen: dict[tuple[str, ...], str] = {}  # key -> the problem's code, "" for none
            for (row, _cells), key in zip(kept, keys, strict=True):
                if key not in seen:
                    seen[key] = self._logic(
                        q, conditions, dict(zip(reads, key[1:], strict=True)), key[0]
                    )
                if seen[key] == "response_constraint":
                    where = {"value": key[0], "constraint": q.constraint}
                    self.add(row, rank, column, "response_constraint", **where)
                elif seen[key]:
                    self.add(row, rank, column, seen[key], name=q.name)

    def _logic(self, q: Question, conditions: list[str], read: dict[str, str], value: str) -> str:
        """The problem's code of ``value`` under the ``read`` answers of the row, or ``""``."""

        def answer(name: str) -> str:
            return read.get(name, "")

        if not all(holds(c, answer, value) for c in conditions):
            return "response_not_relevant" if value else ""
        if not value:
            return "response_required" if q.required and conditions else ""
        valid = q.constraint and self._check(q, value) is None
        return "response_constraint" if valid and not holds(q.constraint, answer, value) else ""

    def extras(
        self, kept: list[tuple[int, list[str]]], answers: Mapping[str, list[str]]
    ) -> dict[str, list[str]]:
        """The extra columns' values in the ``kept`` rows, checked; a column that is also a
        question's is checked against ``units`` as the question's answers were read (a
        choice's label read as its name)."""
        out: dict[str, list[str]] = {}
        by_index = {at: name for name, at in self.columns.answers.items()}
        for j, (key, index) in enumerate(self.columns.extra.items()):
            values = [cells[index] for _row, cells in kept]
            question = by_index.get(index)
            units = self.units if key == "by" else None
            if question is not None and units is not None:
                units = units | {
                    raw
                    for raw, read in zip(values, answers[question], strict=True)
                    if read in units
                }
            read = {value: _extra_problem(key, value, units) for value in set(values)}
            if any(problem is not None for problem in read.values()):
                for (row, _cells), value in zip(kept, values, strict=True):
                    rank = len(self.questions) + j
                    self._report(row, rank, self.header[index], read[value])
            out[key] = values
        return out


def _extra_problem(
    key: str, value: str, units: frozenset[str] | None
) -> tuple[str, dict[str, str]] | None:
    if not value:
        return ("value_required", {})
    if key == "weight" and not _positive(value):
        return ("response_weight", {"value": value})
    if key == "by" and units is not None and value not in units:
        return ("unknown_unit", {"unit": value})
    return None


def _positive(value: str) -> bool:
    try:
        return parse_decimal(value) > 0
    except ValueError:
        return False


def read_responses(
    source: Source,
    form: Form,
    *,
    file: str | None = None,
    extra: Mapping[str, str] | None = None,
    units: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Responses:
    """The responses in ``source`` checked against ``form`` (see the module docstring).

    ``extra`` maps keys (``"by"``, ``"weight"``, ``"strata"``) to column names the file must
    have; the values come back under those keys, those under ``"weight"`` checked as weights.
    With ``units``, each value of the ``"by"`` column must be one of them (``unknown_unit``).
    ``progress(done, total)`` is called as the checks go (the file read, then each question's
    column and logic, then the extra columns), ``done`` out of ``total`` steps.
    """
    name = file if file is not None else str(source)
    rows = _table(source, name)
    if len(rows) < 2:
        raise SurveyError(Problem.of("response_no_rows", Location(name)))
    (header_row, header), body = rows[0], rows[1:]
    refuse_duplicate_columns(header, name, header_row, SurveyError)
    columns = _columns(header, form, extra or {}, name, header_row)
    check = _Rows(form, columns, header, name, units)
    kept: list[tuple[int, list[str]]] = []
    first: dict[str, tuple[int, list[str]]] = {}
    duplicates = 0
    for row, cells in body:
        cells = cells + [""] * (len(header) - len(cells))
        ident = cells[columns.ident] if columns.ident is not None else ""
        if ident and ident in first:
            earlier, earlier_cells = first[ident]
            if earlier_cells == cells:
                duplicates += 1
            else:
                column = header[columns.ident or 0]
                check.add(row, -1, column, "response_duplicate", id=ident, first=str(earlier))
            continue
        if ident:
            first[ident] = (row, cells)
        kept.append((row, cells))
    steps = 2 * len(check.questions) + 2
    report = progress or (lambda _done, _total: None)
    report(1, steps)
    by_question = check.answers(kept, lambda k: report(1 + k, steps))
    check.logic(form, kept, by_question, lambda k: report(1 + len(check.questions) + k, steps))
    by_key = check.extras(kept, by_question)
    report(steps, steps)
    if check.problems:
        raise SurveyError([p for _row, _rank, p in sorted(check.problems, key=lambda x: x[:2])])
    for q in form.questions:
        if not q.in_repeat:
            by_question.setdefault(q.name, [""] * len(kept))
    for key, index in columns.extra.items():  # a question's column: its answers, as read
        for question, at in columns.answers.items():
            if at == index:
                by_key[key] = by_question[question]
    ids = tuple(cells[columns.ident] if columns.ident is not None else "" for _r, cells in kept)
    rows_read = tuple(row for row, _cells in kept)
    return Responses(name, rows_read, by_question, by_key, duplicates, ids)


def value_problem(
    q: Question, value: str, names: Collection[str]
) -> tuple[str, dict[str, str]] | None:
    """The problem (code, params) of the non-blank answer ``value`` to ``q`` by its type, or
    ``None``: a select's choices (space-separated for a select-multiple) must be in ``names``
    (its list's choice names), an integer a whole number, a decimal a number. One check for
    every source of answers (files here, the online form in :mod:`.submission`)."""
    if q.kind in ("select_one", "select_multiple"):
        given = value.split() if q.kind == "select_multiple" else [value]
        bad = next((v for v in given if v not in names), None)
        return ("response_choice", {"value": bad, "list": q.list_name}) if bad else None
    if q.kind == "integer" and not _INTEGER.fullmatch(value):
        return ("response_integer", {"value": value})
    if q.kind == "decimal":
        try:
            parse_decimal(value)
        except ValueError:
            return ("response_decimal", {"value": value})
    return None
