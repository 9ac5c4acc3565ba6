"""Build ``src/parindex/data/units/provinces.csv`` and ``successions.csv`` from vietnamadminunits.

The data comes from the MIT-licensed package ``vietnamadminunits``
(https://github.com/tranngocminhhieu/vietnamadminunits), which must be installed:

* ``parser_legacy.json``   DICT_PROVINCE: the 63 provinces before 1 July 2025;
* ``parser_from_2025.json`` DICT_PROVINCE: the 34 provinces from 1 July 2025;
* ``converter_2025.json``  DICT_PROVINCE: new province key -> the old province keys merged into it.

Ids: ``P63-<GSO code>`` for the 63 old provinces (valid until 2025-06-30) and ``P34-<GSO code>``
for the 34 new ones (valid from 2025-07-01). A province that continues (Hà Nội, Huế, Cao Bằng, …)
has two rows, linked by a succession of weight 1, so that every year has its own complete list.

Usage::

    python scripts/build_units_data.py            # write the files
    python scripts/build_units_data.py --check    # exit 1 if the committed files are stale

Only the standard library is used, so the script runs without parindex installed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
UPSTREAM = "https://github.com/tranngocminhhieu/vietnamadminunits"
BASIS = "Nghị quyết 202/2025/QH15 của Quốc hội (12/06/2025), hiệu lực 01/07/2025"
LEGACY_VALID_TO = "2025-06-30"
NEW_VALID_FROM = "2025-07-01"
UNIT_COLUMNS = [
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
]
SUCCESSION_COLUMNS = ["predecessor", "successor", "effective", "weight", "primary", "basis"]
OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "parindex" / "data" / "units"


def package_data_dir() -> Path:
    """The ``data`` folder of the installed package (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{PACKAGE} is not installed: pip install {PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def unaccent(text: str) -> str:
    """``Đắk Lắk`` -> ``Dak Lak``: drop combining marks, map đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _provinces(path: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    return data


def _csv(header: list[str], comments: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    for comment in comments:
        buffer.write(f"# {comment}\n" if comment else "#\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _unit_row(unit_id: str, item: dict[str, Any], valid: tuple[str, str], source: str) -> list[str]:
    return [
        unit_id,
        item["provinceCode"],
        item["province"],
        item["provinceShort"],
        unaccent(item["provinceShort"]),
        "province",
        valid[0],
        valid[1],
        repr(float(item["provinceLat"])),
        repr(float(item["provinceLon"])),
        source,
    ]


def build(data_dir: Path, version: str) -> dict[str, str]:
    """The contents of ``provinces.csv`` and ``successions.csv``, by file name."""
    legacy = _provinces(data_dir / "parser_legacy.json")
    new = _provinces(data_dir / "parser_from_2025.json")
    merges: dict[str, list[str]] = json.loads(
        (data_dir / "converter_2025.json").read_text(encoding="utf-8")
    )["DICT_PROVINCE"]

    problems: list[str] = []
    if len(legacy) != 63:
        problems.append(f"expected 63 legacy provinces, found {len(legacy)}")
    if len(new) != 34:
        problems.append(f"expected 34 provinces from 2025, found {len(new)}")
    if set(merges) != set(new):
        problems.append("converter_2025.json and parser_from_2025.json list different provinces")
    successor_of: dict[str, str] = {}
    for new_key, old_keys in merges.items():
        for old_key in old_keys:
            if old_key in successor_of:
                problems.append(
                    f"{old_key} is merged into both {successor_of[old_key]} and {new_key}"
                )
            successor_of[old_key] = new_key
    if set(successor_of) != set(legacy):
        problems.append("converter_2025.json does not map every legacy province exactly once")
    for name, table in (("legacy", legacy), ("2025", new)):
        codes = [item["provinceCode"] for item in table.values()]
        if len(set(codes)) != len(codes):
            problems.append(f"duplicate GSO codes among the {name} provinces")
    if problems:
        raise SystemExit("\n".join(problems))

    legacy_id = {key: f"P63-{item['provinceCode']}" for key, item in legacy.items()}
    new_id = {key: f"P34-{item['provinceCode']}" for key, item in new.items()}
    package = f"{PACKAGE} {version}"

    units = [
        _unit_row(legacy_id[k], v, ("", LEGACY_VALID_TO), f"{package}: parser_legacy.json")
        for k, v in legacy.items()
    ] + [
        _unit_row(new_id[k], v, (NEW_VALID_FROM, ""), f"{package}: parser_from_2025.json")
        for k, v in new.items()
    ]
    units.sort(key=lambda row: (row[0][:3] != "P63", row[0]))
    links = sorted(
        [legacy_id[old], new_id[new_key], NEW_VALID_FROM, "1", "true", BASIS]
        for old, new_key in successor_of.items()
    )

    cite = [
        f"Generated by scripts/build_units_data.py from the Python package {package}",
        f"({UPSTREAM}, MIT licence, copyright (c) 2025 Tran Ngoc Minh Hieu).",
        f"Legal basis: {BASIS}.",
        "Do not edit by hand: rerun the script.",
    ]
    provinces = _csv(
        UNIT_COLUMNS,
        [
            "Provinces and centrally-run cities of Viet Nam: 63 before 1 July 2025, 34 since.",
            *cite,
            "",
            "id: P63-<GSO code> = province valid until 2025-06-30 (its start is left open);",
            "    P34-<GSO code> = province valid from 2025-07-01. A continuing province has a row",
            "    in each list, linked in successions.csv with weight 1.",
            "name_en: the short name without diacritics. lat, lon: as given by the package.",
            "Names of the 63 are those in force on 30 June 2025: Huế, for one, was Tỉnh Thừa Thiên",
            "    Huế until 31 December 2024.",
        ],
        units,
    )
    successions = _csv(
        SUCCESSION_COLUMNS,
        [
            "Succession of provinces on 1 July 2025: each of the 63 goes wholly into one of the 34",
            *cite,
            "",
            "weight: share of the predecessor that goes into the successor (1 = all of it; empty =",
            "    not quantified). primary: the predecessor's main successor.",
        ],
        links,
    )
    return {"provinces.csv": provinces, "successions.csv": successions}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 if different")
    args = parser.parse_args(argv)
    files = build(package_data_dir(), importlib.metadata.version(PACKAGE))
    stale = []
    for name, text in files.items():
        path: Path = args.out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
    verb = "differ" if args.check else "written"
    print(f"{verb}: {', '.join(stale)}" if stale else "up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
