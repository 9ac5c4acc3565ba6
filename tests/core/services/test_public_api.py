"""The online-services part's public API is a written list (docs/online-services.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

import parindex.services

PUBLIC = [
    "CHANNELS",
    "COLUMNS",
    "COMPUTED",
    "PERIODS",
    "STATUSES",
    "Catalogue",
    "CatalogueCount",
    "CatalogueError",
    "DossierError",
    "Dossiers",
    "Group",
    "Indicator",
    "IndicatorError",
    "IndicatorRow",
    "Indicators",
    "Levels",
    "OnlineLevel",
    "Procedure",
    "Rejected",
    "compute_indicators",
    "count_catalogue",
    "count_expression",
    "counts_as_csv",
    "load_indicators",
    "load_levels",
    "periods_between",
    "problem_summary",
    "read_catalogue",
    "read_dossiers",
    "rows_as_csv",
    "score",
    "write_store",
]


def test_the_exported_names_are_the_intended_ones() -> None:
    assert sorted(parindex.services.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(parindex.services, name) is not None


def test_the_part_imports_no_web_framework() -> None:
    folder = Path(parindex.services.__file__).parent
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, module.name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = parindex.services.nothing  # type: ignore[attr-defined]
