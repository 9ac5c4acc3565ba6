"""Units over time: ministries and provinces with validity periods and succession links.

A :class:`Unit` is valid from ``valid_from`` to ``valid_to`` (both inclusive; ``None`` = open). A
:class:`Succession` says that on ``effective`` a predecessor unit passed into a successor unit:
``weight`` is the share of the predecessor that went there (``1`` = all of it, ``None`` = not
quantified) and ``primary`` marks the predecessor's main successor. A :class:`UnitRegistry` holds
both and answers: which units were valid on a day, and how the units of an earlier year map onto
those of a later one (:meth:`UnitRegistry.map_to`, :meth:`UnitRegistry.describe_change`).

Files are CSV (UTF-8; lines starting with ``#`` are comments), see :data:`UNIT_COLUMNS` and
:data:`SUCCESSION_COLUMNS`. Row numbers in errors are line numbers in the file, comments included,
so they match what an editor or a spreadsheet shows. The registry shipped with parindex
(:meth:`UnitRegistry.shipped`) holds the 63 + 34 provinces and the 22 + 17 ministries and
ministry-level agencies of 2025, with their successions.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import NamedTuple

from parindex.decimals import parse_decimal
from parindex.errors import InputError, Location, Problem
from parindex.inputs import clean_name, csv_records, decode, name_problem, read_bytes
from parindex.text import SortKey, vi_sort_key

__all__ = [
    "SUCCESSION_COLUMNS",
    "UNIT_COLUMNS",
    "Share",
    "Succession",
    "Unit",
    "UnitChange",
    "UnitRegistry",
    "load_successions",
    "load_units",
    "parse_successions",
    "parse_units",
]

UNIT_COLUMNS = (
    "id",
    "code",
    "name",
    "short_name",
    "name_en",
    "unit_type",
    "valid_from",
    "valid_to",
    "lat",
    "lon",
    "source",
)
"""Columns of a unit file; ``id``, ``name`` and ``unit_type`` are required, the others optional."""

SUCCESSION_COLUMNS = ("predecessor", "successor", "effective", "weight", "primary", "basis")
"""Columns of a succession file; ``weight`` and ``basis`` are optional."""

_UNIT_REQUIRED = ("id", "name", "unit_type")
_SUCCESSION_REQUIRED = ("predecessor", "successor", "effective", "primary")
_SHIPPED_UNITS = ("provinces.csv", "ministries.csv")
_SHIPPED_SUCCESSIONS = ("successions.csv", "ministry_successions.csv")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNIT_TYPE = re.compile(r"[a-z][a-z0-9_]*")
_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class Unit:
    """An assessed unit (a ministry, a province, …) and the period it existed in this form."""

    id: str
    code: str
    name: str
    short_name: str
    name_en: str
    unit_type: str
    valid_from: date | None = None
    valid_to: date | None = None
    lat: float | None = None
    lon: float | None = None
    source: str = ""

    def valid_on(self, day: date) -> bool:
        """Whether the unit existed on ``day`` (both ends of the period included)."""
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_to is None or day <= self.valid_to)

    def sort_key(self) -> tuple[SortKey, SortKey, str]:
        """Vietnamese dictionary order of the short name, then the full name, then the id."""
        return vi_sort_key(self.short_name), vi_sort_key(self.name), self.id


@dataclass(frozen=True)
class Succession:
    """On ``effective``, (a share ``weight`` of) ``predecessor`` passed into ``successor``."""

    predecessor: str
    successor: str
    effective: date
    weight: Decimal | None = None
    primary: bool = True
    basis: str = ""


class Share(NamedTuple):
    """One source unit's part in a target unit (see :meth:`UnitRegistry.map_to`)."""

    source: Unit
    weight: Decimal | None
    """The share of the source that is in the target: the product of the weights along the
    succession path, summed over paths; ``None`` if some link on the way is not quantified."""
    primary: bool
    """Whether the target is the source's main successor (every link on the path is primary)."""


@dataclass(frozen=True)
class UnitChange:
    """How a unit came from its direct predecessors (see :meth:`UnitRegistry.change`).

    ``kind`` is ``"none"`` (no predecessor), ``"unchanged"`` (one main predecessor, same name),
    ``"renamed"`` (one main predecessor, another name), ``"merged"`` (several main predecessors) or
    ``"formed"`` (only parts of other units). ``main`` are the predecessors of which this unit is
    the main successor; ``parts_from`` those that passed only a part to it; ``parts_to`` the other
    units that took a part of a main predecessor.
    """

    kind: str
    unit: Unit
    main: tuple[Unit, ...] = ()
    parts_from: tuple[Unit, ...] = ()
    parts_to: tuple[Unit, ...] = ()

    def describe(self) -> str:
        """Plain English, e.g. ``"merged from Bắc Giang, Bắc Ninh"`` (the shells translate)."""
        if self.kind == "none":
            text = "no predecessor"
        elif self.kind == "unchanged":
            text = "unchanged"
        elif self.kind == "renamed":
            text = f"renamed from {self.main[0].short_name}"
        elif self.kind == "merged":
            text = f"merged from {_names(self.main)}"
        else:
            text = f"formed from parts of {_names(self.parts_from)}"
        if self.parts_from and self.kind != "formed":
            text += f"; took over part of {_names(self.parts_from)}"
        if self.parts_to:
            text += f"; part transferred to {_names(self.parts_to)}"
        return text


def _names(units: Iterable[Unit]) -> str:
    return ", ".join(unit.short_name for unit in units)


def _sorted(units: Iterable[Unit]) -> tuple[Unit, ...]:
    return tuple(sorted(units, key=Unit.sort_key))


# ---------------------------------------------------------------------------------------------
# Reading CSV


def _records(text: str, file: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the line they start on; ``#`` lines are skipped."""
    return csv_records(text=text, file=file, comments="any")


def _table(
    text: str, file: str, columns: Sequence[str], required: Sequence[str]
) -> tuple[list[_Row], list[Problem]]:
    """The data rows of a CSV text, checked against the allowed and required columns."""
    records = _records(text, file)
    if not records:
        raise InputError(Problem.of("no_header", Location(file=file)))
    header_row, header = records[0]
    names = [name.strip() for name in header]
    problems: list[Problem] = []
    for index, name in enumerate(names):
        where = Location(file=file, row=header_row, column=name)
        if name in names[:index]:
            problems.append(Problem.of("unit_column_twice", where))
        elif name not in columns:
            problems.append(Problem.of("unknown_column", where, allowed=", ".join(columns)))
    for name in required:
        if name not in names:
            where = Location(file=file, row=header_row, column=name)
            problems.append(Problem.of("required_column", where))
    if problems:
        raise InputError(problems)
    rows: list[_Row] = []
    for row, fields in records[1:]:
        if len(fields) != len(names):
            where = Location(file=file, row=row)
            problems.append(Problem.of("unit_fields", where, count=len(names), found=len(fields)))
            continue
        values = dict.fromkeys(columns, "")
        values.update((name, field.strip()) for name, field in zip(names, fields, strict=True))
        rows.append(_Row(file, row, values, problems))
    return rows, problems


class _Row:
    """One data row; each getter records a problem (and clears ``ok``) for a bad value."""

    def __init__(self, file: str, row: int, values: dict[str, str], problems: list[Problem]):
        self.file, self.row, self.values, self.problems = file, row, values, problems
        self.ok = True

    def location(self, column: str) -> Location:
        return Location(file=self.file, row=self.row, column=column)

    def fail(self, column: str, code: str, **params: object) -> None:
        self.problems.append(Problem.of(code, self.location(column), **params))
        self.ok = False

    def text(self, column: str, required: bool = False) -> str:
        value = self.values[column]
        if required and not value:
            self.fail(column, "value_required")
        return value

    def name(self, column: str, required: bool = False) -> str:
        """A name or code: NFC, no control character (see :func:`parindex.inputs.clean_name`)."""
        try:
            value = clean_name(self.values[column])
        except ValueError as exc:
            self.problems.append(name_problem(exc, self.location(column)))
            self.ok = False
            return ""
        self.values[column] = value
        return self.text(column, required)

    def iso_date(self, column: str, required: bool = False) -> date | None:
        value = self.text(column, required)
        if not value:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, "not_a_date", value=repr(value))
            return None

    def number(self, column: str, limit: float) -> float | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = float(parse_decimal(value))
        except ValueError:
            number = math.nan
        if not -limit <= number <= limit:
            self.fail(column, "coordinate", value=repr(value), limit=f"{limit:g}")
            return None
        return number

    def weight(self, column: str) -> Decimal | None:
        value = self.text(column)
        if not value:
            return None
        try:
            weight = parse_decimal(value)
        except ValueError:
            weight = Decimal("NaN")
        if weight.is_nan() or not 0 < weight <= 1:
            self.fail(column, "not_a_share", value=repr(value))
            return None
        return weight

    def boolean(self, column: str) -> bool:
        value = self.text(column, required=True)
        if value and value.lower() not in _BOOLEANS:
            self.fail(column, "not_a_flag", value=value)
        return _BOOLEANS.get(value.lower(), False)


def _parse_units(text: str, file: str) -> list[tuple[Unit, Location]]:
    rows, problems = _table(text, file, UNIT_COLUMNS, _UNIT_REQUIRED)
    units: list[tuple[Unit, Location]] = []
    for row in rows:
        unit_id, code = row.name("id", required=True), row.name("code")
        name = row.name("name", required=True)
        short_name, name_en = row.name("short_name") or name, row.name("name_en")
        unit_type = row.text("unit_type", required=True)
        if unit_type and not _UNIT_TYPE.fullmatch(unit_type):
            row.fail("unit_type", "unit_type", value=repr(unit_type))
        valid_from, valid_to = row.iso_date("valid_from"), row.iso_date("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            row.fail("valid_to", "valid_to_before")
        lat, lon = row.number("lat", 90), row.number("lon", 180)
        unit = Unit(
            unit_id,
            code,
            name,
            short_name,
            name_en,
            unit_type,
            valid_from,
            valid_to,
            lat,
            lon,
            row.text("source"),
        )
        if row.ok:
            units.append((unit, row.location("id")))
    if problems:
        raise InputError(problems)
    return units


def _parse_successions(text: str, file: str) -> list[tuple[Succession, Location]]:
    rows, problems = _table(text, file, SUCCESSION_COLUMNS, _SUCCESSION_REQUIRED)
    successions: list[tuple[Succession, Location]] = []
    for row in rows:
        predecessor = row.name("predecessor", required=True)
        successor = row.name("successor", required=True)
        if predecessor and predecessor == successor:
            row.fail("successor", "succeeds_itself")
        effective = row.iso_date("effective", required=True)
        weight, primary = row.weight("weight"), row.boolean("primary")
        if row.ok and effective is not None:
            link = Succession(predecessor, successor, effective, weight, primary, row.text("basis"))
            successions.append((link, row.location("predecessor")))
    if problems:
        raise InputError(problems)
    return successions


def parse_units(text: str, file: str = "<units>") -> list[Unit]:
    """The units in a CSV text; ``file`` names it in errors. Raises :class:`InputError`."""
    return [unit for unit, _ in _parse_units(text, file)]


def parse_successions(text: str, file: str = "<successions>") -> list[Succession]:
    """The successions in a CSV text; ``file`` names it in errors. Raises :class:`InputError`."""
    return [link for link, _ in _parse_successions(text, file)]


def _read(path: str | os.PathLike[str]) -> tuple[str, str]:
    file = os.fspath(path)
    return decode(read_bytes(file, file), file), file


def load_units(path: str | os.PathLike[str]) -> list[Unit]:
    """The units in a CSV file (columns :data:`UNIT_COLUMNS`). Raises :class:`InputError`."""
    return parse_units(*_read(path))


def load_successions(path: str | os.PathLike[str]) -> list[Succession]:
    """The successions in a CSV file (:data:`SUCCESSION_COLUMNS`). Raises :class:`InputError`."""
    return parse_successions(*_read(path))


# ---------------------------------------------------------------------------------------------
# The registry


class UnitRegistry:
    """Units and successions, checked for consistency; immutable once built.

    Checks: unit ids are unique; a succession names known units; the predecessor ends before the
    effective date and the successor exists on it; each predecessor has exactly one primary
    successor; its weights add up to at most 1 (less than 1 if some weight is not quantified).
    """

    def __init__(self, units: Iterable[Unit], successions: Iterable[Succession] = ()) -> None:
        self._build([(unit, Location()) for unit in units], [(s, Location()) for s in successions])

    @classmethod
    def from_files(
        cls,
        unit_files: Iterable[str | os.PathLike[str]],
        succession_files: Iterable[str | os.PathLike[str]] = (),
    ) -> UnitRegistry:
        """A registry from CSV files; errors name the file and row. Raises :class:`InputError`."""
        return cls._from_texts([_read(p) for p in unit_files], [_read(p) for p in succession_files])

    @classmethod
    def shipped(cls) -> UnitRegistry:
        """The registry shipped in ``parindex/data/units`` (provinces and ministries, 2025)."""
        return _shipped()

    @classmethod
    def _from_texts(
        cls, unit_texts: Iterable[tuple[str, str]], succession_texts: Iterable[tuple[str, str]]
    ) -> UnitRegistry:
        registry = cls.__new__(cls)
        units = [item for text, file in unit_texts for item in _parse_units(text, file)]
        links = [item for text, file in succession_texts for item in _parse_successions(text, file)]
        registry._build(units, links)
        return registry

    def _build(
        self, units: list[tuple[Unit, Location]], links: list[tuple[Succession, Location]]
    ) -> None:
        problems: list[Problem] = []
        self._units: dict[str, Unit] = {}
        first_seen: dict[str, Location] = {}
        for unit, where in units:
            if unit.id in self._units:
                first = str(first_seen[unit.id])
                unit_id = unit.id
                if first:
                    problems.append(
                        Problem.of("unit_id_twice_at", where, unit=unit_id, first=first)
                    )
                else:
                    problems.append(Problem.of("unit_id_twice", where, unit=unit_id))
            else:
                self._units[unit.id] = unit
                first_seen[unit.id] = where
        self._successors: dict[str, list[Succession]] = {}
        self._predecessors: dict[str, list[Succession]] = {}
        first_link: dict[str, Location] = {}
        for link, where in links:
            problems.extend(self._link_problems(link, where))
            self._successors.setdefault(link.predecessor, []).append(link)
            self._predecessors.setdefault(link.successor, []).append(link)
            first_link.setdefault(link.predecessor, where)
        for predecessor, group in self._successors.items():
            problems.extend(_group_problems(predecessor, group, first_link[predecessor]))
        if problems:
            raise InputError(problems)

    def _link_problems(self, link: Succession, where: Location) -> list[Problem]:
        def at(column: str) -> Location:
            return Location(where.file, where.row, column)

        problems: list[Problem] = []
        before, after = self._units.get(link.predecessor), self._units.get(link.successor)
        if before is None:
            problems.append(Problem.of("unknown_unit_id", at("predecessor"), unit=link.predecessor))
        if after is None:
            problems.append(Problem.of("unknown_unit_id", at("successor"), unit=link.successor))
        if link.predecessor == link.successor:
            problems.append(Problem.of("succeeds_itself", at("successor")))
        if any(
            other.successor == link.successor
            for other in self._successors.get(link.predecessor, ())
        ):
            before_id, after_id = link.predecessor, link.successor
            problems.append(
                Problem.of("link_twice", at("successor"), before=before_id, after=after_id)
            )
        if before is not None and (before.valid_to is None or before.valid_to >= link.effective):
            where, day = at("effective"), link.effective
            problems.append(Problem.of("link_not_ended", where, unit=before.id, day=day))
        if after is not None and not after.valid_on(link.effective):
            where, day = at("effective"), link.effective
            problems.append(Problem.of("link_not_valid", where, unit=after.id, day=day))
        return problems

    # -- queries ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    @property
    def units(self) -> list[Unit]:
        """All units, in Vietnamese order of their short names."""
        return sorted(self._units.values(), key=Unit.sort_key)

    def get(self, unit_id: str) -> Unit:
        """The unit with this id. Raises :class:`InputError` if there is none."""
        try:
            return self._units[unit_id]
        except KeyError:
            raise InputError(Problem.of("unknown_unit_id", unit=unit_id)) from None

    def units_on(self, day: date, unit_type: str | None = None) -> list[Unit]:
        """The units valid on ``day`` (of one type if given), in Vietnamese order of short name."""
        return sorted(
            (
                unit
                for unit in self._units.values()
                if unit.valid_on(day) and (unit_type is None or unit.unit_type == unit_type)
            ),
            key=Unit.sort_key,
        )

    def successors(self, unit_id: str) -> list[Succession]:
        """The links from ``unit_id`` to its successors, the primary one first."""
        self.get(unit_id)
        links = self._successors.get(unit_id, [])
        return sorted(links, key=lambda s: (not s.primary, self._units[s.successor].sort_key()))

    def predecessors(self, unit_id: str) -> list[Succession]:
        """The links into ``unit_id`` from its predecessors, primary links first."""
        self.get(unit_id)
        links = self._predecessors.get(unit_id, [])
        return sorted(links, key=lambda s: (not s.primary, self._units[s.predecessor].sort_key()))

    def map_to(
        self, unit_ids: Iterable[str], day: date, *, primary_only: bool = False
    ) -> dict[str, list[Share]]:
        """Map units of an earlier time onto the units valid on ``day``.

        ``unit_ids`` may be any iterable of ids (a mapping of ids to values works: its keys are
        used). Each unit is followed along its successions, transitively, up to the units valid
        on ``day``; a unit valid on ``day`` maps onto itself with weight 1. With
        ``primary_only``, only primary links are followed (each source then reaches one target).

        Returns, for each target id (in Vietnamese order), the :class:`Share` of every source in
        it, e.g. ``{"P34-24": [Share(Bắc Giang, 1, True), Share(Bắc Ninh, 1, True)]}``.
        Raises :class:`InputError` for an unknown id, a unit not yet valid on ``day`` or a unit
        that reaches no unit valid on ``day``.
        """
        found: dict[str, dict[str, tuple[Decimal | None, bool]]] = {}
        problems: list[Problem] = []
        for unit_id in dict.fromkeys(unit_ids):
            unit = self._units.get(unit_id)
            if unit is None:
                problems.append(Problem.of("unknown_unit_id", unit=unit_id))
            elif unit.valid_from is not None and day < unit.valid_from:
                start = unit.valid_from
                problems.append(Problem.of("not_yet_valid", unit=unit_id, start=start, day=day))
            else:
                reached = self._follow(unit_id, day, primary_only)
                if not reached:
                    end = unit.valid_to
                    problems.append(Problem.of("no_successor", unit=unit_id, end=end, day=day))
                for target, share in reached.items():
                    found.setdefault(target, {})[unit_id] = share
        if problems:
            raise InputError(problems)
        result: dict[str, list[Share]] = {}
        for target in sorted(found, key=lambda t: self._units[t].sort_key()):
            shares = [Share(self._units[s], w, p) for s, (w, p) in found[target].items()]
            result[target] = sorted(shares, key=lambda share: share.source.sort_key())
        return result

    def _follow(
        self, unit_id: str, day: date, primary_only: bool
    ) -> dict[str, tuple[Decimal | None, bool]]:
        if self._units[unit_id].valid_on(day):
            return {unit_id: (Decimal(1), True)}
        reached: dict[str, tuple[Decimal | None, bool]] = {}
        for link in self._successors.get(unit_id, ()):
            if link.effective > day or (primary_only and not link.primary):
                continue
            for target, (weight, primary) in self._follow(
                link.successor, day, primary_only
            ).items():
                share = None if link.weight is None or weight is None else link.weight * weight
                primary = primary and link.primary
                if target in reached:
                    earlier, was_primary = reached[target]
                    share = None if earlier is None or share is None else earlier + share
                    primary = primary or was_primary
                reached[target] = (share, primary)
        return reached

    def change(self, unit_id: str) -> UnitChange:
        """How ``unit_id`` came from its direct predecessors, as data (see :class:`UnitChange`)."""
        unit = self.get(unit_id)
        links = self._predecessors.get(unit_id, [])
        main = _sorted(self._units[s.predecessor] for s in links if s.primary)
        parts_from = _sorted(self._units[s.predecessor] for s in links if not s.primary)
        parts_to = _sorted(
            {
                self._units[other.successor]
                for before in main
                for other in self._successors[before.id]
                if other.successor != unit_id
            }
        )
        if not links:
            kind = "none"
        elif not main:
            kind = "formed"
        elif len(main) > 1:
            kind = "merged"
        elif (main[0].name, main[0].short_name) == (unit.name, unit.short_name):
            kind = "unchanged"
        else:
            kind = "renamed"
        return UnitChange(kind, unit, main, parts_from, parts_to)

    def describe_change(self, unit_id: str) -> str:
        """``"unchanged"``, ``"merged from Bắc Giang, Bắc Ninh"``, ``"renamed from …"``, …"""
        return self.change(unit_id).describe()


def _group_problems(predecessor: str, links: list[Succession], where: Location) -> list[Problem]:
    """Problems with all the links out of one predecessor."""
    problems: list[Problem] = []
    primaries = sum(link.primary for link in links)
    if primaries != 1:
        at = Location(where.file, where.row, "primary")
        problems.append(Problem.of("primaries", at, unit=predecessor, count=primaries))
    total = sum((link.weight for link in links if link.weight is not None), Decimal(0))
    if total > 1:
        at = Location(where.file, where.row, "weight")
        problems.append(Problem.of("weights_above_one", at, unit=predecessor, total=total))
    elif total == 1 and any(link.weight is None for link in links):
        at = Location(where.file, where.row, "weight")
        problems.append(Problem.of("weights_one_missing", at, unit=predecessor))
    return problems


@functools.cache
def _shipped() -> UnitRegistry:
    folder = resources.files("parindex").joinpath("data").joinpath("units")

    def texts(names: Sequence[str]) -> list[tuple[str, str]]:
        return [
            (folder.joinpath(name).read_text(encoding="utf-8"), f"parindex/data/units/{name}")
            for name in names
        ]

    return UnitRegistry._from_texts(texts(_SHIPPED_UNITS), texts(_SHIPPED_SUCCESSIONS))
