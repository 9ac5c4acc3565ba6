"""Helpers for the command-line tests: input files, CSV parsing, output-file checks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

# A small interchange-CSV methodology: two fields, field 1 with two criteria (max 12 = 7 + 5),
# field 2 a leaf (max 88). Total 100, so the total index equals the total points. The extra
# "comment" column must be ignored.
METHODOLOGY_CSV = """\
code,parent,name,max_points,comment
1,,Công tác chỉ đạo,12,ignored
1.1,1,Kế hoạch,7,
1.2,1,Báo cáo,5,
2,,Hiện đại hoá,88,
"""

CSV_COLUMNS = ["unit", "total_points", "index", "rank", "group"]
CHANGE_COLUMNS = ["previous_index", "index_change", "previous_rank", "rank_change"]


@dataclass(frozen=True)
class Run:
    """The outcome of one CLI run."""

    code: int
    out: str
    err: str


RunCli = Callable[..., Run]


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def scores_csv(rows: Sequence[tuple[str, str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "code", "points"])
    writer.writerows(rows)
    return out.getvalue()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def xlsx(*rows: list[object]) -> bytes:
    """An XLSX file whose first sheet holds ``rows`` (None: an empty cell)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Unit "Bộ A" of the worked example: field 1 (max 12) gets 6.5 + 5 = 11.5 points → 95.83 %.
BO_A = [("Bộ A", "1.1", "6.5"), ("Bộ A", "1.2", "5"), ("Bộ A", "2", "80")]
BO_B = [("Bộ B", "1.1", "7"), ("Bộ B", "1.2", "5"), ("Bộ B", "2", "88")]


def unit_rows(unit: str, p11: object, p12: object, p2: object) -> list[tuple[str, str, object]]:
    return [(unit, "1.1", p11), (unit, "1.2", p12), (unit, "2", p2)]
