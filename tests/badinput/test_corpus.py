"""The corpus itself: big enough, every family present, every case run somewhere, the
generated files small on disk."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .cases import CASES
from .http_cases import HTTP_CASES
from .test_cli import CLI
from .test_web import WEB

FAMILIES = {
    "encodings",
    "line ends",
    "CSV structure",
    "numbers",
    "names",
    "YAML",
    "rule JSON",
    "XLSX",
    "evidence",
    "JSON",
    "paths",
}


def test_the_corpus_has_at_least_two_hundred_cases_with_unique_names() -> None:
    names = [c.name for c in CASES] + [c.name for c in HTTP_CASES]
    assert len(names) >= 200
    assert len(set(names)) == len(names)


def test_every_family_of_bad_input_is_present() -> None:
    assert {c.family for c in CASES} == FAMILIES


def test_every_case_is_run_through_an_entry_point_that_has_a_runner() -> None:
    for case in CASES:
        assert case.points, case.name
        assert set(case.points) <= set(CLI) | set(WEB), case.name
        assert set(case.xfail) <= set(case.points) | {"*"}, case.name


def test_every_generated_file_belongs_to_a_case_and_back(generated: dict[str, Path]) -> None:
    from_generator = {c.name for c in CASES if c.data is None and c.value is None}
    assert from_generator == set(generated)


def test_the_zip_bomb_is_small_on_disk_and_large_when_unpacked(generated: dict[str, Path]) -> None:
    bomb = generated["xlsx-zip-bomb"]
    assert bomb.stat().st_size < 400 * 1024
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) > 200 * 1024 * 1024
        assert z.testzip() is None  # a well-formed archive: refused for its size, not its shape
