"""System checks of the cycles app's settings (``manage.py check``, run at every start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from parindex.filetypes import KNOWN_TYPES


def evidence_types(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """PARINDEX_EVIDENCE_TYPES lists only types the byte check can find: any other would
    never be accepted, so the setting would silently say more than it does."""
    unknown = [t for t in settings.PARINDEX_EVIDENCE_TYPES if t not in KNOWN_TYPES]
    if not unknown:
        return []
    return [
        checks.Error(
            f"PARINDEX_EVIDENCE_TYPES lists types an evidence file's bytes are never found to be: "
            f"{', '.join(unknown)}.",
            hint=f"Choose among {', '.join(KNOWN_TYPES)}.",
            id="cycles.E001",
        )
    ]
