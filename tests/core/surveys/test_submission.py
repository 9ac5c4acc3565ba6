"""One online submission checked against its form: the file reader's checks, irrelevant answers
dropped, dates checked, and (hypothesis) the same problems as read_responses on the same row."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.surveys import SurveyError, check_submission, online_questions, read_responses
from parindex.surveys.submission import expression_data, is_relevant
from parindex.surveys.xlsform import read_xlsform

from .helpers import FORM, rows, variant

EXAMPLE = read_xlsform(FORM)
GOOD = {
    "don_vi": "phuong_a",
    "gioi_tinh": "nu",
    "tuoi": "34",
    "kenh": ["truc_tuyen", "truc_tiep"],
    "q24": "4",
    "q37": "5",
    "thoi_gian": "1.5",
    "y_kien": "  Tốt  ",
}


def codes(given: dict[str, object]) -> list[tuple[str | None, str]]:
    found = check_submission(EXAMPLE, given)  # type: ignore[arg-type]
    return [(p.location.column, p.code) for p in found.problems]


def test_the_online_questions_are_those_outside_repeats_that_take_an_answer() -> None:
    names = [q.name for q in online_questions(EXAMPLE)]
    assert names == [
        "don_vi", "gioi_tinh", "tuoi", "kenh", "q24", "q25", "q27", "q31", "q34", "q37",
        "thoi_gian", "y_kien",
    ]  # fmt: skip
    assert "ten" not in names and "start" not in names  # a repeat's question, metadata


def test_a_good_submission_has_no_problem_and_its_answers_are_cleaned() -> None:
    found = check_submission(EXAMPLE, GOOD)
    assert found.problems == ()
    assert found.answers["kenh"] == "truc_tiep truc_tuyen"  # the list's order
    assert found.answers["y_kien"] == "Tốt"
    assert found.answers["q25"] == ""  # every asked question is there, blank when not answered
    assert set(found.answers) == {q.name for q in online_questions(EXAMPLE)}
    assert found.dropped == ()


def test_an_answer_to_a_question_that_does_not_apply_is_dropped_not_refused() -> None:
    found = check_submission(EXAMPLE, {**GOOD, "kenh": "truc_tuyen"})  # q37 needs truc_tiep
    assert found.problems == ()
    assert found.answers["q37"] == "" and found.dropped == ("q37",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"don_vi": ""}, [("don_vi", "response_required")]),
        ({"don_vi": "phuong_z"}, [("don_vi", "response_choice")]),  # a tampered value
        ({"kenh": ["truc_tiep", "fax"]}, [("kenh", "response_choice")]),
        ({"tuoi": "34.5"}, [("tuoi", "response_integer")]),
        ({"tuoi": "12"}, [("tuoi", "response_constraint")]),
        ({"thoi_gian": "nhanh"}, [("thoi_gian", "response_decimal")]),
        ({"thoi_gian": "-1"}, [("thoi_gian", "response_constraint")]),
        ({"q24": "Hài lòng"}, [("q24", "response_choice")]),  # online: names only, not labels
        (
            {"tuoi": "", "q24": "7"},
            [("tuoi", "response_required"), ("q24", "response_choice")],
        ),
    ],
)
def test_each_bad_answer_is_one_problem_naming_its_question(
    change: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert codes({**GOOD, **change}) == expected


def test_a_decimal_comma_is_read_as_a_point() -> None:
    found = check_submission(EXAMPLE, {**GOOD, "thoi_gian": "1,5"})
    assert found.problems == () and found.answers["thoi_gian"] == "1.5"
    assert codes({**GOOD, "thoi_gian": "-0,5"}) == [("thoi_gian", "response_constraint")]
    assert codes({**GOOD, "thoi_gian": "1,5,0"}) == [("thoi_gian", "response_decimal")]


def test_names_that_are_no_asked_question_are_ignored() -> None:
    found = check_submission(EXAMPLE, {**GOOD, "ten": "An", "start": "x", "csrf": "y"})
    assert found.problems == () and "ten" not in found.answers


DATED = read_xlsform(variant(rows("survey", ["date", "ngay", "Ngày", "Date", "no", "", "", ""])))


@pytest.mark.parametrize(
    ("value", "code"),
    [("2026-12-08", None), ("08/12/2026", "response_date"), ("2026-02-30", "response_date")],
)
def test_a_date_is_written_yyyy_mm_dd(value: str, code: str | None) -> None:
    found = check_submission(DATED, {**GOOD, "ngay": value})
    assert [p.code for p in found.problems] == ([code] if code else [])


def test_a_group_relevance_applies_to_its_questions() -> None:
    form = read_xlsform(
        variant(
            lambda book: book["survey"].__setitem__("G9", "${tuoi} >= 60")  # group dich_vu
        )
    )
    q24 = form.question("q24")
    assert q24 is not None
    assert not is_relevant(form, q24, {"tuoi": "34"})
    found = check_submission(form, GOOD)
    assert found.problems == () and "q24" in found.dropped


def test_an_expression_is_given_to_the_page_as_the_tree_the_core_read() -> None:
    assert expression_data("selected(${kenh}, 'truc_tiep')") == [
        "call", "selected", ["ref", "kenh"], ["string", "truc_tiep"],
    ]  # fmt: skip
    assert expression_data(". >= 18") == [">=", ">=", ["current", ""], ["number", "18"]]


def _row_problems(answers: dict[str, str]) -> set[tuple[str | None, str]]:
    header = [q.name for q in online_questions(EXAMPLE)]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [["_uuid", *header], ["r1", *(answers[n] for n in header)]]
    )
    try:
        read_responses(buffer.getvalue().encode("utf-8"), EXAMPLE, file="row.csv")
    except SurveyError as exc:
        return {(p.location.column, p.code) for p in exc.problems}
    return set()


_LEVEL = st.sampled_from(["", "1", "4", "5", "9", "0", "x"])


@settings(max_examples=150, deadline=None)
@given(
    don_vi=st.sampled_from(["", "phuong_a", "phuong_b", "phuong_z"]),
    gioi_tinh=st.sampled_from(["", "nam", "nu", "khac"]),
    tuoi=st.sampled_from(["", "17", "18", "100", "101", "3.5", "abc", "-4"]),
    kenh=st.lists(st.sampled_from(["truc_tiep", "buu_chinh", "truc_tuyen", "fax"]), max_size=3),
    q24=_LEVEL,
    q37=_LEVEL,
    thoi_gian=st.sampled_from(["", "0", "2.5", "-1", "1,5", "n"]),
    y_kien=st.text(alphabet="abc ơ", max_size=5),
)
def test_the_problems_are_those_read_responses_finds_in_the_same_row(
    **given: str | list[str],
) -> None:
    answers = {q.name: "" for q in online_questions(EXAMPLE)}
    answers.update({k: v if isinstance(v, str) else " ".join(v) for k, v in given.items()})
    found = check_submission(EXAMPLE, answers)
    mine = {(p.location.column, p.code) for p in found.problems}
    theirs = _row_problems({**answers, "thoi_gian": answers["thoi_gian"].replace(",", ".")})
    refused = {name for name, code in theirs if code == "response_not_relevant"}
    # a question that does not apply is dropped whatever its answer (the reader checks its type)
    assert mine == {(name, code) for name, code in theirs if name not in refused}
    assert set(found.dropped) == refused
