"""Online public services: the procedure catalogue, the dossier interchange contract, its Parquet store and the Decision 766
service indicators computed from it (``docs/online-services.md``).

The public API of this part is this package's ``__all__``; its modules' other names are internal.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import (
        Catalogue,
        CatalogueCount,
        CatalogueError,
        Levels,
        OnlineLevel,
        Procedure,
        count_catalogue,
        counts_as_csv,
        load_levels,
        read_catalogue,
    )
    from .contract import (
        CHANNELS,
        COLUMNS,
        STATUSES,
        DossierError,
        Dossiers,
        Rejected,
        problem_summary,
        read_dossiers,
        write_store,
    )
    from .indicators import Group, Indicator, IndicatorError, Indicators, load_indicators, score
    from .rates import (
        COMPUTED,
        PERIODS,
        IndicatorRow,
        compute_indicators,
        count_expression,
        periods_between,
        rows_as_csv,
    )

# The names are imported when first used: DuckDB, Arrow and Ibis load only for the commands and
# pages that need them, not at every start of the command line.
_MODULES = {
    "catalogue": (
        "Catalogue",
        "CatalogueCount",
        "CatalogueError",
        "Levels",
        "OnlineLevel",
        "Procedure",
        "count_catalogue",
        "counts_as_csv",
        "load_levels",
        "read_catalogue",
    ),
    "contract": (
        "CHANNELS",
        "COLUMNS",
        "STATUSES",
        "DossierError",
        "Dossiers",
        "Rejected",
        "problem_summary",
        "read_dossiers",
        "write_store",
    ),
    "indicators": (
        "Group",
        "Indicator",
        "IndicatorError",
        "Indicators",
        "load_indicators",
        "score",
    ),
    "rates": (
        "COMPUTED",
        "PERIODS",
        "IndicatorRow",
        "compute_indicators",
        "count_expression",
        "periods_between",
        "rows_as_csv",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)


__all__ = [
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
