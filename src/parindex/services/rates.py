"""The on-time rate and the online-submission rate per unit and period, written once in Ibis.

:func:`count_expression` is the one query: an Ibis expression over the dossier table (the
contract's columns) and a table of periods, counting per unit and period the numerator and the
denominator of each indicator. It uses only joins, ``CASE``, sums and integer arithmetic on
epoch seconds, so that every Ibis backend runs it alike; :func:`compute_indicators` runs it on
an embedded DuckDB and scores the counts with the indicator file's rules
(:func:`parindex.services.indicators.score`, exact decimals, so that every engine gives the same
figures). The definitions (issue 19, point 3, after the formula document's 2.1 and 3.3):

- **denominator** of ``on_time``: the unit's dossiers received by the end of the period and not
  ended before it began; *ended* is processing finished, or stopped, rejected or withdrawn after
  intake (``finished_at``), else the result returned (``returned_at``);
- **on time**: ended on or before the due time, or not ended and not past due at the end of the
  period; the due time moves later by the time between the supplement request and the citizen's
  supplement; more than one supplement request makes a dossier late; a dossier still waiting for
  its one supplement at the end of the period is judged at the request;
- ``online_submission``: the dossiers received online in the period over all received in it.

Periods are calendar months, quarters or years in Vietnam's time (UTC+07:00); a period's end is
the first instant of the next one.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from .calendar import PERIODS, VIETNAM
from .contract import Dossiers
from .indicators import Indicators, load_indicators, score

__all__ = [
    "COMPUTED",
    "PERIODS",
    "IndicatorRow",
    "compute_indicators",
    "count_expression",
    "periods_between",
    "rows_as_csv",
]

COMPUTED = ("on_time", "online_submission")
_TIMES = (
    "received_at",
    "due_at",
    "supplement_requested_at",
    "supplement_received_at",
    "finished_at",
    "returned_at",
)


@dataclass(frozen=True)
class IndicatorRow:
    """One unit's figure for one indicator in one period; ``rate`` in per cent.

    ``rank`` is the unit's place among the units with a rate for that period and indicator, by
    the exact rate, highest first; equal rates share a place and the next place is skipped
    (1, 2, 2, 4). ``None`` when the unit has no rate.
    """

    unit: str
    period: str
    indicator: str
    numerator: int
    denominator: int
    rate: Decimal | None
    points: Decimal | None
    rank: int | None = None


def _start(moment: datetime, period: str) -> datetime:
    local = moment.astimezone(VIETNAM)
    month = {"month": local.month, "quarter": 3 * ((local.month - 1) // 3) + 1, "year": 1}
    return datetime(local.year, month[period], 1, tzinfo=VIETNAM)


def _next(start: datetime, period: str) -> datetime:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=VIETNAM)


def _label(start: datetime, period: str) -> str:
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def periods_between(first: datetime, last: datetime, period: str) -> pa.Table:
    """The periods from the one holding ``first`` to the one holding ``last``, in order.

    Columns ``period`` (``2026-10``, ``2026-Q4``, ``2026``), ``start_s`` and ``end_s`` (epoch
    seconds of the period's first instant and of the next period's, in Vietnam's time).
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    labels: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    start, stop = _start(first, period), _start(last, period)
    while start <= stop:
        end = _next(start, period)
        labels.append(_label(start, period))
        starts.append(int(start.timestamp()))
        ends.append(int(end.timestamp()))
        start = end
    return pa.table(
        {
            "period": labels,
            "start_s": pa.array(starts, pa.int64()),
            "end_s": pa.array(ends, pa.int64()),
        }
    )


def count_expression(dossiers: Any, periods: Any) -> Any:
    """The counts per unit, period and indicator, as an Ibis expression (the one query).

    ``dossiers`` is an Ibis table with the contract's columns, ``periods`` one of
    :func:`periods_between`. The result has the columns ``unit, period, indicator, numerator,
    denominator``, one row per unit, period and indicator of :data:`COMPUTED` for every unit
    with a dossier in the ``on_time`` denominator of that period.
    """
    d = dossiers.mutate(
        **{name.removesuffix("_at") + "_s": dossiers[name].epoch_seconds() for name in _TIMES},
        ended_s=ibis.coalesce(
            dossiers.finished_at.epoch_seconds(), dossiers.returned_at.epoch_seconds()
        ),
    )
    # The denominator: received by the end of the period, not ended before it began.
    j = d.join(
        periods,
        [d.received_s < periods.end_s, d.ended_s.isnull() | (d.ended_s >= periods.start_s)],
    )
    end = j.end_s
    ended = j.ended_s.notnull() & (j.ended_s < end)
    supplied = j.supplement_received_s.notnull() & (j.supplement_received_s < end)
    due = j.due_s + ibis.ifelse(supplied, j.supplement_received_s - j.supplement_requested_s, 0)
    waiting = (
        (j.supplement_requests == 1)
        & j.supplement_requested_s.notnull()
        & (j.supplement_requested_s < end)
        & ~supplied
        & ~ended
    )
    on_time = ibis.cases(
        (j.supplement_requests > 1, False),
        (ended, j.ended_s <= due),
        (waiting, j.supplement_requested_s <= j.due_s),
        else_=due >= end,
    )
    in_period = j.received_s >= j.start_s
    online = in_period & (j.channel == "online")
    sums = j.group_by(["unit", "period"]).aggregate(
        on_time_n=on_time.cast("int64").sum(),
        on_time_d=j.count(),
        online_n=online.cast("int64").sum(),
        online_d=in_period.cast("int64").sum(),
    )
    parts = [
        sums.select(
            "unit",
            "period",
            indicator=ibis.literal(indicator),
            numerator=sums[f"{prefix}_n"],
            denominator=sums[f"{prefix}_d"],
        )
        for indicator, prefix in (("on_time", "on_time"), ("online_submission", "online"))
    ]
    return parts[0].union(parts[1])


def _table(source: Dossiers | str | Path, connection: Any) -> Any:
    if isinstance(source, Dossiers):
        return ibis.memtable(source.table)
    folder = Path(source)
    pattern = str(folder / "**" / "*.parquet").replace("'", "''")
    connection.raw_sql(
        f"CREATE TEMP VIEW dossiers AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)"
    )
    with warnings.catch_warnings():
        # Ibis 12 reads a table's schema with DuckDB 1.5's deprecated fetch_arrow_table().
        warnings.filterwarnings("ignore", "fetch_arrow_table", DeprecationWarning)
        return connection.table("dossiers")


def compute_indicators(
    source: Dossiers | str | Path,
    period: str = "month",
    indicators: Indicators | None = None,
    *,
    through: datetime | None = None,
) -> list[IndicatorRow]:
    """Every computed indicator per unit and ``period`` (``month``, ``quarter``, ``year``).

    ``source`` is checked :class:`Dossiers` or the folder of a store written by
    :func:`~parindex.services.contract.write_store`. Runs :func:`count_expression` on an
    embedded DuckDB and scores each count with ``indicators`` (the shipped file by default).
    Rows are ordered by unit, period and indicator (as :data:`COMPUTED`); the periods run from
    the one of the first reception to the one of the last reception, or of ``through`` when
    later (a report's date: dossiers still in process are judged at each period's end).
    """
    indicators = indicators or load_indicators()
    connection = ibis.duckdb.connect()
    try:
        connection.raw_sql("SET TimeZone = 'UTC'")
        table = _table(source, connection)
        bounds = connection.to_pyarrow(
            table.aggregate(first=table.received_at.min(), last=table.received_at.max())
        ).to_pylist()[0]
        if bounds["first"] is None:
            return []
        last = max(bounds["last"], through) if through is not None else bounds["last"]
        periods = ibis.memtable(periods_between(bounds["first"], last, period))
        counts = connection.to_pyarrow(count_expression(table, periods)).to_pylist()
    finally:
        connection.disconnect()
    order = {name: place for place, name in enumerate(COMPUTED)}
    ranks = _ranks(counts)
    rows: list[IndicatorRow] = []
    for item in sorted(counts, key=lambda r: (r["unit"], r["period"], order[r["indicator"]])):
        rate, points = score(indicators[item["indicator"]], item["numerator"], item["denominator"])
        rows.append(
            IndicatorRow(
                item["unit"],
                item["period"],
                item["indicator"],
                item["numerator"],
                item["denominator"],
                rate,
                points,
                ranks.get((item["unit"], item["period"], item["indicator"])),
            )
        )
    return rows


def _ranks(counts: Sequence[dict[str, Any]]) -> dict[tuple[str, str, str], int]:
    """The competition rank (1, 2, 2, 4) of each unit with a rate, per period and indicator."""
    groups: dict[tuple[str, str], list[tuple[Fraction, str]]] = {}
    for c in counts:
        if c["denominator"]:
            rate = Fraction(c["numerator"], c["denominator"])
            groups.setdefault((c["period"], c["indicator"]), []).append((rate, c["unit"]))
    ranks: dict[tuple[str, str, str], int] = {}
    for (period, indicator), rates in groups.items():
        rates.sort(key=lambda pair: pair[0], reverse=True)
        for place, (rate, unit) in enumerate(rates):
            before = rates[place - 1][0] if place else None
            rank = place + 1 if rate != before else ranks[(rates[place - 1][1], period, indicator)]
            ranks[(unit, period, indicator)] = rank
    return ranks


def rows_as_csv(rows: Sequence[IndicatorRow]) -> str:
    """``rows`` as the CSV of the command line:
    ``unit,period,indicator,numerator,denominator,rate,points,rank``."""
    lines = ["unit,period,indicator,numerator,denominator,rate,points,rank"]
    for r in rows:
        cells = [r.unit, r.period, r.indicator, str(r.numerator), str(r.denominator)]
        cells += ["" if v is None else str(v) for v in (r.rate, r.points, r.rank)]
        lines.append(",".join(_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
