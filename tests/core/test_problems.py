"""Problems carry a stable code and its params; the messages live in one table, in two languages."""

from __future__ import annotations

import io
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from parindex import InputError, Location, Methodology, ParindexError, Problem, Source, read_scores
from parindex.inputs import decode
from parindex.messages import MESSAGES

from .helpers import branch, leaf, xlsx

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_code_has_an_english_and_a_vietnamese_message_naming_the_same_values(
    code: str,
) -> None:
    message = MESSAGES[code]
    assert message.en and message.vi
    assert placeholders(message.vi) <= placeholders(message.en) | ALSO_GIVEN.get(code, set())


# Params given with the code that the English does not show (its reason already quotes them).
ALSO_GIVEN = {"not_a_number": {"value"}}


def test_every_code_of_the_table_is_documented_and_every_documented_code_exists() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))
    in_place = {code for code in documented if code.startswith(("input_", "appendix_", "file"))}
    assert documented - in_place == set(MESSAGES)


def test_a_problem_is_built_from_its_code_and_params_and_reads_as_before() -> None:
    problem = Problem.of("too_large", Location("a.csv"), limit=20)
    assert (problem.code, problem.params) == ("too_large", {"limit": "20"})
    assert problem.message == "the file is larger than 20 MB"
    assert str(problem) == "a.csv: the file is larger than 20 MB"
    assert problem.text() == problem.message
    assert problem.text("vi") == "tệp lớn hơn 20 MB"
    assert str(ParindexError(problem)) == "a.csv: the file is larger than 20 MB"


def test_a_problem_without_a_table_entry_keeps_its_own_words_in_every_language() -> None:
    problem = Problem("the value is odd", code="input_whole", params={"detail": ""})
    assert problem.text("vi") == problem.text() == "the value is odd"
    assert hash(problem) == hash(Problem("the value is odd", code="input_whole"))


def test_utf16_that_does_not_decode_names_no_guess() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xdc", "f.csv")
    problem = caught.value.problems[0]
    assert (problem.code, problem.params) == ("encoding", {"byte": "4"})
    assert problem.message == "the file is not UTF-8 (byte 4 is not valid); save it as UTF-8"


TREE = Methodology(
    id="t",
    name="T",
    nodes=(
        branch("1", None, "10"),
        leaf("1.1", "1", "4", source=Source.APPRAISAL),
        leaf("1.2", "1", "6", source=Source.SURVEY),
    ),
)


def test_read_scores_checks_each_row_of_an_upload_against_units_and_sources() -> None:
    upload = io.BytesIO(
        b"unit,code,points\n"
        b"A,1.2,5\n"
        b",1.2,1\n"
        b"Z,1.2,1\n"
        b"A,9,1\n"
        b"A,1,1\n"
        b"A,1.1,2\n"
        b"B,1.2,abc\n"
        b"B,1.2,7\n"
        b"A,1.2,6\n"
    )
    with pytest.raises(InputError) as caught:
        read_scores(upload, TREE, file="points.csv", units={"A", "B"}, appraisal=False)
    found = [
        (p.location.row, p.location.column, p.code, p.text("vi")) for p in caught.value.problems
    ]
    assert found == [
        (3, "unit", "unit_empty", "đơn vị để trống"),
        (4, "unit", "unknown_unit", "đơn vị 'Z' không có trong danh sách"),
        (5, "code", "unknown_code", "mã '9' không có trong bộ tiêu chí"),
        (
            6,
            "code",
            "not_a_leaf",
            "'1' không phải tiêu chí lá; hãy cho điểm các tiêu chí con của nó",
        ),
        (
            7,
            "code",
            "appraisal_leaf",
            "'1.1' được chấm qua thẩm định, không lấy từ điều tra hay dữ liệu",
        ),
        (8, "points", "not_a_number", "'abc' không phải là số"),
        (9, "points", "points_outside", "điểm 7 nằm ngoài khoảng [0, 6] của 1.2"),
        (10, "code", "duplicate_row", "đơn vị 'A' và mã '1.2' bị nhập hai lần (lần đầu ở dòng 2)"),
    ]
    assert all(p.location.file == "points.csv" for p in caught.value.problems)


def test_read_scores_reads_a_workbook_stream_and_refuses_one_without_rows() -> None:
    book = xlsx(["unit", "code", "points"], ["A", "1.1", 3], ["A", "1.2", 5.5])
    assert read_scores(io.BytesIO(book), TREE, file="p.xlsx") == {
        "A": {"1.1": Decimal(3), "1.2": Decimal("5.5")}
    }
    with pytest.raises(InputError) as caught:
        read_scores(io.BytesIO(b"unit,code,points\n"), TREE, file="p.csv")
    assert [(p.code, str(p)) for p in caught.value.problems] == [
        ("no_rows", "p.csv: the file has no score rows")
    ]
