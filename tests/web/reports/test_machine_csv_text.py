"""Machine CSVs (public twins, the open-data bundle) keep a formula-like name exactly as it is.

docs/public-data.md promises it: they are data for programs, not neutralised for spreadsheets.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from .conftest import default_share, make_cycle
from .test_bundle import check_sums, reproduce, unzip

NAME = '=HYPERLINK("http://x","y")'
CODE = "-x"  # a slug a spreadsheet would read as a formula


@pytest.fixture
def hostile(world: Any) -> Any:
    first = world.units[0]
    first.name = NAME
    first.save(update_fields=["name"])
    shares = {u.pk: default_share(u) for u in world.units}
    second = world.units[1]
    second.code = CODE
    second.save(update_fields=["code"])
    return make_cycle(world, 2024, world.units, lambda u: shares[u.pk])


def test_the_ranking_twin_keeps_the_name_and_code_unchanged(client: Any, hostile: Any) -> None:
    text = client.get(f"/results/{hostile.pk}.csv").getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert NAME in [r["name"] for r in rows]
    assert CODE in [r["unit"] for r in rows]
    assert "'" + NAME not in text and "'" + CODE not in text


@pytest.mark.django_db
def test_the_open_data_bundle_keeps_them_and_still_reproduces(
    client: Any, hostile: Any, tmp_path: Path
) -> None:
    folder = unzip(client.get(f"/results/{hostile.pk}/open-data.zip").getvalue(), tmp_path)
    check_sums(folder)
    assert reproduce(folder) == (folder / "results.csv").read_bytes()
    units = list(csv.DictReader(io.StringIO((folder / "units.csv").read_text("utf-8"))))
    assert NAME in [u["name"] for u in units] and CODE in [u["code"] for u in units]
    for name in ("scores.csv", "results.csv"):
        text = (folder / name).read_text("utf-8")
        assert f"\n{CODE}," in text and "'" + CODE not in text


def test_the_public_data_doc_says_machine_files_are_unchanged_and_how_to_open_them() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "public-data.md"
    text = " ".join(doc.read_text(encoding="utf-8").split())
    assert "is written unchanged, with no quote or other mark added" in text
    assert "import it as text" in text
    assert "gets a single quote (`'`) in front" in text
