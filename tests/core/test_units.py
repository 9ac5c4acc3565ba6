"""Units over time: the shipped provinces and ministries, CSV reading, succession mapping."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from parindex.errors import InputError, Location
from parindex.units import (
    Share,
    Succession,
    Unit,
    UnitChange,
    UnitRegistry,
    load_successions,
    load_units,
    parse_successions,
    parse_units,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "parindex" / "data" / "units"
BEFORE_PROVINCES, AFTER_PROVINCES = date(2025, 6, 30), date(2025, 7, 1)
BEFORE_MINISTRIES, AFTER_MINISTRIES = date(2025, 2, 28), date(2025, 3, 1)
UNIT_HEADER = "id,code,name,short_name,name_en,unit_type,valid_from,valid_to,lat,lon,source\n"
LINK_HEADER = "predecessor,successor,effective,weight,primary,basis\n"


@pytest.fixture(scope="module")
def registry() -> UnitRegistry:
    return UnitRegistry.shipped()


def by_short_name(registry: UnitRegistry, name: str, day: date) -> Unit:
    (unit,) = [u for u in registry.units_on(day) if u.short_name == name]
    return unit


def unit(uid: str, start: str | None = None, end: str | None = None, name: str = "") -> Unit:
    return Unit(
        id=uid,
        code=uid,
        name=name or f"Tỉnh {uid}",
        short_name=name or uid,
        name_en=uid,
        unit_type="province",
        valid_from=date.fromisoformat(start) if start else None,
        valid_to=date.fromisoformat(end) if end else None,
    )


def link(a: str, b: str, on: str, weight: str | None = "1", primary: bool = True) -> Succession:
    return Succession(
        a, b, date.fromisoformat(on), Decimal(weight) if weight else None, primary, "test"
    )


def problems_of(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, Location]]:
    return [(p.message, p.location) for p in error.value.problems]


# -- the shipped data ---------------------------------------------------------------------------


def test_counts(registry: UnitRegistry) -> None:
    assert len(registry.units_on(BEFORE_PROVINCES, "province")) == 63
    assert len(registry.units_on(AFTER_PROVINCES, "province")) == 34
    before = registry.units_on(BEFORE_MINISTRIES)
    after = registry.units_on(AFTER_MINISTRIES)
    assert len([u for u in before if u.unit_type != "province"]) == 22
    assert len([u for u in after if u.unit_type != "province"]) == 17
    assert Counter(u.unit_type for u in before if u.unit_type != "province") == {
        "ministry": 18,
        "ministry_agency": 4,
    }
    assert Counter(u.unit_type for u in after if u.unit_type != "province") == {
        "ministry": 14,
        "ministry_agency": 3,
    }
    assert len(registry) == 63 + 34 + 22 + 17
    assert "P63-01" in registry and "P99-99" not in registry
    assert len(registry.units) == len(registry)


def test_shipped_registry_is_built_once() -> None:
    assert UnitRegistry.shipped() is UnitRegistry.shipped()


def test_every_old_province_has_exactly_one_whole_successor(registry: UnitRegistry) -> None:
    for old in registry.units_on(BEFORE_PROVINCES, "province"):
        (only,) = registry.successors(old.id)
        assert only.weight == 1 and only.primary and only.effective == AFTER_PROVINCES
        assert "202/2025/QH15" in only.basis
        assert registry.get(only.successor).valid_from == AFTER_PROVINCES


def test_every_old_ministry_has_one_primary_successor(registry: UnitRegistry) -> None:
    for old in registry.units_on(BEFORE_MINISTRIES, "ministry"):
        links = registry.successors(old.id)
        assert sum(s.primary for s in links) == 1
        assert links[0].primary
        assert all(s.effective == AFTER_MINISTRIES for s in links)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("Bắc Ninh", ["Bắc Giang", "Bắc Ninh"]),
        ("Hồ Chí Minh", ["Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"]),
        ("Hà Nội", ["Hà Nội"]),
        ("Huế", ["Huế"]),
        ("Cao Bằng", ["Cao Bằng"]),
        ("Ninh Bình", ["Hà Nam", "Nam Định", "Ninh Bình"]),
        ("Đà Nẵng", ["Đà Nẵng", "Quảng Nam"]),
    ],
)
def test_province_merges(registry: UnitRegistry, new: str, old: list[str]) -> None:
    target = by_short_name(registry, new, AFTER_PROVINCES)
    sources = [registry.get(s.predecessor).short_name for s in registry.predecessors(target.id)]
    assert sources == old


def test_map_and_describe_provinces(registry: UnitRegistry) -> None:
    old = [
        by_short_name(registry, n, BEFORE_PROVINCES) for n in ("Bắc Giang", "Bắc Ninh", "Hà Nội")
    ]
    mapped = registry.map_to({u.id: 1 for u in old}, date(2025, 12, 31))
    assert list(mapped) == ["P34-24", "P34-01"]
    assert mapped["P34-24"] == [Share(old[0], Decimal(1), True), Share(old[1], Decimal(1), True)]
    assert mapped["P34-01"] == [Share(old[2], Decimal(1), True)]
    assert registry.describe_change("P34-01") == "unchanged"
    assert registry.describe_change("P34-24") == "merged from Bắc Giang, Bắc Ninh"
    assert registry.describe_change("P34-79") == (
        "merged from Bà Rịa - Vũng Tàu, Bình Dương, Hồ Chí Minh"
    )
    assert registry.describe_change("P63-01") == "no predecessor"


def test_ministries(registry: UnitRegistry) -> None:
    def new(name: str) -> str:
        return by_short_name(registry, name, AFTER_MINISTRIES).id

    labour = by_short_name(registry, "Lao động - Thương binh và Xã hội", BEFORE_MINISTRIES)
    links = registry.successors(labour.id)
    assert [registry.get(s.successor).short_name for s in links] == [
        "Nội vụ",
        "Giáo dục và Đào tạo",
        "Nông nghiệp và Môi trường",
        "Y tế",
    ]
    assert all(s.weight is None for s in links)
    assert registry.describe_change(new("Tài chính")) == "merged from Kế hoạch và Đầu tư, Tài chính"
    assert registry.describe_change(new("Quốc phòng")) == "unchanged"
    assert registry.describe_change(new("Y tế")) == (
        "unchanged; took over part of Lao động - Thương binh và Xã hội"
    )
    assert registry.describe_change(new("Dân tộc và Tôn giáo")) == (
        "renamed from Ủy ban Dân tộc; took over part of Nội vụ"
    )
    assert registry.describe_change(new("Nội vụ")) == (
        "merged from Lao động - Thương binh và Xã hội, Nội vụ; part transferred to Dân tộc và Tôn"
        " giáo, Giáo dục và Đào tạo, Nông nghiệp và Môi trường, Y tế"
    )
    everything = registry.map_to([labour.id], AFTER_MINISTRIES)
    assert sorted(everything) == sorted(
        new(n) for n in ("Nội vụ", "Giáo dục và Đào tạo", "Nông nghiệp và Môi trường", "Y tế")
    )
    assert everything[new("Nội vụ")] == [Share(labour, None, True)]
    assert everything[new("Y tế")] == [Share(labour, None, False)]
    main_only = registry.map_to([labour.id], AFTER_MINISTRIES, primary_only=True)
    assert main_only == {new("Nội vụ"): [Share(labour, None, True)]}


def test_units_are_in_vietnamese_order(registry: UnitRegistry) -> None:
    names = [u.short_name for u in registry.units_on(AFTER_PROVINCES, "province")]
    assert names[:6] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng"]
    assert names.index("Đồng Tháp") < names.index("Gia Lai")


def test_files_cite_their_sources() -> None:
    def comments(name: str) -> str:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("#")
        return "\n".join(line for line in lines if line.startswith("#"))

    for name in ("provinces.csv", "successions.csv"):
        head = comments(name)
        for needle in (
            "vietnamadminunits 1.0.4",
            "github.com/tranngocminhhieu/vietnamadminunits",
            "MIT",
            "202/2025/QH15",
        ):
            assert needle in head
    for name in ("ministries.csv", "ministry_successions.csv"):
        assert "176/2025/QH15" in comments(name)


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_units_data", ROOT / "scripts" / "build_units_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_package = pytest.mark.skipif(
    importlib.util.find_spec("vietnamadminunits") is None,
    reason="vietnamadminunits is not installed",
)


@needs_package
def test_committed_files_equal_generator_output(tmp_path: Path) -> None:
    generator = load_generator()
    files = generator.build(
        generator.package_data_dir(), importlib.metadata.version("vietnamadminunits")
    )
    for name, text in files.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: rerun the script"
        )
    assert generator.main(["--check"]) == 0
    assert generator.main(["--out", str(tmp_path), "--check"]) == 1
    assert generator.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "provinces.csv").read_text(encoding="utf-8") == files["provinces.csv"]


@needs_package
def test_merges_reproduce_the_package_converter(registry: UnitRegistry) -> None:
    data = load_generator().package_data_dir()

    def table(name: str) -> dict[str, object]:
        loaded: dict[str, object] = json.loads((data / name).read_text(encoding="utf-8"))
        return loaded

    legacy, new, converter = (
        table(n)["DICT_PROVINCE"]
        for n in ("parser_legacy.json", "parser_from_2025.json", "converter_2025.json")
    )
    for new_key, old_keys in converter.items():  # type: ignore[attr-defined]
        target = f"P34-{new[new_key]['provinceCode']}"  # type: ignore[index]
        expected = sorted(f"P63-{legacy[k]['provinceCode']}" for k in old_keys)  # type: ignore[index]
        assert sorted(s.predecessor for s in registry.predecessors(target)) == expected


# -- the registry -------------------------------------------------------------------------------


def test_transitive_mapping_and_weights() -> None:
    registry = UnitRegistry(
        [
            unit("A", end="2020-12-31"),
            unit("B", "2021-01-01", "2022-12-31"),
            unit("C", "2021-01-01", "2022-12-31"),
            unit("D", "2023-01-01"),
            unit("E", end="2020-12-31"),
            unit("F", "2021-01-01"),
            unit("G", "2023-01-01"),
        ],
        [
            link("A", "B", "2021-01-01", "0.5"),
            link("A", "C", "2021-01-01", "0.5", primary=False),
            link("B", "D", "2023-01-01"),
            link("C", "D", "2023-01-01"),
            link("E", "F", "2021-01-01", None),
            link("E", "B", "2021-01-01", None, primary=False),
        ],
    )
    a, e, f = registry.get("A"), registry.get("E"), registry.get("F")
    assert registry.map_to(["A", "A"], date(2024, 1, 1)) == {"D": [Share(a, Decimal(1), True)]}
    assert registry.map_to(["A"], date(2022, 1, 1)) == {
        "B": [Share(a, Decimal("0.5"), True)],
        "C": [Share(a, Decimal("0.5"), False)],
    }
    assert registry.map_to(["E", "F"], date(2024, 1, 1)) == {
        "D": [Share(e, None, False)],
        "F": [Share(e, None, True), Share(f, Decimal(1), True)],
    }
    assert registry.map_to(["A"], date(2024, 1, 1), primary_only=True) == {
        "D": [Share(a, Decimal("0.5"), True)]
    }
    assert registry.change("D") == UnitChange(
        "merged", registry.get("D"), (registry.get("B"), registry.get("C"))
    )
    assert registry.describe_change("C") == "formed from parts of A"
    assert (
        registry.describe_change("B")
        == "renamed from A; took over part of E; part transferred to C"
    )
    assert registry.units_on(date(2020, 1, 1)) == [a, e]
    assert [s.successor for s in registry.successors("A")] == ["B", "C"]
    assert [s.predecessor for s in registry.predecessors("B")] == ["A", "E"]


def test_map_to_problems() -> None:
    registry = UnitRegistry(
        [unit("A", end="2020-12-31"), unit("B", "2021-03-01"), unit("C", end="2020-12-31")],
        [link("A", "B", "2021-03-01")],
    )
    with pytest.raises(InputError) as error:
        registry.map_to(["X", "B", "A", "C"], date(2021, 2, 1))
    assert [m for m, _ in problems_of(error)] == [
        "unknown unit id 'X'",
        "B is valid only from 2021-03-01, after 2021-02-01",
        "A ended on 2020-12-31 and no successor is valid on 2021-02-01",
        "C ended on 2020-12-31 and no successor is valid on 2021-02-01",
    ]
    with pytest.raises(InputError, match="unknown unit id 'Z'"):
        registry.get("Z")
    with pytest.raises(InputError, match="unknown unit id 'Z'"):
        registry.successors("Z")
    with pytest.raises(InputError, match="unknown unit id 'Z'"):
        registry.predecessors("Z")
    with pytest.raises(InputError, match="unknown unit id 'Z'"):
        registry.describe_change("Z")


def test_unit_valid_on() -> None:
    one = unit("A", "2020-01-01", "2020-12-31")
    assert one.valid_on(date(2020, 1, 1)) and one.valid_on(date(2020, 12, 31))
    assert not one.valid_on(date(2019, 12, 31)) and not one.valid_on(date(2021, 1, 1))
    assert unit("B").valid_on(date(1900, 1, 1))


@pytest.mark.parametrize(
    ("units", "links", "messages"),
    [
        ([unit("A"), unit("A")], [], ["duplicate unit id 'A'"]),
        (
            [unit("A", end="2020-12-31")],
            [link("A", "Q", "2021-01-01"), link("P", "A", "2021-01-01")],
            ["unknown unit id 'Q'", "unknown unit id 'P'", "A is not valid on the effective date"],
        ),
        (
            [unit("A", end="2020-12-31")],
            [link("A", "A", "2021-01-01")],
            ["a unit cannot succeed itself", "A is not valid on the effective date 2021-01-01"],
        ),
        (
            [unit("A"), unit("B")],
            [link("A", "B", "2021-01-01")],
            ["A must end (valid_to) before the effective date 2021-01-01"],
        ),
        (
            [unit("A", end="2020-12-31"), unit("B", "2021-01-01")],
            [link("A", "B", "2021-01-01", "0.5"), link("A", "B", "2021-01-01", "0.5", False)],
            ["the link A -> B is given twice"],
        ),
        (
            [unit("A", end="2020-12-31"), unit("B", "2021-01-01"), unit("C", "2021-01-01")],
            [link("A", "B", "2021-01-01", None, False), link("A", "C", "2021-01-01", None, False)],
            ["A has 0 primary successors; exactly one is needed"],
        ),
        (
            [unit("A", end="2020-12-31"), unit("B", "2021-01-01"), unit("C", "2021-01-01")],
            [link("A", "B", "2021-01-01"), link("A", "C", "2021-01-01", "0.5")],
            ["A has 2 primary successors", "A's successors add up to 1.5, more than 1"],
        ),
        (
            [unit("A", end="2020-12-31"), unit("B", "2021-01-01"), unit("C", "2021-01-01")],
            [link("A", "B", "2021-01-01"), link("A", "C", "2021-01-01", None, False)],
            ["A's weights add up to 1, yet a successor has no weight"],
        ),
    ],
)
def test_registry_checks(units: list[Unit], links: list[Succession], messages: list[str]) -> None:
    with pytest.raises(InputError) as error:
        UnitRegistry(units, links)
    found = [m for m, _ in problems_of(error)]
    assert len(found) == len(messages)
    for message, expected in zip(found, messages, strict=True):
        assert expected in message


# -- reading CSV --------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_files_with_comments_and_defaults(tmp_path: Path) -> None:
    units = write(
        tmp_path,
        "u.csv",
        "# a comment, with a comma\n"
        "id,name,unit_type,valid_to,lat,lon\n"
        "\n"
        'A,"Tỉnh A, cũ",province,2020-12-31,21.5,-105\n'
        "# another\n"
        "B,Tỉnh B,province,,,\n",
    )
    links = write(
        tmp_path, "s.csv", "predecessor,successor,effective,primary\nA,B,2021-01-01,TRUE\n"
    )
    loaded = load_units(units)
    assert loaded[0] == Unit(
        "A", "", "Tỉnh A, cũ", "Tỉnh A, cũ", "", "province", None, date(2020, 12, 31), 21.5, -105.0
    )
    assert loaded[1].short_name == "Tỉnh B" and loaded[1].lat is None
    assert load_successions(links) == [Succession("A", "B", date(2021, 1, 1), None, True, "")]
    registry = UnitRegistry.from_files([units], [links])
    assert registry.describe_change("B") == "renamed from Tỉnh A, cũ"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,name,unit_type\nA,A,province\n".encode())
    assert load_units(path)[0].id == "A"


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(InputError) as error:
        load_units(missing)
    assert error.value.problems[0].location == Location(file=str(missing))
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("id,name,unit_type\nA,Hu\xe9,province\n".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8"):
        load_successions(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("the file has no header row", None, None)]),
        ("# only a comment\n\n", [("the file has no header row", None, None)]),
        ("id,name\n", [("required column is missing", 1, "unit_type")]),
        ("id,name,unit_type,colour\n", [("unknown column", 1, "colour")]),
        ("id,name,unit_type,name\n", [("duplicate column", 1, "name")]),
        ("# c\nid,name,unit_type\nA,B\n", [("expected 3 fields", 3, None)]),
        ('id,name,unit_type\nA,"B"x,province\n', [("malformed CSV", 2, None)]),
        (
            UNIT_HEADER + ",c,,,,,,,,,\n",
            [("a value is required", 2, c) for c in ("id", "name", "unit_type")],
        ),
        (
            "# one\n# two\n" + UNIT_HEADER + "A,,A,,,Province,2025/01/01,2025-02-30,91,east,\n",
            [
                ("'Province' is not a unit type", 4, "unit_type"),
                ("'2025/01/01' is not a date written YYYY-MM-DD", 4, "valid_from"),
                ("'2025-02-30' is not a date written YYYY-MM-DD", 4, "valid_to"),
                ("'91' is not a number from -90 to 90", 4, "lat"),
                ("'east' is not a number from -180 to 180", 4, "lon"),
            ],
        ),
        (
            UNIT_HEADER + "A,,A,,,province,2025-01-02,2025-01-01,nan,inf,\n",
            [
                ("valid_to is before valid_from", 2, "valid_to"),
                ("'nan' is not a number", 2, "lat"),
                ("'inf' is not a number", 2, "lon"),
            ],
        ),
    ],
)
def test_bad_unit_files(
    tmp_path: Path, text: str, expected: list[tuple[str, int | None, str | None]]
) -> None:
    path = write(tmp_path, "units.csv", text)
    with pytest.raises(InputError) as error:
        load_units(path)
    found = problems_of(error)
    assert len(found) == len(expected)
    for (message, where), (start, row, column) in zip(found, expected, strict=True):
        assert message.startswith(start)
        assert where == Location(file=str(path), row=row, column=column)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "A,B,2021-01-01,0,true,x",
            [("'0' is not a share greater than 0 and at most 1", "weight")],
        ),
        ("A,B,2021-01-01,1.5,true,", [("'1.5' is not a share", "weight")]),
        ("A,B,2021-01-01,half,true,", [("'half' is not a share", "weight")]),
        ("A,B,2021-01-01,,yes,", [("'yes' is neither true nor false", "primary")]),
        ("A,B,2021-01-01,,,", [("a value is required", "primary")]),
        (
            "A,A,,1,true,",
            [("a unit cannot succeed itself", "successor"), ("a value is required", "effective")],
        ),
        (
            ",,2021-01-01,1,true,",
            [("a value is required", "predecessor"), ("a value is required", "successor")],
        ),
    ],
)
def test_bad_succession_rows(row: str, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(InputError) as error:
        parse_successions("# comment\n" + LINK_HEADER + row + "\n", file="links.csv")
    found = problems_of(error)
    assert len(found) == len(expected)
    for (message, where), (start, column) in zip(found, expected, strict=True):
        assert message.startswith(start)
        assert where == Location(file="links.csv", row=3, column=column)


def test_registry_problems_name_file_and_row(tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "id,name,unit_type,valid_to\nA,A,province,2020-12-31\n")
    second = write(
        tmp_path,
        "b.csv",
        "# c\nid,name,unit_type,valid_from\nA,A2,province,\nB,B,province,2021-01-01\n",
    )
    links = write(
        tmp_path, "s.csv", LINK_HEADER + "A,B,2021-01-01,1,true,\nA,X,2021-01-01,,false,\n"
    )
    with pytest.raises(InputError) as error:
        UnitRegistry.from_files([first, second], [links])
    assert problems_of(error) == [
        (
            f"duplicate unit id 'A' (first at {first}, row 2, column 'id')",
            Location(str(second), 3, "id"),
        ),
        ("unknown unit id 'X'", Location(str(links), 3, "successor")),
        (
            "A's weights add up to 1, yet a successor has no weight",
            Location(str(links), 2, "weight"),
        ),
    ]


def test_parse_functions_default_file_names() -> None:
    assert parse_units("id,name,unit_type\nA,A,ministry_agency\n")[0].unit_type == "ministry_agency"
    with pytest.raises(InputError, match="<units>"):
        parse_units("id\n")
    with pytest.raises(InputError, match="<successions>"):
        parse_successions("predecessor\n")


def test_change_describe_covers_every_kind() -> None:
    a = unit("A")
    assert UnitChange("none", a).describe() == "no predecessor"
    assert UnitChange("formed", a, parts_from=(a,)).describe() == "formed from parts of A"
