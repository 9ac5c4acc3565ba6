"""Tile-grid maps: one square tile per unit, on a grid that keeps the country's shape.

No boundary dataset of Viet Nam's provinces with a licence that allows redistribution is at hand,
so the public map is schematic: every province is one tile of the same size. :func:`layout`
places the tiles from the units' latitude and longitude:

1. project each point (equirectangular around the mean latitude, so that a degree of longitude
   and a degree of latitude have their true ratio);
2. scale so that the north-south extent spans ``rows`` rows (``aspect`` > 1 widens the columns'
   share, < 1 narrows it) and lay a grid of candidate cells over the extent, ``margin`` cells
   wider on every side;
3. give each unit one cell so that the sum of squared distances between the units and their
   cells' centres is the least possible (the Hungarian algorithm: no two units share a cell, and
   a crowded area such as a river delta spreads into the nearest free cells);
4. shift the result so that the smallest column and row are 0.

Everything is deterministic: units are taken in the order of their ids, cells row by row. The
shipped layouts (``data/units/tilegrid-63.csv`` for the 63 provinces until 30 June 2025 and
``tilegrid-34.csv`` for the 34 since 1 July 2025) are written by ``scripts/build_tilegrid.py``;
:func:`adjacency` measures how well a layout keeps neighbours next to each other.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from parindex.errors import InputError, Location, Problem
from parindex.inputs import clean_name, csv_records

__all__ = [
    "SHIPPED_TILEGRIDS",
    "TILEGRID_COLUMNS",
    "Tile",
    "adjacency",
    "label",
    "labels",
    "layout",
    "parse_tilegrid",
    "shipped_tilegrids",
    "tilegrid_to_csv",
]

TILEGRID_COLUMNS = ("unit_id", "col", "row", "label")
"""Columns of a tile-grid file: the unit, its column and row (0 = left, top) and a short label."""

SHIPPED_TILEGRIDS = ("63", "34")
"""Names of the shipped layouts: ``tilegrid-<name>.csv``."""

Cell = tuple[int, int]

_WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Tile:
    """One unit's tile: column and row counted from the top left corner, and a short label."""

    unit_id: str
    col: int
    row: int
    label: str


# ---------------------------------------------------------------------------------------------
# Layout


def layout(
    points: Mapping[str, tuple[float, float]],
    rows: int,
    aspect: float = 1.0,
    margin: int = 2,
) -> dict[str, Cell]:
    """Unit id → (column, row) for units at ``points`` (id → (latitude, longitude)).

    See the module docstring for the method. Raises :class:`InputError` for fewer than two
    units, fewer than two rows, a non-positive ``aspect``, a negative ``margin`` or points that
    all lie on one parallel.
    """
    problems = []
    if len(points) < 2:
        problems.append(Problem.of("tilegrid_units"))
    if rows < 2:
        problems.append(Problem.of("tilegrid_rows"))
    if not aspect > 0:
        problems.append(Problem.of("tilegrid_aspect"))
    if margin < 0:
        problems.append(Problem.of("tilegrid_margin"))
    if problems:
        raise InputError(problems)
    ids = sorted(points)
    mean_lat = sum(points[i][0] for i in ids) / len(ids)
    shrink = math.cos(math.radians(mean_lat))
    xs = {i: points[i][1] * shrink for i in ids}
    ys = {i: points[i][0] for i in ids}
    top, bottom, left = max(ys.values()), min(ys.values()), min(xs.values())
    if top == bottom:
        raise InputError(Problem.of("tilegrid_parallel"))
    size = (top - bottom) / (rows - 1)
    width = size / aspect
    spots = {i: ((xs[i] - left) / width, (top - ys[i]) / size) for i in ids}
    cols = math.ceil(max(x for x, _ in spots.values())) + 1
    cells = [(c, r) for r in range(-margin, rows + margin) for c in range(-margin, cols + margin)]
    cost = [[(spots[i][0] - c) ** 2 + (spots[i][1] - r) ** 2 for c, r in cells] for i in ids]
    chosen = {i: cells[j] for i, j in zip(ids, _assign(cost), strict=True)}
    first_col = min(c for c, _ in chosen.values())
    first_row = min(r for _, r in chosen.values())
    return {i: (c - first_col, r - first_row) for i, (c, r) in chosen.items()}


def _assign(cost: list[list[float]]) -> list[int]:
    """The column chosen for each row of ``cost`` (rows ≤ columns) with the least total cost.

    The Hungarian algorithm with potentials (Kuhn–Munkres, O(rows² × columns)).
    """
    n, m = len(cost), len(cost[0])
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) holding column j; 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        least = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while owner[j0] != 0:
            used[j0] = True
            i0, delta, j1 = owner[j0], math.inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = row[j - 1] - u[i0] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


def adjacency(
    points: Mapping[str, tuple[float, float]], cells: Mapping[str, Cell], k: int = 3
) -> float:
    """The share of each unit's ``k`` nearest units (by distance on the ground) whose tiles touch
    its tile (side or corner): 1.0 when every near neighbour stays adjacent."""
    ids = sorted(points)
    mean_lat = sum(points[i][0] for i in ids) / len(ids)
    shrink = math.cos(math.radians(mean_lat))

    def distance(a: str, b: str) -> float:
        return math.hypot((points[a][1] - points[b][1]) * shrink, points[a][0] - points[b][0])

    touching = total = 0
    for i in ids:
        near = sorted((j for j in ids if j != i), key=lambda j: (distance(i, j), j))[:k]
        for j in near:
            total += 1
            gap = max(abs(cells[i][0] - cells[j][0]), abs(cells[i][1] - cells[j][1]))
            touching += gap <= 1
    return touching / total


# ---------------------------------------------------------------------------------------------
# Labels


def _words(name: str) -> list[str]:
    """The name's words, letters only (``Bà Rịa - Vũng Tàu`` → Bà, Rịa, Vũng, Tàu)."""
    words = ("".join(ch for ch in word if ch.isalpha()) for word in name.split())
    return [word for word in words if word]


def label(name: str) -> str:
    """A short label: the initials of the name's words in capitals (``Hà Nội`` → ``HN``,
    ``Bà Rịa - Vũng Tàu`` → ``BRVT``), or a one-word name in capitals (``Huế`` → ``HUẾ``);
    at most 4 letters."""
    words = _words(name)
    if len(words) == 1:
        return words[0][:4].upper()
    return "".join(word[0].upper() for word in words)[:4]


def labels(names: Mapping[str, str]) -> dict[str, str]:
    """Unit id → a label of at most 4 letters, unique among ``names`` (id → short name).

    Units whose :func:`label` is the same are taken in the order of their ids: the first keeps
    the label, each other one gets the next letters of its last word in small letters until the
    label is unique (``Quảng Ninh`` QN, ``Quảng Nam`` QNa, ``Quảng Ngãi`` QNg). Raises
    :class:`InputError` for a name without letters or when no unique label is found.
    """
    result: dict[str, str] = {}
    for unit_id in sorted(names):
        words = _words(names[unit_id])
        if not words:
            raise InputError(Problem.of("tilegrid_no_letters", Location(code=unit_id)))
        plain = label(names[unit_id])
        tail = words[-1][1:].lower()
        candidates = [plain + tail[:n] for n in range(len(tail) + 1)]
        choice = next((c for c in candidates if len(c) <= 4 and c not in result.values()), None)
        if choice is None:
            where, name = Location(code=unit_id), names[unit_id]
            raise InputError(Problem.of("tilegrid_label", where, name=name))
        result[unit_id] = choice
    return result


# ---------------------------------------------------------------------------------------------
# Files


def tilegrid_to_csv(tiles: Iterable[Tile], comments: Iterable[str] = ()) -> str:
    """A tile-grid file: ``# `` comment lines, the header, then the tiles by row, then column."""
    out = io.StringIO()
    for comment in comments:
        out.write(f"# {comment}".rstrip() + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TILEGRID_COLUMNS)
    for tile in sorted(tiles, key=lambda t: (t.row, t.col)):
        writer.writerow([tile.unit_id, tile.col, tile.row, tile.label])
    return out.getvalue()


def parse_tilegrid(text: str, file: str = "<tilegrid>") -> tuple[Tile, ...]:
    """Tiles from a tile-grid file (``#`` lines are comments; rows in errors are file lines).

    Raises :class:`InputError` listing every problem: a wrong header, a wrong number of fields,
    a column or row that is not a whole number from 0, an empty id or label, a unit or a cell
    given twice.
    """
    records = csv_records(text=text, file=file, comments="any")
    if not records or tuple(f.strip() for f in records[0][1]) != TILEGRID_COLUMNS:
        expected = ",".join(TILEGRID_COLUMNS)
        raise InputError(Problem.of("tilegrid_header", Location(file=file), header=expected))
    problems: list[Problem] = []
    tiles: list[Tile] = []
    units: set[str] = set()
    cells: set[Cell] = set()
    for number, fields in records[1:]:
        where = Location(file=file, row=number)
        if len(fields) != len(TILEGRID_COLUMNS):
            problems.append(Problem.of("tilegrid_fields", where, count=len(TILEGRID_COLUMNS)))
            continue
        unit_id, col, row, text = (field.strip() for field in fields)
        try:
            unit_id, text = clean_name(unit_id), clean_name(text)
        except ValueError as exc:
            problems.append(Problem.of("tilegrid_name", where, reason=exc))
            continue
        if not (_WHOLE.fullmatch(col) and _WHOLE.fullmatch(row)):
            problems.append(Problem.of("tilegrid_cell", where))
        elif not unit_id or not text:
            problems.append(Problem.of("tilegrid_empty", where))
        elif unit_id in units:
            problems.append(Problem.of("tilegrid_two_tiles", where, unit=unit_id))
        elif (int(col), int(row)) in cells:
            problems.append(Problem.of("tilegrid_shared", where, col=col, row=row))
        else:
            units.add(unit_id)
            cells.add((int(col), int(row)))
            tiles.append(Tile(unit_id, int(col), int(row), text))
    if problems:
        raise InputError(problems)
    return tuple(tiles)


@functools.cache
def shipped_tilegrids() -> dict[str, tuple[Tile, ...]]:
    """The shipped layouts by name (see :data:`SHIPPED_TILEGRIDS`)."""
    folder = resources.files("parindex").joinpath("data").joinpath("units")
    return {
        name: parse_tilegrid(
            folder.joinpath(f"tilegrid-{name}.csv").read_text(encoding="utf-8"),
            f"parindex/data/units/tilegrid-{name}.csv",
        )
        for name in SHIPPED_TILEGRIDS
    }
