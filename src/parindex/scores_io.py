"""Reading unit inputs: long-form scores, previous results, band specs.

SCORES are long form, one row per unit and leaf, with the header ``unit,code,points``, as CSV
(UTF-8) or as the first sheet of an XLSX workbook. Extra columns are ignored. Every problem is
reported with the file, the row (the header is row 1) and the column.
"""

from __future__ import annotations

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
        raise InputError(
            Problem("the file is empty; expected a header row", Location(name), "empty")
        )
    header_row, header = rows[0]
    header = [h.strip().lower() for h in header]
    refuse_duplicate_columns(header, name, header_row)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            Problem(
                f"missing column(s) {', '.join(missing)}; the header must have {','.join(required)}",
                Location(name, row=header_row),
                "missing_columns",
                ",".join(missing),
            )
        )
    records: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, row in rows[1:]:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            problems.append(
                Problem(
                    f"expected {len(header)} cells, found {len(row)}",
                    Location(name, row=number),
                    "extra_cells",
                    str(len(header)),
                )
            )
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


def read_scores(path: str | Path, m: Methodology) -> dict[str, dict[str, Decimal]]:
    """Read long-form scores and check them against ``m``, all or nothing.

    Returns unit → leaf code → points, units in file order. Raises :class:`InputError` listing
    every problem: empty unit, unknown code, a code that is not a leaf, a bad number, points
    outside [0, max], a unit and code given twice.
    """
    file = str(path)
    _, records = read_table(path, SCORE_COLUMNS, names=("unit", "code"))
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
                Problem(
                    f"not a results JSON file (expected {{'units': [...]}}): {reason}",
                    Location(file),
                )
            ) from None
    else:
        _, rows = read_table(p, ("unit", "index"), names=("unit",))
    previous: dict[str, Previous] = {}
    problems: list[Problem] = []
    for number, rec in rows:
        try:
            index = parse_decimal(rec.get("index", ""))
        except ValueError as exc:
            problems.append(Problem(f"bad index: {exc}", Location(file, number, "index")))
            continue
        try:
            rank = parse_whole(rec["rank"]) if rec.get("rank") else None
        except ValueError:
            message = f"bad rank {rec['rank']!r}; expected a whole number"
            problems.append(Problem(message, Location(file, number, "rank")))
            continue
        try:
            unit = clean_name(rec.get("unit", ""))
        except ValueError as exc:
            problems.append(name_problem(exc, Location(file, number, "unit")))
            continue
        if unit in previous:
            problems.append(
                Problem(f"unit {unit!r} is given twice", Location(file, number, "unit"))
            )
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
        raise InputError(Problem("the band spec is empty; expected e.g. 'A:90;B:80;C:0'", where))
    for part in parts:
        label, sep, minimum = part.rpartition(":")
        if not sep or not label.strip():
            problems.append(Problem(f"{part.strip()!r} is not LABEL:MIN", where))
            continue
        try:
            bands.append(Band(clean_name(label), parse_decimal(minimum)))
        except ValueError as exc:
            problems.append(Problem(f"{part.strip()!r}: {exc}", where))
    if problems:
        raise InputError(problems)
    band_problems = check_bands(tuple(bands), where)
    if band_problems:
        raise InputError(band_problems)
    return tuple(bands)
