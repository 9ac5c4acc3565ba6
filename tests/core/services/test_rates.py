"""The on-time and online-submission rates: a worked example for every clause, and properties.

The definitions are issue 19's point 3 (after the formula document's indicator 2.1): the
denominator is the unit's dossiers received by the end of the period and not ended before it
began; a dossier is on time when it ended on or before its due time, or has not ended and is not
past due at the end of the period; a supplement moves the due time later by the time between the
request and the supplement; more than one supplement request makes a dossier overdue; a dossier
still waiting for its one supplement at the end of the period is judged at the request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.services import read_dossiers, write_store
from parindex.services.indicators import load_indicators
from parindex.services.rates import (
    IndicatorRow,
    compute_indicators,
    count_expression,
    periods_between,
    rows_as_csv,
)

from .helpers import csv_bytes, row

D = Decimal


def vn(day: int, month: int, hour: int = 8, minute: int = 0) -> str:
    """A time of 2026 in Vietnam's time (UTC+07:00), as the contract writes it."""
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+07:00"


def dossier(name: str, received: str, due: str, **fields: str) -> dict[str, str]:
    base = {"submitted_at": received, "received_at": received, "due_at": due, "finished_at": ""}
    base["status"] = "processing"
    base.update(fields)
    if base["finished_at"] and base["status"] == "processing":
        base["status"] = "finished"
    return row(name, **base)


# The worked example (unit U1 unless said). October 2026 runs from 01/10 00:00 to 01/11 00:00 in
# Vietnam's time. Expected at the end of October: counted (in the on_time denominator)? on time?
WORKED = [
    # A ended before its due time: on time.
    (dossier("A", vn(5, 10), vn(10, 10, 17), finished_at=vn(8, 10)), True, True),
    # B ended after its due time: late.
    (
        dossier("B", vn(5, 10), vn(10, 10, 17), finished_at=vn(12, 10), channel="in_person"),
        True,
        False,
    ),
    # C: requested 08/10 09:00, supplied 11/10 09:00: the due time moves 3 days to 13/10 17:00;
    # finished 13/10 12:00: on time (late without the move).
    (
        dossier(
            "C",
            vn(5, 10),
            vn(10, 10, 17),
            finished_at=vn(13, 10, 12),
            supplement_requests="1",
            supplement_requested_at=vn(8, 10, 9),
            supplement_received_at=vn(11, 10, 9),
        ),
        True,
        True,
    ),
    # D: two supplement requests: late, though finished before its due time.
    (
        dossier(
            "D",
            vn(5, 10),
            vn(10, 10, 17),
            finished_at=vn(6, 10),
            channel="postal",
            supplement_requests="2",
            supplement_requested_at=vn(5, 10, 12),
            supplement_received_at=vn(5, 10, 15),
        ),
        True,
        False,
    ),
    # E: still waiting for its supplement, requested 24/10 before its due time 25/10: judged at
    # the request, on time (though past due at the end of the period).
    (
        dossier(
            "E",
            vn(20, 10),
            vn(25, 10, 17),
            status="supplement_requested",
            supplement_requests="1",
            supplement_requested_at=vn(24, 10),
        ),
        True,
        True,
    ),
    # F: waiting for a supplement requested 27/10, after its due time: late.
    (
        dossier(
            "F",
            vn(20, 10),
            vn(25, 10, 17),
            channel="in_person",
            status="supplement_requested",
            supplement_requests="1",
            supplement_requested_at=vn(27, 10),
        ),
        True,
        False,
    ),
    # G: received last period, still in process, due 20/10: past due at the end of October, late.
    (dossier("G", vn(25, 9), vn(20, 10, 17)), True, False),
    # H: received last period, still in process, due 15/11: not past due, on time.
    (dossier("H", vn(25, 9), vn(15, 11, 17), channel="in_person"), True, True),
    # I: ended before October began: not counted.
    (
        dossier("I", vn(20, 9), vn(30, 9, 17), finished_at=vn(28, 9), channel="in_person"),
        False,
        None,
    ),
    # J: rejected at intake (never received): not counted.
    (
        dossier("J", "", "", submitted_at=vn(10, 10), status="rejected", finished_at=vn(10, 10, 9)),
        False,
        None,
    ),
    # K: received after October: not counted in October.
    (dossier("K", vn(2, 11), vn(10, 11, 17), finished_at=vn(5, 11)), False, None),
    # L: withdrawn by the citizen after intake, before its due time: ended on time.
    (
        dossier("L", vn(15, 10), vn(30, 10, 17), status="withdrawn", finished_at=vn(16, 10)),
        True,
        True,
    ),
    # M: received 31/10 23:30 in Vietnam (16:30 UTC): October's; due 10/11, not past due: on time.
    (dossier("M", vn(31, 10, 23, 30), vn(10, 11, 17)), True, True),
    # N (unit U2): finished exactly at its due time: on time ("on or before").
    (
        dossier(
            "N",
            vn(10, 10),
            vn(12, 10, 17),
            finished_at=vn(12, 10, 17),
            unit="U2",
            channel="in_person",
        ),
        True,
        True,
    ),
]


def _dossiers(rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    return read_dossiers("worked.csv", data=csv_bytes(rows))


def _figures(
    rows: list[IndicatorRow],
) -> dict[tuple[str, str, str], tuple[int, int, object, object]]:
    return {
        (r.unit, r.period, r.indicator): (r.numerator, r.denominator, r.rate, r.points)
        for r in rows
    }


@pytest.mark.parametrize(
    ("record", "counted", "on_time"), WORKED, ids=[r[0]["dossier_id"] for r in WORKED]
)
def test_each_dossier_of_the_worked_example_at_the_end_of_october(
    record: dict[str, str], counted: bool, on_time: bool | None
) -> None:
    # Alone, with its id as its unit: its own numerator and denominator.
    alone = dict(record, unit=record["dossier_id"])
    through = datetime(2026, 10, 31, tzinfo=UTC)
    found = _figures(compute_indicators(_dossiers([alone]), "month", through=through))
    figure = found.get((alone["unit"], "2026-10", "on_time"))
    if not counted:
        assert figure is None
    else:
        assert figure is not None and figure[:2] == (int(bool(on_time)), 1)


def test_the_worked_example_per_unit_and_month() -> None:
    found = _figures(compute_indicators(_dossiers([r for r, _c, _o in WORKED]), "month"))
    assert found == {
        # September: G, H, I received; all on time at 01/10; G online.
        ("U1", "2026-09", "on_time"): (3, 3, D("100.00"), D("20.00")),
        ("U1", "2026-09", "online_submission"): (1, 3, D("33.33"), None),
        # October: A..H, L, M counted; A, C, E, H, L, M on time; 20 × 6/10 = 12.
        ("U1", "2026-10", "on_time"): (6, 10, D("60.00"), D("12.00")),
        # Received in October: A..F, L, M; online A, C, E, L, M.
        ("U1", "2026-10", "online_submission"): (5, 8, D("62.50"), None),
        # November: E (still waiting, judged at its request), F, G, H (due 15/11), K, M (due 10/11).
        ("U1", "2026-11", "on_time"): (2, 6, D("33.33"), D("6.67")),
        ("U1", "2026-11", "online_submission"): (1, 1, D("100.00"), None),
        ("U2", "2026-10", "on_time"): (1, 1, D("100.00"), D("20.00")),
        ("U2", "2026-10", "online_submission"): (0, 1, D("0.00"), None),
    }


def test_the_worked_example_per_quarter_and_year_with_a_configured_maximum() -> None:
    indicators = load_indicators(maxima={"online_submission": 12})
    dossiers = _dossiers([r for r, _c, _o in WORKED])
    quarters = _figures(compute_indicators(dossiers, "quarter", indicators))
    # Q4 (to 01/01/2027): A..H, K, L, M; on time A, C, E, K, L: 20 × 5/11 = 9.0909… → 9.09.
    assert quarters[("U1", "2026-Q4", "on_time")] == (5, 11, D("45.45"), D("9.09"))
    # Received in Q4: A..F, K, L, M; online A, C, E, K, L, M = 6/9 ≥ 50 %: the full 12 points.
    assert quarters[("U1", "2026-Q4", "online_submission")] == (6, 9, D("66.67"), D("12.00"))
    assert quarters[("U1", "2026-Q3", "on_time")] == (3, 3, D("100.00"), D("20.00"))
    # 1/3 online under the 50 % threshold: 12 × (1/3) / 0.5 = 8.
    assert quarters[("U1", "2026-Q3", "online_submission")] == (1, 3, D("33.33"), D("8.00"))
    years = _figures(compute_indicators(dossiers, "year", indicators))
    assert years[("U1", "2026", "on_time")] == (6, 12, D("50.00"), D("10.00"))
    assert years[("U1", "2026", "online_submission")] == (7, 12, D("58.33"), D("12.00"))
    assert sorted(years) == [
        ("U1", "2026", "on_time"),
        ("U1", "2026", "online_submission"),
        ("U2", "2026", "on_time"),
        ("U2", "2026", "online_submission"),
    ]


def test_the_store_gives_the_same_figures_as_the_file(tmp_path: Path) -> None:
    dossiers = _dossiers([r for r, _c, _o in WORKED])
    write_store(dossiers, tmp_path / "store")
    assert compute_indicators(tmp_path / "store") == compute_indicators(dossiers)


def test_dossiers_none_of_them_received_give_no_rows() -> None:
    rejected = dossier(
        "J", "", "", submitted_at=vn(10, 10), status="rejected", finished_at=vn(10, 10, 9)
    )
    assert compute_indicators(_dossiers([rejected])) == []


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="period must be one of"):
        periods_between(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), "week")


def test_periods_run_across_a_year_in_vietnams_time() -> None:
    # 31/12/2026 18:00 UTC is 01/01/2027 01:00 in Vietnam.
    table = periods_between(
        datetime(2026, 11, 5, tzinfo=UTC), datetime(2026, 12, 31, 18, tzinfo=UTC), "month"
    )
    assert table.column("period").to_pylist() == ["2026-11", "2026-12", "2027-01"]
    start = table.column("start_s").to_pylist()[2]
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 12, 31, 17, tzinfo=UTC)


def test_rows_as_csv_has_the_stable_columns() -> None:
    rows = [
        IndicatorRow("U1", "2026-10", "on_time", 6, 10, D("60.00"), D("12.00"), 2),
        IndicatorRow('Sở "A", B', "2026-10", "online_submission", 0, 0, None, None),
    ]
    assert rows_as_csv(rows) == (
        "unit,period,indicator,numerator,denominator,rate,points,rank\n"
        "U1,2026-10,on_time,6,10,60.00,12.00,2\n"
        '"Sở ""A"", B",2026-10,online_submission,0,0,,,\n'
    )


def test_the_one_query_compiles_for_duckdb_and_for_spark_sql() -> None:
    # Compiled only (no Spark here): the expression uses operations both dialects have.
    import ibis

    dossiers = ibis.table(ibis.memtable(_dossiers([WORKED[0][0]]).table).schema(), name="dossiers")
    start = datetime(2026, 10, 1, tzinfo=UTC)
    periods = ibis.table(ibis.memtable(periods_between(start, start, "month")).schema(), name="p")
    expression = count_expression(dossiers, periods)
    for dialect in ("duckdb", "pyspark"):
        sql = ibis.to_sql(expression, dialect=dialect)
        assert "on_time_n" in sql and "online_submission" in sql


def test_units_are_ranked_by_their_exact_rate_per_period_and_indicator() -> None:
    rows = compute_indicators(_dossiers([r for r, _c, _o in WORKED]), "month")
    ranks = {(r.unit, r.period, r.indicator): r.rank for r in rows}
    # October: on time U2 100 % > U1 60 %; online U1 62.5 % > U2 0 %.
    assert ranks[("U2", "2026-10", "on_time")] == 1
    assert ranks[("U1", "2026-10", "on_time")] == 2
    assert ranks[("U1", "2026-10", "online_submission")] == 1
    assert ranks[("U2", "2026-10", "online_submission")] == 2
    assert ranks[("U1", "2026-09", "on_time")] == 1  # alone in September


def test_equal_rates_share_a_place_and_the_next_is_skipped() -> None:
    finished = {"finished_at": vn(3, 10)}
    late = {"finished_at": vn(12, 10)}
    records = [
        dossier("A1", vn(1, 10), vn(10, 10), unit="A", **finished),
        dossier("A2", vn(1, 10), vn(10, 10), unit="A", **late),
        dossier("B1", vn(1, 10), vn(10, 10), unit="B", **finished),
        dossier("B2", vn(1, 10), vn(10, 10), unit="B", **late),
        dossier("C1", vn(1, 10), vn(10, 10), unit="C", **late),
        dossier("E1", vn(1, 10), vn(10, 10), unit="E", **finished),
    ]
    rows = compute_indicators(_dossiers(records), "month")
    on_time = {r.unit: r.rank for r in rows if r.indicator == "on_time"}
    assert on_time == {"E": 1, "A": 2, "B": 2, "C": 4}  # 100 %, 50 %, 50 %, 0 %
    empty = [r.rank for r in rows if r.indicator == "online_submission"]
    assert empty == [1, 1, 1, 1]  # all online


# The same definitions written by hand in DuckDB SQL, on the Parquet store: an independent check
# of the Ibis expression (and the reference of the benchmark to come).
HAND_SQL = """
WITH d AS (
  SELECT unit, channel, supplement_requests AS n,
         epoch(received_at) AS rc, epoch(due_at) AS due,
         epoch(supplement_requested_at) AS rq, epoch(supplement_received_at) AS sp,
         epoch(coalesce(finished_at, returned_at)) AS en
  FROM read_parquet(?, hive_partitioning = true)
), j AS (
  SELECT d.*, p.period, p.start_s AS s, p.end_s AS e FROM d JOIN periods p
    ON d.rc < p.end_s AND (d.en IS NULL OR d.en >= p.start_s)
), k AS (
  SELECT *, (en IS NOT NULL AND en < e) AS ended, (sp IS NOT NULL AND sp < e) AS supplied FROM j
)
SELECT unit, period,
  sum(CASE WHEN n > 1 THEN 0
           WHEN ended THEN (en <= due + CASE WHEN supplied THEN sp - rq ELSE 0 END)::INT
           WHEN n = 1 AND rq < e AND NOT supplied THEN (rq <= due)::INT
           ELSE (due + CASE WHEN supplied THEN sp - rq ELSE 0 END >= e)::INT END) AS on_time_n,
  count(*) AS on_time_d,
  sum((rc >= s AND channel = 'online')::INT) AS online_n,
  sum((rc >= s)::INT) AS online_d
FROM k GROUP BY unit, period ORDER BY unit, period
"""


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_the_ibis_query_agrees_with_hand_written_duckdb_sql(tmp_path: Path, period: str) -> None:
    import duckdb

    write_store(_dossiers([r for r, _c, _o in WORKED]), tmp_path / "store")
    rows = compute_indicators(tmp_path / "store", period)
    by_ibis = {(r.unit, r.period, r.indicator): (r.numerator, r.denominator) for r in rows}
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    periods = periods_between(start, end, period)  # noqa: F841 (read by DuckDB by name)
    connection = duckdb.connect()
    found = connection.execute(HAND_SQL, [str(tmp_path / "store" / "**" / "*.parquet")]).fetchall()
    by_hand: dict[tuple[str, str, str], tuple[int, int]] = {}
    for unit, label, on_time_n, on_time_d, online_n, online_d in found:
        by_hand[(unit, label, "on_time")] = (on_time_n, on_time_d)
        by_hand[(unit, label, "online_submission")] = (online_n, online_d)
    assert by_hand == by_ibis
