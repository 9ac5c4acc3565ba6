"""``parindex services indicators``: the rates of a dossier file, its store, bad input refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from parindex.services import read_dossiers, write_store
from parindex.services.contract import REQUIRED

from .helpers import RunCli


def row(dossier_id: str = "D1", **fields: str) -> dict[str, str]:
    """A dossier of unit U1 received online 01/10/2026, finished on time; ``fields`` changed."""
    base = dict.fromkeys(REQUIRED, "")
    base.update(
        dossier_id=dossier_id, procedure_code="P1", unit="U1", channel="online",
        submitted_at="2026-10-01T08:00:00+07:00", received_at="2026-10-01T09:00:00+07:00",
        due_at="2026-10-10T17:00:00+07:00", supplement_requests="0",
        finished_at="2026-10-03T10:00:00+07:00", status="finished",
    )  # fmt: skip
    base.update(fields)
    return base


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(REQUIRED)] + [",".join(r[name] for name in REQUIRED) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


LATE = row(
    "D2",
    channel="in_person",
    finished_at="2026-10-12T10:00:00+07:00",
    due_at="2026-10-10T17:00:00+07:00",
)


def _file(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def _table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_it_writes_one_row_per_unit_period_and_indicator(run: RunCli, tmp_path: Path) -> None:
    result = run("services", "indicators", _file(tmp_path, [row(), LATE]))
    assert result.code == 0, result.err
    assert (
        result.out.splitlines()[0] == "unit,period,indicator,numerator,denominator,rate,points,rank"
    )
    assert _table(result.out) == [
        {"unit": "U1", "period": "2026-10", "indicator": "on_time", "numerator": "1",
         "denominator": "2", "rate": "50.00", "points": "10.00", "rank": "1"},
        {"unit": "U1", "period": "2026-10", "indicator": "online_submission", "numerator": "1",
         "denominator": "2", "rate": "50.00", "points": "", "rank": "1"},
    ]  # fmt: skip
    assert result.err == "2 figures for 1 units\n"


def test_periods_a_report_date_and_a_configured_maximum(run: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(
        "services", "indicators", _file(tmp_path, [row(), LATE]), "--period", "quarter",
        "--through", "15/01/2027", "--maximum", "online_submission=12", "--out", out,
    )  # fmt: skip
    assert (result.code, result.out) == (0, "")
    table = _table(out.read_text(encoding="utf-8"))
    assert [(r["period"], r["indicator"], r["points"]) for r in table] == [
        ("2026-Q4", "on_time", "10.00"),
        ("2026-Q4", "online_submission", "12.00"),  # 50 % reaches the 50 % threshold
    ]


def test_it_reads_a_parquet_store_folder(run: RunCli, tmp_path: Path) -> None:
    dossiers = read_dossiers("d.csv", data=csv_bytes([row(), LATE]))
    write_store(dossiers, tmp_path / "store")
    from_store = run("services", "indicators", tmp_path / "store")
    from_file = run("services", "indicators", _file(tmp_path, [row(), LATE]))
    assert from_store.code == 0 and from_store.out == from_file.out


def test_a_bad_file_is_refused_naming_each_row_and_nothing_is_written(
    run: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    bad = [row(), row("D2", channel="fax"), row("D3", finished_at="2026-09-01T00:00:00+07:00")]
    result = run("services", "indicators", _file(tmp_path, bad), "--out", out)
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(
        "row 3, column 'channel'" in line and "'fax' is not one of" in line for line in lines
    )
    assert any("row 4, column 'finished_at'" in line and "(dossier D3)" in line for line in lines)
    assert lines[0].endswith("refused (2 problems); nothing written")
    assert "dossier_choice: 1" in lines and "dossier_before: 1" in lines
    assert not out.exists()


def test_a_refusal_reports_the_count_per_reason_and_three_examples(
    run: RunCli, tmp_path: Path
) -> None:
    bad = [row(f"D{n}", channel="fax") for n in range(5)] + [row("D0")]
    lines = run("services", "indicators", _file(tmp_path, bad)).err.splitlines()
    assert lines[1:] == [
        "dossier_choice: 5",
        *(
            f"  {tmp_path / 'dossiers.csv'}, row {n + 2}, column 'channel': 'fax' is not one of:"
            f" in_person, online, postal (dossier D{n})"
            for n in range(3)
        ),
        "dossier_twice: 1",
        f"  {tmp_path / 'dossiers.csv'}, row 7, column 'dossier_id': dossier 'D0' is given twice"
        " (first at row 2) (dossier D0)",
    ]


def test_with_quarantine_the_good_rows_go_on_and_the_bad_ones_are_kept(
    run: RunCli, tmp_path: Path
) -> None:
    held = tmp_path / "held.csv"
    bad = [
        row(),
        row("D2", channel="fax"),
        dict(LATE, dossier_id="D4"),
        row("D3", due_at="", status="received", finished_at=""),
    ]
    result = run("services", "indicators", _file(tmp_path, bad), "--quarantine", held)
    assert result.code == 0
    assert "2 rows accepted, 2 quarantined in" in result.err
    table = _table(result.out)
    assert [(r["indicator"], r["numerator"], r["denominator"]) for r in table] == [
        ("on_time", "1", "2"),
        ("online_submission", "1", "2"),
    ]
    kept = _table(held.read_text(encoding="utf-8"))
    assert [(r["dossier_id"], r["channel"], r["quarantine_row"]) for r in kept] == [
        ("D2", "fax", "3"),
        ("D3", "online", "5"),
    ]
    assert kept[0]["quarantine_reasons"].startswith("channel: 'fax' is not one of")
    assert kept[1]["quarantine_reasons"] == (
        "due_at: due_at is required for a received dossier (received_at given)"
    )


def test_a_missing_column_is_refused_even_with_quarantine(run: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("dossier_id,unit\nD1,U1\n", encoding="utf-8")
    result = run("services", "indicators", path, "--quarantine", tmp_path / "held.csv")
    assert result.code == 1
    assert "missing_columns: 1" in result.err.splitlines()
    assert not (tmp_path / "held.csv").exists()


def test_bad_options_are_usage_errors(run: RunCli, tmp_path: Path) -> None:
    path = _file(tmp_path, [row()])
    for option in (
        ["--through", "2026-10-01"],
        ["--maximum", "online_submission"],
        ["--period", "week"],
    ):
        result = run("services", "indicators", path, *option)
        assert result.code == 2
        assert "error:" in result.err
    unknown = run("services", "indicators", path, "--maximum", "nothing=3")
    assert unknown.code == 1 and "nothing" in unknown.err


def test_help_documents_every_option(run: RunCli) -> None:
    out = run("services", "indicators", "--help").out
    for option in ("--period", "--through", "--maximum", "--out"):
        assert option in out


# --- services catalogue ---------------------------------------------------------------------

CATALOGUE = Path(__file__).parents[1] / "fixtures" / "services" / "catalogue-example.csv"


def test_catalogue_counts_one_year_by_agency(run: RunCli) -> None:
    result = run("services", "catalogue", CATALOGUE, "--year", "2018")
    assert result.code == 0, result.err
    rows = [r for r in _table(result.out) if r["procedures"] != "0"]
    assert [(r["group"], r["scheme"], r["level"], r["given"], r["mapped"]) for r in rows] == [
        ("Sở Ví dụ", "43/2011", "2", "1", "0"),
        ("Sở Ví dụ", "43/2011", "3", "1", "0"),
        ("Sở Ví dụ", "42/2022", "partial", "0", "1"),
        ("Sở Ví dụ", "42/2022", "none", "0", "1"),
        ("UBND xã Ví dụ", "43/2011", "4", "1", "0"),
        ("UBND xã Ví dụ", "42/2022", "full", "0", "1"),
    ]
    assert {r["year"] for r in rows} == {"2018"}
    assert result.err == "5 procedures; year(s) counted: 1\n"


def test_catalogue_by_handling_level_to_a_file(run: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "counts.csv"
    result = run("services", "catalogue", CATALOGUE, "--by", "level", "--out", out)
    assert result.code == 0, result.err
    assert result.out == ""
    rows = _table(out.read_text(encoding="utf-8"))
    assert {r["year"] for r in rows} == {str(y) for y in range(2017, 2024)}
    assert {"year": "2023", "group": "ministry", "scheme": "42/2022", "level": "partial",
            "procedures": "1", "given": "1", "mapped": "0"} in rows  # fmt: skip


def test_catalogue_refuses_a_bad_file_by_row_and_column(run: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name_vi,agency,sector,handling_level,valid_from,scheme,level\n"
        "P1,T,A,S,province,32/01/2020,43/2011,5\n",
        encoding="utf-8",
    )
    out = tmp_path / "counts.csv"
    result = run("services", "catalogue", bad, "--out", out)
    assert result.code == 1
    assert f"error: {bad}, row 2, column 'valid_from': '32/01/2020' is not a date" in result.err
    assert f"error: {bad}, row 2, column 'level': '5' is not a level of 43/2011" in result.err
    assert not out.exists()


def test_catalogue_refuses_a_bad_year(run: RunCli) -> None:
    result = run("services", "catalogue", CATALOGUE, "--year", "18")
    assert result.code == 2
    assert "expected a year as YYYY, got '18'" in result.err


def test_indicators_check_procedures_against_a_catalogue(run: RunCli, tmp_path: Path) -> None:
    dossiers = _file(tmp_path, [row(procedure_code="VD-001"), row("D2", procedure_code="XX")])
    result = run("services", "indicators", dossiers, "--catalogue", CATALOGUE)
    assert result.code == 1
    assert "dossier_unknown: 1" in result.err
    assert "row 3, column 'procedure_code': 'XX' is not a known procedure_code" in result.err
    good = _file(tmp_path, [row(procedure_code="VD-001")])
    assert run("services", "indicators", good, "--catalogue", CATALOGUE).code == 0


def test_indicators_catalogue_needs_a_file_not_a_folder(run: RunCli, tmp_path: Path) -> None:
    result = run("services", "indicators", tmp_path, "--catalogue", CATALOGUE)
    assert result.code == 2
    assert "--catalogue checks a dossier file, not a folder" in result.err
