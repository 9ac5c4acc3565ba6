"""Reading unit inputs: long-form scores, previous results, band specs.

SCORES are long form, one row per unit and leaf, with the header ``unit,code,points``, as CSV
(UTF-8) or as the first sheet of an XLSX workbook. Extra columns are ignored. Every problem is
reported with the file, the row (the header is row 1) and the column.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from pathlib import Path

from .archives import workbook_rows
from .compute import Previous
from .decimals import parse_decimal, parse_whole
from .errors import InputError, Location, Problem
from .inputs import (
    DEFAULT_LIMITS,
    Limits,
    Source,
    clean_name,
    csv_records,
    decode,
    load_json,
    name_problem,
    refuse_duplicate_columns,
)
from .inputs import read_bytes as _read_bytes
from .model import Band, Methodology
from .model import Source as LeafSource
from .sheets import csv_unquote
from .validate import check_bands

__all__ = ["parse_bands", "read_previous", "read_scores", "read_table"]

SCORE_COLUMNS = ("unit", "code", "points")
MAX_PROBLEMS = 50


def read_table(
    source: Source,
    required: tuple[str, ...],
    *,
    file: str | None = None,
    names: tuple[str, ...] = (),
    limits: Limits = DEFAULT_LIMITS,
    people: bool = False,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Rows of a CSV or XLSX table as dicts, with their 1-based row numbers.

    ``source`` is a path, or the file's bytes or a binary stream named by ``file`` (whose
    extension, ``.xlsx``/``.xlsm`` or else CSV, says how to read it). Column names are matched
    without case. Values are stripped; those of the ``names`` columns are checked by
    :func:`~parindex.inputs.clean_name` (NFC, no control character). Leading ``#`` comment lines
    of a CSV are skipped (the header's row number counts them). With ``people``, the file is one
    made for people and read back (a downloaded template, filled in): every stripped value goes
    through :func:`~parindex.sheets.csv_unquote`, so ``'-x`` is read as the ``-x`` that
    :func:`~parindex.sheets.csv_field` wrote. Raises :class:`InputError` for
    an unreadable file, a wrong encoding, a malformed CSV, missing columns or bad names.
    """
    name = file if file is not None else str(source)
    if name.lower().endswith((".xlsx", ".xlsm")):
        rows = workbook_rows(source, name, limits=limits)
    else:
        rows = csv_records(source, name, limits=limits)
    rows = [(n, row) for n, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError(Problem.of("empty", Location(name)))
    header_row, header = rows[0]
    header = [h.strip().lower() for h in header]
    refuse_duplicate_columns(header, name, header_row)
    missing = [c for c in required if c not in header]
    if missing:
        where = Location(name, row=header_row)
        columns, header_must = ", ".join(missing), ",".join(required)
        raise InputError(Problem.of("missing_columns", where, columns=columns, header=header_must))
    records: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, row in rows[1:]:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            where = Location(name, row=number)
            problems.append(Problem.of("extra_cells", where, count=len(header), found=len(row)))
            continue
        padded = row + [""] * (len(header) - len(row))
        record = {column: padded[i].strip() for i, column in enumerate(header)}
        if people:
            record = {column: csv_unquote(value) for column, value in record.items()}
        for column in names:
            try:
                record[column] = clean_name(record.get(column, ""))
            except ValueError as exc:
                problems.append(name_problem(exc, Location(name, number, column)))
        records.append((number, record))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return header, records


def read_scores(
    source: Source,
    m: Methodology,
    *,
    file: str | None = None,
    units: Collection[str] | None = None,
    appraisal: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    people: bool = False,
) -> dict[str, dict[str, Decimal]]:
    """Read long-form scores and check them against ``m``, all or nothing.

    ``source``, ``file``, ``limits`` and ``people`` are as for :func:`read_table`. Returns unit →
    leaf code → points, units in file order. Raises :class:`InputError` listing every problem
    (at most :data:`MAX_PROBLEMS`), each with its row and column: an empty unit (``unit_empty``),
    a unit not in ``units`` when given (``unknown_unit``), an unknown code (``unknown_code``), a
    code that is not a leaf (``not_a_leaf``), without ``appraisal`` a leaf scored by appraisal
    (``appraisal_leaf``), a bad number (``not_a_number``), points outside [0, max]
    (``points_outside``), a unit and code given twice (``duplicate_row``); a file without score
    rows is ``no_rows``.
    """
    name = file if file is not None else str(source)
    _, records = read_table(
        source, SCORE_COLUMNS, file=name, names=("unit", "code"), limits=limits, people=people
    )
    scores: dict[str, dict[str, Decimal]] = {}
    first_row: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    for number, rec in records:
        checked = _check_score(m, units, appraisal, rec, Location(name, number))
        if isinstance(checked, Problem):
            problems.append(checked)
            continue
        unit, code, points = checked
        if (unit, code) in first_row:
            where = Location(name, number, "code")
            first = first_row[(unit, code)]
            problems.append(Problem.of("duplicate_row", where, unit=unit, code=code, first=first))
            continue
        first_row[(unit, code)] = number
        scores.setdefault(unit, {})[code] = points
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    if not scores:
        raise InputError(Problem.of("no_rows", Location(name)))
    return scores


def _check_score(
    m: Methodology,
    units: Collection[str] | None,
    appraisal: bool,
    rec: dict[str, str],
    row: Location,
) -> tuple[str, str, Decimal] | Problem:
    """The row's unit, code and points, or its first problem."""
    unit, code, text = rec["unit"], rec["code"], rec["points"]

    def at(column: str) -> Location:
        return Location(row.file, row.row, column)

    if not unit:
        return Problem.of("unit_empty", at("unit"))
    if units is not None and unit not in units:
        return Problem.of("unknown_unit", at("unit"), unit=unit)
    if code not in m.by_code:
        return Problem.of("unknown_code", at("code"), code=code)
    if not m.is_leaf(code):
        return Problem.of("not_a_leaf", at("code"), code=code)
    if not appraisal and m.source_of(code) is LeafSource.APPRAISAL:
        return Problem.of("appraisal_leaf", at("code"), code=code)
    try:
        points = parse_decimal(text)
    except ValueError as exc:
        return Problem.of("not_a_number", at("points"), value=text, reason=exc)
    maximum = m.by_code[code].max_points
    if not Decimal(0) <= points <= maximum:
        top = f"{maximum.normalize():f}"
        return Problem.of("points_outside", at("points"), points=text, max=top, code=code)
    return unit, code, points


def read_previous(path: str | Path) -> dict[str, Previous]:
    """Previous results: a results CSV/XLSX (``unit,index`` and optional ``rank``, ``group``) or JSON."""
    p = Path(path)
    file = str(p)
    if p.suffix.lower() == ".json":
        text = decode(_read_bytes(p, file), file)
        try:
            data = load_json(text, Location(file))
            rows = [
                (i, {k: "" if v is None else str(v) for k, v in u.items()})
                for i, u in enumerate(data["units"], 1)
            ]
        except Exception as exc:  # any shape problem of a foreign JSON file
            reason = exc.problems[0].message if isinstance(exc, InputError) else exc
            raise InputError(
                Problem.of("not_results_json", Location(file), reason=reason)
            ) from None
    else:
        _, rows = read_table(p, ("unit", "index"), names=("unit",))
    previous: dict[str, Previous] = {}
    problems: list[Problem] = []
    for number, rec in rows:
        try:
            index = parse_decimal(rec.get("index", ""))
        except ValueError as exc:
            where = Location(file, number, "index")
            problems.append(Problem.of("bad_index", where, reason=exc))
            continue
        try:
            rank = parse_whole(rec["rank"]) if rec.get("rank") else None
        except ValueError:
            where = Location(file, number, "rank")
            problems.append(Problem.of("bad_rank", where, rank=rec["rank"]))
            continue
        try:
            unit = clean_name(rec.get("unit", ""))
        except ValueError as exc:
            problems.append(name_problem(exc, Location(file, number, "unit")))
            continue
        if unit in previous:
            problems.append(Problem.of("duplicate_unit", Location(file, number, "unit"), unit=unit))
            continue
        previous[unit] = Previous(index=index, rank=rank, group=rec.get("group") or None)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return previous


def parse_bands(spec: str) -> tuple[Band, ...]:
    """Parse ``"A:90;B:80;C:70;D:0"``: ``LABEL:MIN`` pairs, highest first, separated by ``;``.

    Labels may hold spaces, Vietnamese letters and colons (the last colon separates the
    minimum). Raises :class:`InputError` naming ``--bands`` for a malformed spec.
    """
    where = Location(column="--bands")
    bands: list[Band] = []
    problems: list[Problem] = []
    parts = [part for part in spec.split(";") if part.strip()]
    if not parts:
        raise InputError(Problem.of("bands_empty", where))
    for part in parts:
        label, sep, minimum = part.rpartition(":")
        if not sep or not label.strip():
            problems.append(Problem.of("band_malformed", where, part=part.strip()))
            continue
        try:
            bands.append(Band(clean_name(label), parse_decimal(minimum)))
        except ValueError as exc:
            problems.append(Problem.of("band_value", where, part=part.strip(), reason=exc))
    if problems:
        raise InputError(problems)
    band_problems = check_bands(tuple(bands), where)
    if band_problems:
        raise InputError(band_problems)
    return tuple(bands)
