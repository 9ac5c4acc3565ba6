"""Tile-grid maps: layout, labels, files, and the shipped 63- and 34-province layouts."""

from __future__ import annotations

import importlib.util
import itertools
import random
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from parindex import UnitRegistry
from parindex.errors import InputError
from parindex.tilegrid import (
    SHIPPED_TILEGRIDS,
    Tile,
    _assign,
    adjacency,
    label,
    labels,
    layout,
    parse_tilegrid,
    shipped_tilegrids,
    tilegrid_to_csv,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "parindex" / "data" / "units"
HEADER = "unit_id,col,row,label\n"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_tilegrid", ROOT / "scripts" / "build_tilegrid.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the shipped layouts ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED_TILEGRIDS)
def test_the_committed_files_are_the_generators_output(script: ModuleType, name: str) -> None:
    committed = (DATA / f"tilegrid-{name}.csv").read_text(encoding="utf-8")
    assert committed == script.render(name)


def test_the_generator_checks_and_shows_without_writing(
    script: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert script.main(["--check"]) == 0
    assert script.main(["--show"]) == 0
    shown = capsys.readouterr().out
    assert "tilegrid-63" in shown and "HCM" in shown


@pytest.mark.parametrize(
    ("name", "day", "count"), [("63", date(2025, 6, 30), 63), ("34", date(2025, 7, 1), 34)]
)
def test_every_province_of_the_day_has_exactly_one_tile(name: str, day: date, count: int) -> None:
    tiles = shipped_tilegrids()[name]
    provinces = {u.id for u in UnitRegistry.shipped().units_on(day, "province")}
    assert len(provinces) == count
    assert Counter(t.unit_id for t in tiles) == Counter(provinces)
    assert len({(t.col, t.row) for t in tiles}) == count
    assert len({t.label for t in tiles}) == count
    assert all(2 <= len(t.label) <= 4 for t in tiles)


@pytest.mark.parametrize("name", SHIPPED_TILEGRIDS)
def test_the_shipped_layouts_keep_the_countrys_shape(name: str) -> None:
    tiles = {t.unit_id: t for t in shipped_tilegrids()[name]}
    registry = UnitRegistry.shipped()
    by_name = {registry.get(uid).short_name: t for uid, t in tiles.items()}
    width = max(t.col for t in tiles.values()) + 1
    height = max(t.row for t in tiles.values()) + 1
    assert height >= 2 * width  # long and thin
    # North to south, and the central coast east of the western highlands' latitude band.
    assert by_name["Hà Nội"].row < by_name["Huế"].row < by_name["Hồ Chí Minh"].row
    assert by_name["Cà Mau"].row == height - 1
    assert by_name["Điện Biên"].col < by_name["Hà Nội"].col < by_name["Quảng Ninh"].col
    assert by_name["Đà Nẵng"].col > by_name["Hà Tĩnh"].col
    points = {uid: (registry.get(uid).lat or 0.0, registry.get(uid).lon or 0.0) for uid in tiles}
    assert adjacency(points, {uid: (t.col, t.row) for uid, t in tiles.items()}) > 0.85


def test_well_known_labels() -> None:
    labels63 = {t.unit_id: t.label for t in shipped_tilegrids()["63"]}
    assert labels63["P63-01"] == "HN"
    assert labels63["P63-79"] == "HCM"
    assert labels63["P63-48"] == "ĐN"
    assert labels63["P63-77"] == "BRVT"
    assert labels63["P63-35"] == "HNa"


# --- layout -------------------------------------------------------------------------------------


def test_a_meridian_becomes_a_column() -> None:
    points = {"a": (20.0, 105.0), "b": (19.0, 105.0), "c": (18.0, 105.0)}
    assert layout(points, rows=3) == {"a": (0, 0), "b": (0, 1), "c": (0, 2)}


def test_aspect_widens_the_columns() -> None:
    points = {"nw": (20.0, 100.0), "se": (10.0, 110.0)}
    narrow = layout(points, rows=5, aspect=0.5)
    wide = layout(points, rows=5, aspect=2.0)
    assert narrow["se"][0] < wide["se"][0]
    assert narrow["se"][1] == wide["se"][1] == 4


def test_crowded_units_spread_to_distinct_nearby_cells() -> None:
    points = {f"u{i}": (10.0 + i * 0.001, 100.0) for i in range(5)}
    points["far"] = (20.0, 100.0)
    cells = layout(points, rows=10)
    assert len(set(cells.values())) == len(points)
    assert all(max(abs(c), abs(r - cells["u0"][1])) <= 2 for c, r in cells.values() if r > 5)


def test_the_layout_is_deterministic_and_independent_of_input_order() -> None:
    rnd = random.Random(7)
    points = {f"u{i:02}": (rnd.uniform(8, 23), rnd.uniform(102, 110)) for i in range(30)}
    reversed_points = dict(reversed(list(points.items())))
    assert layout(points, rows=12) == layout(reversed_points, rows=12)


@pytest.mark.parametrize(
    ("points", "rows", "aspect", "margin", "message"),
    [
        ({"a": (1.0, 1.0)}, 5, 1.0, 2, "at least two units"),
        ({"a": (1.0, 1.0), "b": (2.0, 1.0)}, 1, 1.0, 2, "at least two rows"),
        ({"a": (1.0, 1.0), "b": (2.0, 1.0)}, 5, 0.0, 2, "aspect must be positive"),
        ({"a": (1.0, 1.0), "b": (2.0, 1.0)}, 5, 1.0, -1, "margin cannot be negative"),
        ({"a": (1.0, 1.0), "b": (1.0, 2.0)}, 5, 1.0, 2, "one parallel"),
    ],
)
def test_bad_layout_arguments_are_refused(
    points: dict[str, tuple[float, float]], rows: int, aspect: float, margin: int, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        layout(points, rows=rows, aspect=aspect, margin=margin)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(InputError) as error:
        layout({}, rows=0, aspect=-1, margin=-1)
    assert len(error.value.problems) == 4


@pytest.mark.parametrize("seed", range(8))
def test_the_assignment_is_the_cheapest(seed: int) -> None:
    rnd = random.Random(seed)
    n, m = rnd.randint(1, 4), 5
    cost = [[rnd.choice([0.0, 1.0, 2.5, rnd.random() * 10]) for _ in range(m)] for _ in range(n)]
    chosen = _assign(cost)
    assert len(set(chosen)) == n
    best = min(
        sum(cost[i][j] for i, j in enumerate(perm)) for perm in itertools.permutations(range(m), n)
    )
    assert sum(cost[i][j] for i, j in enumerate(chosen)) == pytest.approx(best)


def test_adjacency_counts_touching_neighbours() -> None:
    points = {"a": (10.0, 100.0), "b": (10.0, 101.0), "c": (10.0, 102.0)}
    assert adjacency(points, {"a": (0, 0), "b": (1, 0), "c": (2, 0)}, k=1) == 1.0
    assert adjacency(points, {"a": (0, 0), "b": (1, 1), "c": (5, 0)}, k=1) == pytest.approx(2 / 3)


# --- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hà Nội", "HN"),
        ("Hồ Chí Minh", "HCM"),
        ("Đà Nẵng", "ĐN"),
        ("Bà Rịa - Vũng Tàu", "BRVT"),
        ("Huế", "HUẾ"),
        ("Thừa Thiên Huế", "TTH"),
        ("An Bình Đông Tây Nam", "ABĐT"),
        ("Xuyên", "XUYÊ"),
    ],
)
def test_a_label_is_made_of_initials(name: str, expected: str) -> None:
    assert label(name) == expected


def test_duplicate_labels_are_resolved_by_id_order() -> None:
    names = {"3": "Quảng Ngãi", "1": "Quảng Ninh", "2": "Quảng Nam", "4": "Hà Nội"}
    assert labels(names) == {"1": "QN", "2": "QNa", "3": "QNg", "4": "HN"}


def test_a_name_without_letters_has_no_label() -> None:
    with pytest.raises(InputError, match="no letters"):
        labels({"x": "- 12 -"})


def test_identical_names_cannot_both_get_a_label() -> None:
    with pytest.raises(InputError, match="no unique short label"):
        labels({"1": "An Ba", "2": "An Ba", "3": "An Ba", "4": "An Ba"})


# --- files --------------------------------------------------------------------------------------


def test_a_tilegrid_round_trips_through_csv() -> None:
    tiles = [Tile("b", 1, 0, "B"), Tile("a", 0, 2, "A, Á"), Tile("c", 0, 0, "C")]
    text = tilegrid_to_csv(tiles, ["made by hand", ""])
    assert text.startswith("# made by hand\n#\nunit_id,col,row,label\nc,0,0,C\nb,1,0,B\n")
    assert parse_tilegrid(text) == (
        Tile("c", 0, 0, "C"),
        Tile("b", 1, 0, "B"),
        Tile("a", 0, 2, "A, Á"),
    )


@pytest.mark.parametrize("text", ["", "# only a comment\n", "id,col,row,label\n"])
def test_a_file_without_the_header_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="the header must be"):
        parse_tilegrid(text)


def test_every_bad_row_is_listed_with_its_line() -> None:
    text = (
        "# comment\n"
        + HEADER
        + "a,0,0,A\n"
        + "b,0\n"
        + "c,x,1,C\n"
        + "d,-1,1,D\n"
        + ",1,1,E\n"
        + "f,1,1,\n"
        + "a,2,2,A2\n"
        + "g,0,0,G\n"
        + "\n"
        + "h,3,3,H\n"
    )
    with pytest.raises(InputError) as error:
        parse_tilegrid(text, "grid.csv")
    messages = [(p.location.row, p.message) for p in error.value.problems]
    assert messages == [
        (4, "expected 4 fields"),
        (5, "col and row must be whole numbers from 0"),
        (6, "col and row must be whole numbers from 0"),
        (7, "unit_id and label must not be empty"),
        (8, "unit_id and label must not be empty"),
        (9, "unit a has two tiles"),
        (10, "two tiles share the cell (0, 0)"),
    ]
    assert all(p.location.file == "grid.csv" for p in error.value.problems)


def test_the_shipped_layouts_are_named() -> None:
    assert set(shipped_tilegrids()) == {"63", "34"}
