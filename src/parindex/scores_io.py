"""Reading unit inputs: long-form scores, previous results, band specs.

SCORES are long form, one row per unit and leaf, with the header ``unit,code,points``, as CSV
(UTF-8) or as the first sheet of an XLSX workbook. Extra columns are ignored. Every problem is
reported with the file, the row (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from .compute import Previous
from .decimals import parse_decimal
from .errors import InputError, Location, Problem
from .methodology_io import read_text
from .model import Band, Methodology
from .validate import check_bands

__all__ = ["parse_bands", "read_previous", "read_scores", "read_table"]

SCORE_COLUMNS = ("unit", "code", "points")
MAX_PROBLEMS = 50


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(
            Problem(f"cannot open the workbook: {exc.__class__.__name__}", Location(str(path)))
        ) from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if cell is None else _cell_text(cell) for cell in row]
    finally:
        book.close()


def _cell_text(cell: Any) -> str:
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    return str(cell)


def read_table(
    path: str | Path, required: tuple[str, ...]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Rows of a CSV or XLSX table as dicts, with their 1-based row numbers.

    Leading ``#`` comment lines of a CSV are skipped (the header's row number counts them).
    Raises :class:`InputError` for an unreadable file, a wrong encoding or missing columns.
    """
    p = Path(path)
    rows: list[tuple[int, list[str]]]
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        if not p.exists():
            raise InputError(Problem("the file does not exist", Location(str(p))))
        rows = list(_read_xlsx(p))
    else:
        text = read_text(p, InputError)
        lines = text.splitlines(keepends=True)
        skip = 0
        while skip < len(lines) and lines[skip].lstrip().startswith("#"):
            skip += 1
        reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""))
        try:
            parsed = list(reader)
        except csv.Error as exc:
            where = Location(str(p), row=skip + reader.line_num)
            raise InputError(Problem(f"malformed CSV: {exc}", where)) from None
        rows = [(skip + i, row) for i, row in enumerate(parsed, start=1)]
    rows = [(n, row) for n, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError(Problem("the file is empty; expected a header row", Location(str(p))))
    header_row, header = rows[0]
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            Problem(
                f"missing column(s) {', '.join(missing)}; the header must have {','.join(required)}",
                Location(str(p), row=header_row),
            )
        )
    records: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, row in rows[1:]:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            problems.append(
                Problem(
                    f"expected {len(header)} cells, found {len(row)}", Location(str(p), row=number)
                )
            )
            continue
        padded = row + [""] * (len(header) - len(row))
        records.append((number, {name: padded[i].strip() for i, name in enumerate(header)}))
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return header, records


def read_scores(path: str | Path, m: Methodology) -> dict[str, dict[str, Decimal]]:
    """Read long-form scores and check them against ``m``, all or nothing.

    Returns unit → leaf code → points, units in file order. Raises :class:`InputError` listing
    every problem: empty unit, unknown code, a code that is not a leaf, a bad number, points
    outside [0, max], a unit and code given twice.
    """
    file = str(path)
    _, records = read_table(path, SCORE_COLUMNS)
    scores: dict[str, dict[str, Decimal]] = {}
    first_row: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    for number, rec in records:
        unit, code = rec["unit"], rec["code"]

        def at(column: str, number: int = number) -> Location:
            return Location(file, number, column)

        if not unit:
            problems.append(Problem("the unit is empty", at("unit")))
            continue
        if code not in m.by_code:
            problems.append(Problem(f"unknown code {code!r} (not in the methodology)", at("code")))
            continue
        if not m.is_leaf(code):
            problems.append(
                Problem(f"{code!r} is not a leaf; give points for its sub-criteria", at("code"))
            )
            continue
        try:
            points = parse_decimal(rec["points"])
        except ValueError as exc:
            problems.append(Problem(str(exc), at("points")))
            continue
        maximum = m.by_code[code].max_points
        if not Decimal(0) <= points <= maximum:
            problems.append(
                Problem(
                    f"points {rec['points']} are outside [0, {maximum.normalize():f}] for {code}",
                    at("points"),
                )
            )
            continue
        key = (unit, code)
        if key in first_row:
            problems.append(
                Problem(
                    f"unit {unit!r} and code {code!r} are given twice (first at row {first_row[key]})",
                    at("code"),
                )
            )
            continue
        first_row[key] = number
        scores.setdefault(unit, {})[code] = points
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    if not scores:
        raise InputError(Problem("the file has no score rows", Location(file)))
    return scores


def read_previous(path: str | Path) -> dict[str, Previous]:
    """Previous results: a results CSV/XLSX (``unit,index`` and optional ``rank``, ``group``) or JSON."""
    p = Path(path)
    file = str(p)
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(read_text(p, InputError))
            rows = [
                (i, {k: "" if v is None else str(v) for k, v in u.items()})
                for i, u in enumerate(data["units"], 1)
            ]
        except Exception as exc:  # any shape problem of a foreign JSON file
            raise InputError(
                Problem(
                    f"not a results JSON file (expected {{'units': [...]}}): {exc}", Location(file)
                )
            ) from None
    else:
        _, rows = read_table(p, ("unit", "index"))
    previous: dict[str, Previous] = {}
    problems: list[Problem] = []
    for number, rec in rows:
        try:
            index = parse_decimal(rec.get("index", ""))
        except ValueError as exc:
            problems.append(Problem(f"bad index: {exc}", Location(file, number, "index")))
            continue
        try:
            rank = int(rec["rank"]) if rec.get("rank") else None
        except ValueError:
            message = f"bad rank {rec['rank']!r}; expected a whole number"
            problems.append(Problem(message, Location(file, number, "rank")))
            continue
        if rec.get("unit", "") in previous:
            problems.append(
                Problem(f"unit {rec['unit']!r} is given twice", Location(file, number, "unit"))
            )
            continue
        previous[rec.get("unit", "")] = Previous(
            index=index, rank=rank, group=rec.get("group") or None
        )
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
        raise InputError(Problem("the band spec is empty; expected e.g. 'A:90;B:80;C:0'", where))
    for part in parts:
        label, sep, minimum = part.rpartition(":")
        if not sep or not label.strip():
            problems.append(Problem(f"{part.strip()!r} is not LABEL:MIN", where))
            continue
        try:
            bands.append(Band(label.strip(), parse_decimal(minimum)))
        except ValueError as exc:
            problems.append(Problem(f"{part.strip()!r}: {exc}", where))
    if problems:
        raise InputError(problems)
    band_problems = check_bands(tuple(bands), where)
    if band_problems:
        raise InputError(band_problems)
    return tuple(bands)
