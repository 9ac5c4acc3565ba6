"""The calendar of the indicators: Vietnam's time and the kinds of period (no heavy imports)."""

from __future__ import annotations

from datetime import timedelta, timezone

__all__ = ["PERIODS", "VIETNAM"]

VIETNAM = timezone(timedelta(hours=7))
"""Vietnam's time, UTC+07:00 all year (no daylight saving): periods and partitions use it."""

PERIODS = ("month", "quarter", "year")
"""The periods the indicators are computed for, labelled ``2026-10``, ``2026-Q4``, ``2026``."""
