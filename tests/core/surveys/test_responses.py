"""Kobo- and ODK-shaped exports checked against the form: every bad row named, duplicates skipped."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from parindex.surveys import SurveyError
from parindex.surveys.responses import read_responses
from parindex.surveys.xlsform import read_xlsform

from .helpers import FORM, RESPONSES, cell, variant

EXAMPLE = read_xlsform(FORM)
DESIGN = {"by": "nguoi_tra_loi/don_vi", "weight": "trong_so", "strata": "tang"}


def example_rows() -> list[list[str]]:
    lines = RESPONSES.read_text(encoding="utf-8").splitlines()
    return [row for row in csv.reader(lines) if not row[0].startswith("#")]


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def changed(**cells: str) -> list[list[str]]:
    """The example with cells changed: ``c3_q24="x"`` sets column q24's cell in data row 3."""
    rows = example_rows()
    header = [h.rpartition("/")[2] for h in rows[0]]
    for key, value in cells.items():
        row, _, column = key.partition("_")
        rows[int(row[1:])][header.index(column)] = value
    return rows


def problems(
    data: bytes, name: str = "r.csv", **extra: str
) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(SurveyError) as caught:
        read_responses(data, EXAMPLE, file=name, extra=extra or DESIGN)
    return [(p.location.row, p.location.column, p.code) for p in caught.value.problems]


def test_the_example_kobo_export_is_read_and_its_exact_duplicate_skipped() -> None:
    r = read_responses(RESPONSES, EXAMPLE, extra=DESIGN)
    assert r.rows == (3, 4, 5, 6, 7, 8, 9, 10, 11, 12) and r.duplicates == 1
    assert r.answers["q24"] == ["5", "4", "2", "5", "3", "4", "5", "4", "1", "4"]
    assert r.answers["kenh"][3] == "truc_tiep truc_tuyen"
    assert "ten" not in r.answers  # inside a repeat: not read
    assert r.extra["weight"][:3] == ["10", "10", "20"]
    assert r.extra["by"] == ["phuong_a"] * 5 + ["phuong_b"] * 5


def test_an_odk_shaped_workbook_with_one_column_per_choice_is_read() -> None:
    """ODK Central: names without group paths, KEY as the submission id, the select-multiple
    only as one column per choice (1/0, true/false)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["KEY", "don_vi", "tuoi", "kenh/truc_tiep", "kenh/truc_tuyen", "q24", "w"])
    sheet.append(["uuid:1", "phuong_a", 30, 1, 0, 4, 1.5])
    sheet.append(["uuid:2", "phuong_b", 41, "true", "TRUE", 2, 2])
    sheet.append(["uuid:1", "phuong_a", 30, 1, 0, 4, 1.5])
    buffer = io.BytesIO()
    book.save(buffer)
    r = read_responses(buffer.getvalue(), EXAMPLE, file="odk.xlsx", extra={"weight": "w"})
    assert r.answers["kenh"] == ["truc_tiep", "truc_tiep truc_tuyen"]
    assert r.answers["q24"] == ["4", "2"] and r.answers["q25"] == ["", ""]
    assert (r.extra["weight"], r.duplicates) == (["1.5", "2"], 1)


def test_every_bad_row_is_reported_with_its_row_column_and_reason() -> None:
    rows = changed(
        r1_q24="6",
        r2_kenh="truc_tiep bay",
        r3_tuoi="ba mươi",
        r4_thoi_gian="1,5h",
        r5_q24="",
        r6_trong_so="0",
        r7_trong_so="abc",
        r8_tang="",
        r9_truc_tiep="2",
    )
    rows[10][rows[0].index("dich_vu/q25")] = "1"  # the duplicate's id with other answers
    assert problems(as_csv(rows)) == [
        (2, "q24", "response_choice"),
        (3, "kenh", "response_choice"),
        (4, "tuoi", "response_integer"),
        (5, "thoi_gian", "response_decimal"),
        (6, "q24", "response_required"),
        (7, "trong_so", "response_weight"),
        (8, "trong_so", "response_weight"),
        (9, "tang", "value_required"),
        (12, "_uuid", "response_duplicate"),
    ]


def test_a_flag_column_is_checked_when_it_holds_the_answer() -> None:
    rows = example_rows()
    keep = [i for i, h in enumerate(rows[0]) if h != "nguoi_tra_loi/kenh"]
    rows = [[row[i] for i in keep] for row in rows]
    rows[2][rows[0].index("nguoi_tra_loi/kenh/buu_chinh")] = "yes"
    assert problems(as_csv(rows)) == [(3, "kenh/buu_chinh", "response_flag")]


def test_a_required_question_with_a_relevant_condition_may_be_blank() -> None:
    form = read_xlsform(FORM)
    q37 = form.question("q37")
    assert q37 is not None and q37.relevant and not q37.required
    rows = changed(r1_q37="")
    assert read_responses(as_csv(rows), form, file="r.csv").answers["q37"][0] == ""


@pytest.mark.parametrize(
    ("drop", "extra", "expected"),
    [
        ("dich_vu/q24", DESIGN, [(1, None, "response_missing_column")]),
        ("tang", DESIGN, [(1, None, "response_option_column")]),
    ],
)
def test_a_missing_column_is_named_on_the_header_row(
    drop: str, extra: dict[str, str], expected: list[tuple[int, None, str]]
) -> None:
    rows = example_rows()
    keep = [i for i, h in enumerate(rows[0]) if h != drop]
    data = as_csv([[row[i] for i in keep] for row in rows])
    assert problems(data, **extra) == expected


def test_a_question_given_by_two_columns_or_a_header_twice_is_refused() -> None:
    rows = example_rows()
    rows[0][rows[0].index("dich_vu/q25")] = "q24"
    assert problems(as_csv(rows)) == [(1, None, "duplicate_column")]
    rows[0][rows[0].index("q24")] = "dich_vu/q24"
    assert problems(as_csv(rows)) == [(1, None, "duplicate_column")]


def test_the_first_id_column_of_the_list_wins() -> None:
    """A KEY (after _uuid in ID_COLUMNS) of one value for every row: were it the id, every row
    would repeat the first with other answers. _uuid wins, wherever it stands in the file."""
    rows = [[*row, "KEY" if i == 0 else "k"] for i, row in enumerate(example_rows())]
    assert read_responses(as_csv(rows), EXAMPLE, file="r.csv").duplicates == 1
    rows = [["KEY" if i == 0 else "k", *row[:-1]] for i, row in enumerate(rows)]
    assert read_responses(as_csv(rows), EXAMPLE, file="r.csv").duplicates == 1


@pytest.mark.parametrize("data", [b"", b"q24,q25\n"])
def test_a_file_without_responses_is_refused(data: bytes) -> None:
    assert problems(data) == [(None, None, "response_no_rows")]


def test_odk_central_dash_paths_and_a_label_export_are_read() -> None:
    """ODK Central writes group paths with '-' (``dich_vu-q24``, ``meta-instanceID``); a Kobo
    export "with labels" names columns by the question's label and a select_one's answers by
    the choice's label (in any language): they are read as the names."""
    data = as_csv(
        [
            ["meta-instanceID", "nguoi_tra_loi-don_vi", "Tuổi", "dich_vu-q24", "Enough seats"],
            ["uuid:1", "VÍ DỤ – Phường A", "30", "Hài lòng", "Very satisfied"],
            ["uuid:2", "phuong_b", "41", "2", "Không biết"],
            ["uuid:1", "VÍ DỤ – Phường A", "30", "Hài lòng", "Very satisfied"],
        ]
    )
    r = read_responses(data, EXAMPLE, file="central.csv", extra={"by": "nguoi_tra_loi-don_vi"})
    assert r.answers["don_vi"] == ["phuong_a", "phuong_b"]
    assert r.answers["tuoi"] == ["30", "41"]
    assert r.answers["q24"] == ["4", "2"] and r.answers["q25"] == ["5", "9"]
    assert r.extra["by"] == ["phuong_a", "phuong_b"]  # the question's answers, as read
    assert r.duplicates == 1


def test_a_label_that_is_not_a_choice_is_still_refused() -> None:
    data = as_csv([["don_vi", "tuoi", "q24"], ["phuong_a", "30", "Rất tốt"]])
    assert problems(data, by="don_vi") == [(2, "q24", "response_choice")]


def test_a_required_select_multiple_given_by_choice_columns_needs_one_chosen() -> None:
    form = read_xlsform(variant(cell("survey", "E7", "yes")), "f.xlsx")
    data = as_csv(
        [
            ["don_vi", "tuoi", "q24", "kenh/truc_tiep", "kenh/buu_chinh"],
            ["phuong_a", "30", "4", "0", "1"],
            ["phuong_a", "31", "4", "0", "0"],
        ]
    )
    with pytest.raises(SurveyError) as caught:
        read_responses(data, form, file="r.csv")
    assert [(p.location.row, p.location.column, p.code) for p in caught.value.problems] == [
        (3, "kenh/…", "response_required")
    ]


LEVEL = st.sampled_from(["1", "2", "3", "4", "5", "9", ""])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["phuong_a", "phuong_b"]),
            st.integers(18, 100),
            st.lists(st.sampled_from(["truc_tiep", "buu_chinh", "truc_tuyen"]), unique=True),
            st.sampled_from(["1", "2", "3", "4", "5", "9"]),  # q24 is required
            LEVEL,
        ),
        min_size=1,
        max_size=20,
    )
)
def test_valid_answers_written_out_are_read_back_as_they_were(
    answers: list[tuple[str, int, list[str], str, str]],
) -> None:
    header = [
        "_uuid",
        "nguoi_tra_loi/don_vi",
        "nguoi_tra_loi/tuoi",
        "nguoi_tra_loi/kenh",
        "dich_vu/q24",
        "dich_vu/q25",
    ]
    rows = [header] + [
        [f"u{i}", unit, str(age), " ".join(kenh), q24, q25]
        for i, (unit, age, kenh, q24, q25) in enumerate(answers)
    ]
    r = read_responses(as_csv(rows), EXAMPLE, file="r.csv")
    assert r.answers["don_vi"] == [a[0] for a in answers]
    assert r.answers["tuoi"] == [str(a[1]) for a in answers]
    assert r.answers["kenh"] == [" ".join(a[2]) for a in answers]
    assert (r.answers["q24"], r.answers["q25"]) == (
        [a[3] for a in answers],
        [a[4] for a in answers],
    )
    assert r.answers["q27"] == [""] * len(answers) and r.duplicates == 0


# --- relevance and constraints ----------------------------------------------------------------


def test_an_answer_to_a_question_not_relevant_or_outside_its_constraint_is_a_problem() -> None:
    data = as_csv(changed(c2_q37="4", c1_tuoi="17", c5_thoi_gian="-1", c6_tuoi="abc"))
    assert problems(data) == [
        (2, "tuoi", "response_constraint"),
        (3, "q37", "response_not_relevant"),
        (6, "thoi_gian", "response_constraint"),
        (7, "tuoi", "response_integer"),  # a value of the wrong type: its constraint not checked
    ]
    with pytest.raises(SurveyError) as caught:
        read_responses(data, EXAMPLE, file="r.csv", extra=DESIGN)
    assert str(caught.value.problems[0]) == (
        "r.csv, row 2, column 'tuoi': '17' does not satisfy the constraint . >= 18 and . <= 100"
    )


def test_required_applies_only_where_the_question_is_relevant() -> None:
    form = read_xlsform(variant(cell("survey", "E15", "yes")))  # q37 required
    rows = changed(c1_q37="")  # row 2 chose truc_tiep: q37 is relevant there
    with pytest.raises(SurveyError) as caught:
        read_responses(as_csv(rows), form, file="r.csv", extra=DESIGN)
    assert [(p.location.row, p.code) for p in caught.value.problems] == [(2, "response_required")]
    kept = read_responses(RESPONSES, form, extra=DESIGN)  # blank wherever truc_tiep was not chosen
    assert kept.answers["q37"][1:3] == ["", ""]


def test_a_group_not_relevant_makes_each_of_its_answers_a_problem() -> None:
    form = read_xlsform(variant(cell("survey", "G9", "${tuoi} < 70")))  # dich_vu
    rows = changed()
    found = problems_with(form, as_csv(rows))
    assert found == [
        (9, column, "response_not_relevant") for column in ("q24", "q25", "q27", "q31", "q34")
    ]


def test_a_select_multiple_read_from_choice_columns_is_checked_by_its_name() -> None:
    form = read_xlsform(variant(cell("survey", "G7", "${tuoi} < 60")))  # kenh
    rows = [
        [c for c, h in zip(r, example_rows()[0], strict=True) if h != "nguoi_tra_loi/kenh"]
        for r in example_rows()
    ]
    found = problems_with(form, as_csv(rows))
    assert found == [
        (6, "kenh/…", "response_not_relevant"),
        (9, "kenh/…", "response_not_relevant"),
    ]


def problems_with(form: object, data: bytes) -> list[tuple[int | None, str | None, str]]:
    assert isinstance(form, type(EXAMPLE))
    with pytest.raises(SurveyError) as caught:
        read_responses(data, form, file="r.csv", extra=DESIGN)
    return [(p.location.row, p.location.column, p.code) for p in caught.value.problems]


def test_each_kept_row_has_its_submission_id() -> None:
    r = read_responses(RESPONSES, EXAMPLE, extra=DESIGN)
    assert r.ids[:3] == ("u-01", "u-02", "u-03") and len(r.ids) == len(r.rows)


def test_units_outside_the_list_given_are_problems_of_the_by_column() -> None:
    with pytest.raises(SurveyError) as caught:
        read_responses(RESPONSES, EXAMPLE, extra=DESIGN, units={"phuong_a"})
    found = {(p.location.row, p.location.column, p.code) for p in caught.value.problems}
    assert found == {(row, "nguoi_tra_loi/don_vi", "unknown_unit") for row in range(8, 13)}
    assert read_responses(RESPONSES, EXAMPLE, extra=DESIGN, units={"phuong_a", "phuong_b"}).rows


def test_progress_goes_up_to_its_total() -> None:
    calls: list[tuple[int, int]] = []
    read_responses(RESPONSES, EXAMPLE, extra=DESIGN, progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _t in calls]
    assert done == sorted(done) and calls[-1][0] == calls[-1][1] and len(calls) > 3
