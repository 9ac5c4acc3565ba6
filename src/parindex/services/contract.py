"""The dossier interchange contract: its columns, a reader that checks every row, the Parquet store.

One row per dossier (hồ sơ). The contract is stable (``docs/online-services.md``): columns may be
added, never renamed or given another meaning. :func:`read_dossiers` reads a CSV (UTF-8, header
row first) or a Parquet file, checks every row and returns :class:`Dossiers` (an Arrow table of the
typed columns, times in UTC) or raises :class:`DossierError` naming the file, row (the header is
row 1 in a CSV; the first record is row 2 in both) and column of every problem.
:func:`write_store` writes the table as Parquet partitioned ``year=YYYY/month=M`` by the month of
submission in Vietnam's time (UTC+07:00).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError, Location, Problem
from ..inputs import csv_records, decode
from .calendar import VIETNAM

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "ENDED",
    "OPTIONAL",
    "RATINGS",
    "REQUIRED",
    "STATUSES",
    "VIETNAM",
    "DossierError",
    "Dossiers",
    "Rejected",
    "problem_summary",
    "read_dossiers",
    "write_store",
]

CHANNELS = ("in_person", "online", "postal")
STATUSES = (
    "received",  # received (tiếp nhận), not yet in processing
    "processing",  # đang xử lý
    "supplement_requested",  # waiting for the citizen's supplement (chờ bổ sung)
    "finished",  # processing finished (đã xử lý xong)
    "returned",  # result returned (đã trả kết quả)
    "stopped",  # processing stopped (dừng xử lý)
    "rejected",  # rejected (từ chối), at intake when received_at is empty
    "withdrawn",  # withdrawn by the citizen (công dân rút hồ sơ)
)
ENDED = ("finished", "returned", "stopped", "rejected", "withdrawn")
NOT_RECEIVED_ALLOWED = ("rejected", "withdrawn")
RATINGS = ("satisfied", "dissatisfied")

TEXT, TIME, WHOLE, FLAG, CHANNEL, STATUS, RATING = (
    "text",
    "time",
    "whole",
    "flag",
    "channel",
    "status",
    "rating",
)
# The columns, in order, then the fields the other indicators need (optional columns).
REQUIRED: dict[str, str] = {
    "dossier_id": TEXT,
    "procedure_code": TEXT,
    "unit": TEXT,
    "channel": CHANNEL,
    "submitted_at": TIME,
    "received_at": TIME,
    "due_at": TIME,
    "supplement_requests": WHOLE,
    "supplement_requested_at": TIME,
    "supplement_received_at": TIME,
    "finished_at": TIME,
    "returned_at": TIME,
    "status": STATUS,
}
OPTIONAL: dict[str, str] = {
    "fee_due": FLAG,  # the dossier has a fee, charge or financial obligation
    "paid_online": FLAG,
    "electronic_result": FLAG,  # an electronic result was issued
    "digitised_components": FLAG,  # its components were digitised
    "reused_data": FLAG,  # a component was replaced by data already held
    "rating": RATING,
    "complaint": FLAG,  # a complaint or petition (PAKN) about it
}
COLUMNS: dict[str, str] = {**REQUIRED, **OPTIONAL}
# Never empty; every other column may be empty.
NOT_EMPTY = (
    "dossier_id",
    "procedure_code",
    "unit",
    "channel",
    "submitted_at",
    "supplement_requests",
    "status",
)
_ARROW = {
    TEXT: pa.string(),
    CHANNEL: pa.string(),
    STATUS: pa.string(),
    RATING: pa.string(),
    TIME: pa.timestamp("us", tz="UTC"),
    WHOLE: pa.int64(),
    FLAG: pa.bool_(),
}
SCHEMA = pa.schema([(name, _ARROW[kind]) for name, kind in COLUMNS.items()])
_FLAGS = {"true": True, "1": True, "false": False, "0": False}
# Pairs (later, earlier): the later time cannot be before the earlier one.
_ORDER = (
    ("received_at", "submitted_at"),
    ("supplement_requested_at", "received_at"),
    ("supplement_received_at", "supplement_requested_at"),
    ("finished_at", "received_at"),
    ("returned_at", "received_at"),
    ("returned_at", "finished_at"),
)


class DossierError(InputError):
    """A dossier file is refused: every problem found, each with its file, row and column.

    ``dossier_ids`` maps the rows with problems to their dossier ids (where given).
    """

    dossier_ids: Mapping[int, str] = {}


@dataclass(frozen=True)
class Rejected:
    """A row left out of :class:`Dossiers` (``quarantine=True``): its cells and its problems."""

    row: int
    values: Mapping[str, str]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Dossiers:
    """Checked dossiers: ``table`` has the contract's columns (:data:`SCHEMA`), times in UTC.

    ``rejected`` holds the rows left out with their problems (only with ``quarantine=True``).
    """

    table: pa.Table
    rejected: tuple[Rejected, ...] = ()

    def __len__(self) -> int:
        return int(self.table.num_rows)


Value = str | int | bool | datetime | None
# A value given but not of its column's type (reported once, by its own problem).
_BAD = object()


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _time(value: Value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if "T" not in text:
            raise ValueError
        moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError
    return moment.astimezone(UTC)


def _whole(value: Value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError
        number = int(text)
    if number < 0:
        raise ValueError
    return number


def _flag(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    return _FLAGS[str(value).strip().lower()]


def _choice(choices: Sequence[str]) -> Callable[[Value], str]:
    def parse(value: Value) -> str:
        text = str(value).strip()
        if text not in choices:
            raise ValueError
        return text

    return parse


_PARSERS: dict[str, tuple[Callable[[Value], object], str]] = {
    TEXT: (lambda value: str(value).strip(), ""),
    TIME: (_time, "dossier_time"),
    WHOLE: (_whole, "expected_whole"),
    FLAG: (_flag, "expected_flag"),
    CHANNEL: (_choice(CHANNELS), "dossier_choice"),
    STATUS: (_choice(STATUSES), "dossier_choice"),
    RATING: (_choice(RATINGS), "dossier_choice"),
}
_CHOICES = {CHANNEL: CHANNELS, STATUS: STATUSES, RATING: RATINGS}


def _field(
    value: Value, name: str, where: Callable[[str], Location], problems: list[Problem]
) -> object | None:
    kind = COLUMNS[name]
    if _blank(value):
        if name in NOT_EMPTY:
            problems.append(Problem.of("field_required", where(name)))
        return None
    parse, code = _PARSERS[kind]
    try:
        return parse(value)
    except (ValueError, KeyError):
        if kind in _CHOICES:
            choices = ", ".join(_CHOICES[kind])
            problems.append(Problem.of(code, where(name), value=value, choices=choices))
        else:
            problems.append(Problem.of(code, where(name), value=value))
        return _BAD


def _consistency(record: Mapping[str, object], where: Callable[[str], Location]) -> list[Problem]:
    """The problems between the fields of one parsed row (times in order, status and times)."""
    problems: list[Problem] = []
    for later, earlier in _ORDER:
        a, b = record[later], record[earlier]
        if isinstance(a, datetime) and isinstance(b, datetime) and a < b:
            problems.append(
                Problem.of(
                    "dossier_before",
                    where(later),
                    column=later,
                    value=a.isoformat(),
                    other=earlier,
                    other_value=b.isoformat(),
                )
            )
    status = record["status"]
    needs: list[tuple[str, str, object]] = []
    forbids: list[tuple[str, str, object]] = []
    if isinstance(status, str):
        if status not in NOT_RECEIVED_ALLOWED:
            needs.append(("received_at", "status", status))
        if status in ENDED:
            needs.append(("finished_at", "status", status))
        else:
            forbids += [("finished_at", "status", status), ("returned_at", "status", status)]
        if status == "returned":
            needs.append(("returned_at", "status", status))
        if status == "supplement_requested":
            needs.append(("supplement_requested_at", "status", status))
            forbids.append(("supplement_received_at", "status", status))
    if record["received_at"] is not None and record["due_at"] is None:
        problems.append(Problem.of("dossier_due", where("due_at")))
    requests = record["supplement_requests"]
    if isinstance(requests, int) and requests > 0:
        needs.append(("supplement_requested_at", "supplement_requests", requests))
    elif requests == 0:
        forbids += [
            ("supplement_requested_at", "supplement_requests", 0),
            ("supplement_received_at", "supplement_requests", 0),
        ]
    for column, other, value in needs:
        if record[column] is None:
            problems.append(
                Problem.of("dossier_needs", where(column), column=column, other=other, value=value)
            )
    for column, other, value in forbids:
        if record[column] is not None:
            problems.append(
                Problem.of(
                    "dossier_forbids", where(column), column=column, other=other, value=value
                )
            )
    return problems


def _rows(path: Path, data: bytes) -> tuple[list[str], Iterator[tuple[int, Mapping[str, Value]]]]:
    """The header and the records of a CSV or a Parquet file, as plain values."""
    if path.suffix.lower() == ".parquet":
        try:
            table = pq.read_table(io.BytesIO(data))
        except (pa.ArrowException, OSError) as error:
            raise DossierError(
                Problem.of("unreadable", Location(str(path)), reason=error)
            ) from None
        return list(table.column_names), enumerate(table.to_pylist(), start=2)
    records = csv_records(
        text=decode(data, str(path), DossierError), file=str(path), error=DossierError
    )
    if not records:
        raise DossierError(Problem.of("empty", Location(str(path))))
    names = [name.strip() for name in records[0][1]]

    def rows() -> Iterator[tuple[int, Mapping[str, Value]]]:
        for row, cells in records[1:]:
            yield row, dict(zip(names, cells, strict=False))

    return names, rows()


def read_dossiers(
    path: str | Path,
    *,
    data: bytes | None = None,
    units: Sequence[str] | None = None,
    procedures: Sequence[str] | None = None,
    quarantine: bool = False,
) -> Dossiers:
    """Read and check the dossiers of ``path`` (``.csv`` or ``.parquet``; ``data`` its bytes).

    Every row is checked: required columns present, each value of its type (times ISO 8601 with
    an offset), no dossier id twice, times in order (received after submitted, finished and
    returned after received …), status and times agreeing, and, when ``units`` or ``procedures``
    are given, the unit and procedure codes known. Raises :class:`DossierError` with every
    problem (file, row, column) when any row is bad; nothing is returned then. With
    ``quarantine``, the good rows are returned and the bad ones listed in ``rejected`` instead
    (a problem of the whole file, such as a missing column, still raises).
    """
    path = Path(path)
    raw = path.read_bytes() if data is None else data
    header, records = _rows(path, raw)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise DossierError(
            Problem.of(
                "missing_columns",
                Location(str(path)),
                columns=", ".join(missing),
                header=",".join(REQUIRED),
            )
        )
    known = {"unit": set(units or ()), "procedure_code": set(procedures or ())}
    problems: list[Problem] = []
    columns: dict[str, list[object]] = {name: [] for name in COLUMNS}
    first_row: dict[str, int] = {}
    rejected: list[Rejected] = []
    ids: dict[int, str] = {}
    count = 0
    for row, values in records:
        count += 1
        before = len(problems)

        def where(column: str, row: int = row) -> Location:
            return Location(str(path), row, column)

        record = {name: _field(values.get(name), name, where, problems) for name in COLUMNS}
        problems += _consistency(record, where)
        for column, given in (("unit", units), ("procedure_code", procedures)):
            value = record[column]
            if given is not None and value is not None and value not in known[column]:
                problems.append(
                    Problem.of("dossier_unknown", where(column), value=value, column=column)
                )
        dossier = record["dossier_id"]
        if isinstance(dossier, str):
            if dossier in first_row:
                problems.append(
                    Problem.of(
                        "dossier_twice",
                        where("dossier_id"),
                        dossier=dossier,
                        first=first_row[dossier],
                    )
                )
            else:
                first_row[dossier] = row
        if len(problems) > before and isinstance(dossier, str):
            ids[row] = dossier
        if quarantine and len(problems) > before:
            cells = {name: "" if v is None else str(v) for name, v in values.items()}
            rejected.append(Rejected(row, cells, tuple(problems[before:])))
            continue
        for name in COLUMNS:
            columns[name].append(record[name])
    if problems and not quarantine:
        error = DossierError(problems)
        error.dossier_ids = ids
        raise error
    if not count:
        raise DossierError(Problem.of("dossier_no_rows", Location(str(path))))
    return Dossiers(pa.table(columns, schema=SCHEMA), tuple(rejected))


def problem_summary(
    problems: Sequence[Problem], dossier_ids: Mapping[int, str], examples: int = 3
) -> list[str]:
    """The problems by code, most frequent first: ``code: N`` then up to ``examples`` examples,
    each naming the row, the column, the message (English) and the dossier id when known."""
    by_code: dict[str, list[Problem]] = {}
    for problem in problems:
        by_code.setdefault(problem.code, []).append(problem)
    lines: list[str] = []
    for code, found in sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0])):
        lines.append(f"{code}: {len(found)}")
        for problem in found[:examples]:
            dossier = dossier_ids.get(problem.location.row or 0)
            lines.append(f"  {problem}" + (f" (dossier {dossier})" if dossier else ""))
    return lines


def write_store(dossiers: Dossiers, folder: str | Path) -> list[Path]:
    """Write ``dossiers`` under ``folder`` as Parquet partitioned ``year=YYYY/month=M``.

    The partition is the year and month of ``submitted_at`` in Vietnam's time (UTC+07:00). Files
    already in a partition are kept (new files are added beside them). Returns the files written,
    sorted.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.rglob("*.parquet"))
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.register("dossiers", dossiers.table)
        target = str(folder).replace("'", "''")
        hours = int(VIETNAM.utcoffset(None).total_seconds()) // 3600
        connection.execute(
            "COPY (SELECT *,"
            f" year(submitted_at + INTERVAL {hours} HOUR) AS year,"
            f" month(submitted_at + INTERVAL {hours} HOUR) AS month FROM dossiers)"
            f" TO '{target}' (FORMAT parquet, PARTITION_BY (year, month),"
            " FILENAME_PATTERN 'dossiers_{uuid}', APPEND)"
        )
    finally:
        connection.close()
    return sorted(set(folder.rglob("*.parquet")) - before)
