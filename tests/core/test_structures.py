"""Published structures without maxima: their counts add up to what the sources state."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

FOLDER = resources.files("parindex") / "data" / "structures"
NAMES = sorted(item.name for item in FOLDER.iterdir() if item.name.endswith(".yaml"))


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", NAMES)
def test_field_counts_add_up_to_the_stated_totals(name: str) -> None:
    data = load(name)
    fields = data["fields"]
    assert len(fields) == data["stated"]["fields"]
    assert sum(f["criteria"] for f in fields) == data["stated"]["criteria"]
    assert sum(f["sub_criteria"] for f in fields) == data["stated"]["sub_criteria"]
    assert data["sources"]


def test_876_keeps_its_survey_share() -> None:
    assert str(load("par876-ministry.yaml")["survey_points"]) == "31.5"
