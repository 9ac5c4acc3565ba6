"""The dossier interchange contract: every bad row named by file, row and column; the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parindex.services import DossierError, read_dossiers, write_store

from .helpers import ALL, HEADER, csv_bytes, row


def problems(
    data: bytes, name: str = "d.csv", **options: object
) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(DossierError) as caught:
        read_dossiers(name, data=data, **options)  # type: ignore[arg-type]
    return [(p.location.row, p.location.column, p.code) for p in caught.value.problems]


def test_a_good_file_gives_typed_columns_in_utc() -> None:
    dossiers = read_dossiers("d.csv", data=csv_bytes([row(), row("D2", channel="postal")]))
    assert len(dossiers) == 2
    first = dossiers.table.to_pylist()[0]
    assert first["received_at"] == datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
    assert first["supplement_requests"] == 0
    assert first["fee_due"] is None  # an optional column absent from the file
    assert dossiers.table.column_names == ALL


def test_optional_columns_are_read_when_given() -> None:
    extra = {"fee_due": "true", "paid_online": "0", "rating": "satisfied", "complaint": "FALSE"}
    data = csv_bytes([row(**extra)], HEADER + list(extra))
    record = read_dossiers("d.csv", data=data).table.to_pylist()[0]
    assert (record["fee_due"], record["paid_online"], record["rating"], record["complaint"]) == (
        True,
        False,
        "satisfied",
        False,
    )


def test_missing_columns_are_named_and_nothing_is_read() -> None:
    assert problems(csv_bytes([row()], HEADER[:-2])) == [(None, None, "missing_columns")]


@pytest.mark.parametrize(
    ("fields", "column", "code"),
    [
        ({"submitted_at": "2026-10-01 08:00"}, "submitted_at", "dossier_time"),  # no offset
        ({"submitted_at": "2026-10-01"}, "submitted_at", "dossier_time"),  # a date only
        ({"due_at": "soon"}, "due_at", "dossier_time"),
        ({"due_at": "2026-10-01T08:00:00"}, "due_at", "dossier_time"),  # no offset
        ({"channel": "fax"}, "channel", "dossier_choice"),
        ({"status": "done"}, "status", "dossier_choice"),
        ({"supplement_requests": "-1"}, "supplement_requests", "expected_whole"),
        ({"supplement_requests": "one"}, "supplement_requests", "expected_whole"),
        ({"unit": ""}, "unit", "field_required"),
        ({"supplement_requests": ""}, "supplement_requests", "field_required"),
        ({"finished_at": "2026-09-30T10:00:00+07:00"}, "finished_at", "dossier_before"),
        ({"received_at": "2026-10-01T07:00:00+07:00"}, "received_at", "dossier_before"),
        ({"due_at": ""}, "due_at", "dossier_due"),
        ({"status": "processing"}, "finished_at", "dossier_forbids"),
        ({"status": "returned"}, "returned_at", "dossier_needs"),
        ({"finished_at": ""}, "finished_at", "dossier_needs"),
        ({"supplement_requests": "1"}, "supplement_requested_at", "dossier_needs"),
        (
            {"supplement_requested_at": "2026-10-02T08:00:00+07:00"},
            "supplement_requested_at",
            "dossier_forbids",
        ),
        (
            {
                "supplement_requests": "1",
                "supplement_requested_at": "2026-10-02T08:00:00+07:00",
                "supplement_received_at": "2026-10-02T07:00:00+07:00",
            },
            "supplement_received_at",
            "dossier_before",
        ),
        (
            {
                "status": "supplement_requested",
                "finished_at": "",
                "supplement_requests": "1",
                "supplement_requested_at": "2026-10-02T08:00:00+07:00",
                "supplement_received_at": "2026-10-03T08:00:00+07:00",
            },
            "supplement_received_at",
            "dossier_forbids",
        ),
        ({"received_at": "", "due_at": ""}, "received_at", "dossier_needs"),
    ],
)
def test_each_bad_value_is_named_by_its_row_and_column(
    fields: dict[str, str], column: str, code: str
) -> None:
    found = problems(csv_bytes([row(), row("D2", **fields)]))
    assert (3, column, code) in found
    assert all(r == 3 for r, _c, _code in found)


def test_a_dossier_rejected_at_intake_needs_no_reception() -> None:
    rejected = row(received_at="", due_at="", status="rejected")
    assert len(read_dossiers("d.csv", data=csv_bytes([rejected]))) == 1


def test_a_duplicate_id_names_its_first_row() -> None:
    with pytest.raises(DossierError) as caught:
        read_dossiers("d.csv", data=csv_bytes([row(), row("D2"), row()]))
    [problem] = caught.value.problems
    assert (problem.location.row, problem.code, problem.params["first"]) == (
        4,
        "dossier_twice",
        "2",
    )
    assert "d.csv, row 4, column 'dossier_id'" in str(problem)
    assert problem.text("vi") == "hồ sơ 'D1' bị trùng (lần đầu ở dòng 2)"


def test_unknown_units_and_procedures_are_refused_when_the_known_ones_are_given() -> None:
    data = csv_bytes([row(), row("D2", unit="U9", procedure_code="P9")])
    assert problems(data, units=["U1"], procedures=["P1"]) == [
        (3, "unit", "dossier_unknown"),
        (3, "procedure_code", "dossier_unknown"),
    ]


def test_an_empty_file_and_a_header_only_file_are_refused() -> None:
    assert problems(b"") == [(None, None, "empty")]
    assert problems(csv_bytes([])) == [(None, None, "dossier_no_rows")]


def test_a_file_not_in_utf8_is_refused() -> None:
    assert problems(b"dossier_id\nH\xe0 N\xf4i\n")[0][2] in {"encoding", "encoding_guess"}


def test_a_file_is_read_from_its_path(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(csv_bytes([row()]))
    assert len(read_dossiers(path)) == 1


def _parquet(tmp_path: Path, table: pa.Table) -> Path:
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    return path


def test_parquet_with_native_types_is_read_and_checked(tmp_path: Path) -> None:
    good = read_dossiers("d.csv", data=csv_bytes([row(), row("D2")]))
    assert read_dossiers(_parquet(tmp_path, good.table)).table.equals(good.table)
    naive = good.table.set_column(
        good.table.column_names.index("due_at"),
        "due_at",
        pa.array([datetime(2026, 10, 9), None], pa.timestamp("us")),
    )
    with pytest.raises(DossierError) as caught:
        read_dossiers(_parquet(tmp_path, naive))
    assert [(p.location.row, p.location.column, p.code) for p in caught.value.problems] == [
        (2, "due_at", "dossier_time"),
        (3, "due_at", "dossier_due"),
    ]


def test_parquet_with_text_and_bad_whole_numbers(tmp_path: Path) -> None:
    table = pa.table({name: [value] for name, value in row().items()})
    table = table.set_column(
        HEADER.index("supplement_requests"), "supplement_requests", pa.array([True])
    )
    with pytest.raises(DossierError) as caught:
        read_dossiers(_parquet(tmp_path, table))
    assert caught.value.problems[0].code == "expected_whole"
    negative = table.set_column(
        HEADER.index("supplement_requests"), "supplement_requests", pa.array([-1])
    )
    with pytest.raises(DossierError) as caught:
        read_dossiers(_parquet(tmp_path, negative))
    assert caught.value.problems[0].code == "expected_whole"
    counted = table.set_column(
        HEADER.index("supplement_requests"), "supplement_requests", pa.array([0])
    )
    assert (
        read_dossiers(_parquet(tmp_path, counted)).table.to_pylist()[0]["supplement_requests"] == 0
    )
    flags = counted.append_column("fee_due", pa.array([True]))
    assert read_dossiers(_parquet(tmp_path, flags)).table.to_pylist()[0]["fee_due"] is True


def test_a_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    path.write_bytes(b"not parquet")
    with pytest.raises(DossierError) as caught:
        read_dossiers(path)
    assert caught.value.problems[0].code == "unreadable"


def test_the_store_is_partitioned_by_the_month_of_submission_in_vietnam(tmp_path: Path) -> None:
    dossiers = read_dossiers(
        "d.csv",
        data=csv_bytes(
            [
                row(),
                # 30/11 20:00 UTC is 01/12 03:00 in Vietnam: December's partition.
                row(
                    "D2",
                    submitted_at="2026-11-30T20:00:00+00:00",
                    received_at="2026-11-30T20:00:00+00:00",
                    due_at="2026-12-05T17:00:00+07:00",
                    finished_at="",
                    status="processing",
                ),
            ]
        ),
    )
    written = write_store(dossiers, tmp_path / "store")
    assert [p.parent.relative_to(tmp_path / "store").as_posix() for p in written] == [
        "year=2026/month=10",
        "year=2026/month=12",
    ]
    back = pq.read_table(tmp_path / "store").sort_by("dossier_id")
    assert back.column("dossier_id").to_pylist() == ["D1", "D2"]
    assert back.column("month").to_pylist() == [10, 12]
    assert back.select(ALL).cast(dossiers.table.schema).equals(dossiers.table)
    # Writing again adds files beside the first ones and keeps those.
    assert len(write_store(dossiers, tmp_path / "store")) == 2
    assert len(list((tmp_path / "store").rglob("*.parquet"))) == 4


def test_with_quarantine_the_bad_rows_are_set_aside_with_their_problems() -> None:
    data = csv_bytes([row(), row("D2", channel="fax", unit=""), row("D1")])
    dossiers = read_dossiers("d.csv", data=data, quarantine=True)
    assert dossiers.table.column("dossier_id").to_pylist() == ["D1"]
    assert [
        (r.row, r.values["dossier_id"], [p.code for p in r.problems]) for r in dossiers.rejected
    ] == [
        (3, "D2", ["field_required", "dossier_choice"]),
        (4, "D1", ["dossier_twice"]),
    ]


def test_a_refusal_maps_its_rows_to_dossier_ids() -> None:
    with pytest.raises(DossierError) as caught:
        read_dossiers("d.csv", data=csv_bytes([row(), row("D2", channel="fax"), row("", unit="")]))
    assert caught.value.dossier_ids == {3: "D2"}
