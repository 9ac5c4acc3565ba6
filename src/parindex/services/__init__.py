"""Online public services: the dossier interchange contract, its Parquet store and the Decision 766
service indicators computed from it (``docs/online-services.md``).

The public API of this part is this package's ``__all__``; its modules' other names are internal.
"""

from __future__ import annotations

from .contract import (
    CHANNELS,
    COLUMNS,
    STATUSES,
    DossierError,
    Dossiers,
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

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "COMPUTED",
    "PERIODS",
    "STATUSES",
    "DossierError",
    "Dossiers",
    "Group",
    "Indicator",
    "IndicatorError",
    "IndicatorRow",
    "Indicators",
    "compute_indicators",
    "count_expression",
    "load_indicators",
    "periods_between",
    "read_dossiers",
    "rows_as_csv",
    "score",
    "write_store",
]
