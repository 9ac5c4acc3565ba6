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

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "STATUSES",
    "DossierError",
    "Dossiers",
    "read_dossiers",
    "write_store",
]
