"""The procedure catalogue (danh mục thủ tục hành chính): procedures, their online levels over
time under Decree 43/2011/NĐ-CP (levels 1–4) and Decree 42/2022/NĐ-CP (full / partial online),
the mapping between the two schemes as data, and the counts per agency, sector or handling level
and year (``docs/online-services.md``, "Procedure catalogue").

:func:`read_catalogue` reads a CSV or XLSX file in long form, one row per procedure and level
change (the procedure's attributes on its first row; later rows leave them empty or repeat them),
checks every row and returns a :class:`Catalogue` or raises :class:`CatalogueError` naming the
file, row and column of every problem. :func:`load_levels` reads the schemes and the mapping
(the shipped ``data/services/online-levels.yaml`` by default). :func:`count_catalogue` counts the
procedures in force at each year's end by the level then in force, in both schemes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from ..errors import InputError, Location, Problem
from ..inputs import Source, clean_name, load_yaml, name_problem
from ..scores_io import read_table

__all__ = [
    "BY",
    "CATALOGUE_COLUMNS",
    "COUNT_COLUMNS",
    "HANDLING_LEVELS",
    "NONE",
    "Catalogue",
    "CatalogueCount",
    "CatalogueError",
    "Levels",
    "OnlineLevel",
    "Procedure",
    "count_catalogue",
    "counts_as_csv",
    "load_levels",
    "read_catalogue",
]

SHIPPED = "online-levels.yaml"
HANDLING_LEVELS = ("ministry", "province", "commune")
"""The handling unit's level: a ministry (bộ, ngành), a province (tỉnh) or a commune (xã)."""
CATALOGUE_COLUMNS = (
    "code",
    "name_vi",
    "name_en",
    "agency",
    "sector",
    "handling_level",
    "legal_basis",
    "fee",
    "valid_from",
    "scheme",
    "level",
)
"""The catalogue file's columns; ``name_en``, ``legal_basis`` and ``fee`` may be left out."""
REQUIRED = tuple(c for c in CATALOGUE_COLUMNS if c not in ("name_en", "legal_basis", "fee"))
ATTRIBUTES = ("name_vi", "name_en", "agency", "sector", "handling_level", "legal_basis", "fee")
FIRST_ROW = ("name_vi", "agency", "sector", "handling_level")  # not empty on a code's first row
LEVEL_COLUMNS = ("valid_from", "scheme", "level")
FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years a ``valid_from`` may fall in (a typing error such as 0202 or 2202 is refused, and the
counts' default years stay few)."""
NONE = "none"
"""The level counted for a procedure whose level maps to no level of the other scheme."""
BY = {"agency": "agency", "sector": "sector", "level": "handling_level"}
"""``--by`` choices and the procedure's attribute each groups by."""
COUNT_COLUMNS = ("year", "group", "scheme", "level", "procedures", "given", "mapped")
"""The columns of :func:`counts_as_csv`, in order."""

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_LINE_ENDS = re.compile(r"\s*(?:\r\n|\r|\n)+\s*")


class CatalogueError(InputError):
    """A catalogue or level-mapping file is refused: every problem, with its file, row, column."""


@dataclass(frozen=True)
class Levels:
    """The schemes (id → level ids, in order) and the mapping (scheme, level) → other level.

    ``mapping[(scheme, level)]`` is the level of the other scheme (``None``: no level there);
    ``basis[(scheme, level)]`` is ``"decree"`` or ``"assumption"``.
    """

    schemes: Mapping[str, tuple[str, ...]]
    mapping: Mapping[tuple[str, str], str | None]
    basis: Mapping[tuple[str, str], str]

    def other(self, scheme: str) -> str:
        """The other scheme (there are exactly two)."""
        return next(s for s in self.schemes if s != scheme)


@dataclass(frozen=True)
class OnlineLevel:
    """One row of a procedure's online level over time: from ``valid_from``, ``level`` of
    ``scheme`` (``row`` is the file's row)."""

    procedure: str
    valid_from: date
    scheme: str
    level: str
    row: int = 0


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure (thủ tục hành chính) and its online levels, oldest first."""

    code: str
    name_vi: str
    agency: str
    sector: str
    handling_level: str
    name_en: str = ""
    legal_basis: str = ""
    fee: str = ""
    levels: tuple[OnlineLevel, ...] = ()

    def level_at(self, day: date, scheme: str, levels: Levels) -> tuple[str, bool] | None:
        """The level in ``scheme`` in force on ``day`` and whether it was mapped from the other
        scheme; ``None`` when no level is in force yet.

        The level in force is the latest row on or before ``day``; when two rows of one date are
        in both schemes, the one in ``scheme`` is used. A level mapped to nothing is :data:`NONE`.
        """
        rows = [r for r in self.levels if r.valid_from <= day]
        if not rows:
            return None
        latest = max(r.valid_from for r in rows)
        last = [r for r in rows if r.valid_from == latest]
        own = [r for r in last if r.scheme == scheme]
        if own:
            return own[0].level, False
        mapped = levels.mapping[(last[0].scheme, last[0].level)]
        return (NONE if mapped is None else mapped), True


@dataclass(frozen=True)
class Catalogue:
    """Checked procedures, in the file's order."""

    procedures: tuple[Procedure, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The procedure codes (for ``read_dossiers(..., procedures=catalogue.codes)``)."""
        return tuple(p.code for p in self.procedures)

    def years(self) -> list[int]:
        """The years from the first level row's to the last's (empty without level rows)."""
        days = [r.valid_from.year for p in self.procedures for r in p.levels]
        return list(range(min(days), max(days) + 1)) if days else []


@dataclass(frozen=True)
class CatalogueCount:
    """Procedures in force at the end of ``year`` in ``group`` at ``level`` of ``scheme``:
    ``given`` with a level of that scheme, ``mapped`` from the other scheme."""

    year: int
    group: str
    scheme: str
    level: str
    given: int
    mapped: int

    @property
    def procedures(self) -> int:
        return self.given + self.mapped


# --- the schemes and their mapping ----------------------------------------------------------


def _levels_problem(file: str, field: str, expected: str) -> Problem:
    return Problem.of("online_levels_field", Location(file), field=field, expected=expected)


def _pair(item: Any) -> tuple[str, str] | None:
    if isinstance(item, dict) and set(item) == {"scheme", "level"}:
        return str(item["scheme"]), str(item["level"])
    return None


def load_levels(text: str | None = None, file: str = SHIPPED) -> Levels:
    """Read and check a level-mapping file (the shipped one when ``text`` is ``None``).

    Every level of each of the two schemes must be mapped exactly once, to a level of the other
    scheme or to ``null``, with a ``basis`` of ``decree`` or ``assumption``. Raises
    :class:`CatalogueError` with every problem.
    """
    if text is None:
        text = resources.files("parindex.data.services").joinpath(SHIPPED).read_text("utf-8")
    data = load_yaml(text, file, CatalogueError)
    problems: list[Problem] = []
    schemes: dict[str, tuple[str, ...]] = {}
    items = data.get("schemes") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != 2:
        raise CatalogueError(_levels_problem(file, "schemes", "a list of two schemes"))
    for item in items:
        ok = isinstance(item, dict) and isinstance(item.get("levels"), list)
        ids = (
            [str(level.get("id")) for level in item["levels"] if isinstance(level, dict)]
            if ok
            else []
        )
        if not ids or "id" not in item:
            raise CatalogueError(_levels_problem(file, "a scheme", "an id and a list of levels"))
        schemes[str(item["id"])] = tuple(ids)
    mapping: dict[tuple[str, str], str | None] = {}
    basis: dict[tuple[str, str], str] = {}
    for number, item in enumerate(data.get("mapping") or [], start=1):
        field = f"mapping {number}"
        source = _pair(item.get("from")) if isinstance(item, dict) else None
        target = item.get("to") if isinstance(item, dict) else None
        if source is None or source[0] not in schemes or source[1] not in schemes[source[0]]:
            problems.append(_levels_problem(file, f"{field} from", "a known scheme and level"))
            continue
        other = next(s for s in schemes if s != source[0])
        pair = _pair(target)
        if target is not None and (
            pair is None or pair[0] != other or pair[1] not in schemes[other]
        ):
            problems.append(_levels_problem(file, f"{field} to", f"null or a level of {other}"))
        elif item.get("basis") not in ("decree", "assumption"):
            problems.append(_levels_problem(file, f"{field} basis", "decree or assumption"))
        elif source in mapping:
            problems.append(_levels_problem(file, field, f"the only mapping of {source}"))
        else:
            mapping[source] = None if pair is None else pair[1]
            basis[source] = str(item["basis"])
    for scheme, known in schemes.items():
        for level in known:
            if (scheme, level) not in mapping:
                problems.append(_levels_problem(file, f"{scheme} {level}", "mapped"))
    if problems:
        raise CatalogueError(problems)
    return Levels(schemes, mapping, basis)


# --- the catalogue file ---------------------------------------------------------------------


def _day(text: str) -> date:
    """A date written dd/mm/yyyy or yyyy-mm-dd (a workbook's date cell reads ``… 00:00:00``)."""
    iso, dmy = _ISO.fullmatch(text), _DMY.fullmatch(text)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    if dmy:
        return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    raise ValueError(text)


def read_catalogue(
    source: Source, *, file: str | None = None, levels: Levels | None = None
) -> Catalogue:
    """Read and check a procedure catalogue (CSV, or the first sheet of an XLSX workbook).

    One row per procedure and level change: the columns :data:`CATALOGUE_COLUMNS`
    (``name_en``, ``legal_basis`` and ``fee`` optional). A code's first row gives its name,
    agency, sector and handling level; its later rows leave those empty or repeat them. A row
    gives a level (``valid_from`` dd/mm/yyyy or yyyy-mm-dd, ``scheme``, ``level``) or leaves all
    three empty. Raises :class:`CatalogueError` with every problem; nothing is returned then.
    """
    levels = levels or load_levels()
    name = file if file is not None else str(source)
    try:
        _, records = read_table(source, REQUIRED, file=name)
    except InputError as error:
        raise CatalogueError(error.problems) from None
    if not records:
        raise CatalogueError(Problem.of("catalogue_no_rows", Location(name)))
    problems: list[Problem] = []
    firsts: dict[str, tuple[int, dict[str, str]]] = {}
    rows: dict[str, list[OnlineLevel]] = {}
    seen: dict[tuple[str, date, str], int] = {}
    for row, record in records:

        def where(column: str, row: int = row) -> Location:
            return Location(name, row, column)

        record = {c: record.get(c, "") for c in CATALOGUE_COLUMNS}
        record["legal_basis"] = _LINE_ENDS.sub("; ", record["legal_basis"])
        for column in CATALOGUE_COLUMNS:
            try:
                record[column] = clean_name(record[column])
            except ValueError as exc:
                problems.append(name_problem(exc, where(column)))
        code = record["code"]
        if not code:
            problems.append(Problem.of("field_required", where("code")))
            continue
        if code not in firsts:
            firsts[code] = (row, record)
            rows[code] = []
            for column in FIRST_ROW:
                if not record[column]:
                    problems.append(Problem.of("field_required", where(column)))
            value = record["handling_level"]
            if value and value not in HANDLING_LEVELS:
                choices = ", ".join(HANDLING_LEVELS)
                problems.append(
                    Problem.of(
                        "catalogue_choice", where("handling_level"), value=value, choices=choices
                    )
                )
        else:
            first, given = firsts[code]
            for column in ATTRIBUTES:
                if record[column] and record[column] != given[column]:
                    problems.append(
                        Problem.of(
                            "catalogue_differs",
                            where(column),
                            code=code,
                            first=first,
                            value=given[column],
                        )
                    )
        level = _level_row(record, levels, where, problems)
        if level is None:
            continue
        key = (code, level.valid_from, level.scheme)
        if key in seen:
            problems.append(
                Problem.of(
                    "catalogue_twice",
                    where("valid_from"),
                    code=code,
                    scheme=level.scheme,
                    day=level.valid_from.strftime("%d/%m/%Y"),
                    first=seen[key],
                )
            )
            continue
        seen[key] = row
        rows[code].append(OnlineLevel(code, level.valid_from, level.scheme, level.level, row))
    if problems:
        raise CatalogueError(problems)
    procedures = []
    for code, (_, record) in firsts.items():
        history = tuple(sorted(rows[code], key=lambda r: (r.valid_from, r.row)))
        attributes = {c: record[c] for c in ATTRIBUTES}
        procedures.append(Procedure(code=code, levels=history, **attributes))
    return Catalogue(tuple(procedures))


def _level_row(
    record: Mapping[str, str], levels: Levels, where: Any, problems: list[Problem]
) -> OnlineLevel | None:
    """The row's level, or ``None`` (problems added) when it gives none or a bad one."""
    given = [c for c in LEVEL_COLUMNS if record[c]]
    if not given:
        return None
    before = len(problems)
    for column in LEVEL_COLUMNS:
        if not record[column]:
            problems.append(Problem.of("field_required", where(column)))
    day: date | None = None
    if record["valid_from"]:
        try:
            day = _day(record["valid_from"])
        except ValueError:
            problems.append(
                Problem.of("catalogue_date", where("valid_from"), value=record["valid_from"])
            )
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(
            Problem.of(
                "catalogue_year",
                where("valid_from"),
                value=record["valid_from"],
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
        day = None
    scheme, level = record["scheme"], record["level"]
    if scheme and scheme not in levels.schemes:
        choices = ", ".join(levels.schemes)
        problems.append(
            Problem.of("catalogue_choice", where("scheme"), value=scheme, choices=choices)
        )
    elif scheme and level and level not in levels.schemes[scheme]:
        choices = ", ".join(levels.schemes[scheme])
        problems.append(
            Problem.of(
                "catalogue_level", where("level"), value=level, scheme=scheme, choices=choices
            )
        )
    if len(problems) > before or day is None:
        return None
    return OnlineLevel(str(record["code"]), day, scheme, level)


# --- counts -----------------------------------------------------------------------------------


def count_catalogue(
    catalogue: Catalogue,
    *,
    years: Iterable[int] | None = None,
    by: str = "agency",
    levels: Levels | None = None,
) -> list[CatalogueCount]:
    """The procedures in force at the end (31/12) of each year, per group, scheme and level.

    ``by`` is ``agency``, ``sector`` or ``level`` (the handling level); ``years`` default to
    :meth:`Catalogue.years`. A procedure is in force from its first level row. Each is counted
    once per scheme: at the level of that scheme in force (``given``), or at the level the other
    scheme's level in force maps to (``mapped``; :data:`NONE` when it maps to none). Every level
    of both schemes and :data:`NONE` gets a row for each group with a procedure in force, so per
    year, group and scheme the counts sum to the procedures in force.
    """
    levels = levels or load_levels()
    attribute = BY[by]
    rows: list[CatalogueCount] = []
    for year in sorted(set(catalogue.years() if years is None else years)):
        end = date(year, 12, 31)
        tally: dict[tuple[str, str, str], list[int]] = {}
        groups: set[str] = set()
        for procedure in catalogue.procedures:
            group = str(getattr(procedure, attribute))
            for scheme in levels.schemes:
                found = procedure.level_at(end, scheme, levels)
                if found is None:
                    break
                groups.add(group)
                level, mapped = found
                counts = tally.setdefault((group, scheme, level), [0, 0])
                counts[1 if mapped else 0] += 1
        for group in sorted(groups):
            for scheme, known in levels.schemes.items():
                for level in (*known, NONE):
                    given, moved = tally.get((group, scheme, level), (0, 0))
                    rows.append(CatalogueCount(year, group, scheme, level, given, moved))
    return rows


def counts_as_csv(rows: Sequence[CatalogueCount]) -> str:
    """The counts as CSV with the columns :data:`COUNT_COLUMNS` (a machine file, LF line ends)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(COUNT_COLUMNS)
    for r in rows:
        out.writerow([r.year, r.group, r.scheme, r.level, r.procedures, r.given, r.mapped])
    return buffer.getvalue()
