"""A methodology read from a decision's appendix table (STT, criterion, maximum, evidence, scoring)."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import (
    DeductionRule,
    Level,
    LevelsRule,
    Methodology,
    MethodologyError,
    Node,
    PointsRule,
    ProportionalRule,
    Source,
    Step,
    ThresholdsRule,
    YesNoRule,
    methodology_to_table,
    parse_appendix_table,
    read_appendix_table,
    validate,
    write_appendix_xlsx,
)
from parindex.appendix import scoring_rule, scoring_text

from .helpers import xlsx
from .strategies import methodologies

D = Decimal
HEAD = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Tài liệu kiểm chứng"]
SCORING = "Cách chấm điểm"


WORKED = xlsx(
    ["PHỤ LỤC – VÍ DỤ: BỘ TIÊU CHÍ (điểm số là ví dụ)"],
    [],
    [*HEAD, SCORING, "Ghi chú"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 7, None, None, None],
    ["1", "Kế hoạch CCHC năm", 5, None, None, None],
    [
        "1.1",
        "Ban hành kế hoạch CCHC năm",
        1,
        "Kế hoạch CCHC năm",
        "Ban hành kịp thời: 1 | Ban hành không kịp thời: 0,5 | Không ban hành: 0",
        None,
    ],
    ["1.2", "Xác định đầy đủ các nhiệm vụ", 1, None, "Đạt yêu cầu: 1\nKhông đạt yêu cầu: 0", None],
    [
        "1.3",
        "Mức độ thực hiện kế hoạch CCHC",
        2,
        "Báo cáo kết quả",
        "- Thực hiện trên 90% kế hoạch: 2 điểm\n- Thực hiện từ 70% - 90% kế hoạch: 1 điểm\n"
        "- Dưới 70% kế hoạch: 0 điểm",
        None,
    ],
    [
        "1.4",
        "Mức độ thực hiện kế hoạch tuyên truyền",
        1,
        None,
        "Hoàn thành 100% kế hoạch: 1 | Hoàn thành 90% -100% kế hoạch: điểm = số mục tiêu đã "
        "hoàn thành / số mục tiêu đề ra x 1 điểm (ví dụ 4/5*1 = 0,8 điểm) | Hoàn thành dưới "
        "90%: 0",
        None,
    ],
    ["2", "Báo cáo CCHC", 2, None, None, None],
    ["2.1", "Báo cáo đúng hạn", 1.5, "Các báo cáo", None, "kèm công văn"],
    [None, "Đủ số lượng và đúng thời gian", 1.5, None, None, None],
    [None, "Không đủ hoặc không đúng thời gian", 0, "Sổ công văn", None, None],
    ["2.2", "Chất lượng báo cáo", 0.5, None, "Hội đồng xem xét", None],
    ["Tổng cộng", None, 7, None, None, None],
    ["Ghi chú: các điểm số trên là ví dụ."],
)


def test_a_worked_appendix_table_becomes_the_tree_with_its_rules() -> None:
    m = read_appendix_table(WORKED, "phu-luc.xlsx")
    assert [(n.code, n.parent, n.max_points) for n in m.nodes] == [
        ("I", None, 7),
        ("1", "I", 5),
        ("1.1", "1", 1),
        ("1.2", "1", 1),
        ("1.3", "1", 2),
        ("1.4", "1", 1),
        ("2", "I", 2),
        ("2.1", "2", D("1.5")),
        ("2.2", "2", D("0.5")),
    ]
    assert m.id == "phu-luc" and m.name.startswith("PHỤ LỤC – VÍ DỤ")
    assert m.total_points == 7
    by = m.by_code
    assert by["1.1"].rule == LevelsRule(
        (
            Level("ban-hanh-kip-thoi", "Ban hành kịp thời", D(1)),
            Level("ban-hanh-khong-kip-thoi", "Ban hành không kịp thời", D("0.5")),
            Level("khong-ban-hanh", "Không ban hành", D(0)),
        )
    )
    assert by["1.1"].evidence == "Kế hoạch CCHC năm"
    assert by["1.2"].rule == YesNoRule()
    assert by["1.3"].rule == ThresholdsRule(
        (Step(D(90), False, D(2)), Step(D(70), True, D(1)), Step(D(0), True, D(0)))
    )
    assert by["1.4"].rule == ProportionalRule(floor=D(90))
    # Scoring lines in the rows below a leaf (no STT) are its levels; their evidence joins it.
    assert by["2.1"].rule == YesNoRule()
    assert by["2.1"].evidence == "Các báo cáo\nSổ công văn"
    assert by["2.1"].note == "kèm công văn"
    # A text that states no rule: the appraiser gives points, and the text is kept in the note.
    assert by["2.2"].rule == PointsRule() and by["2.2"].note == "Hội đồng xem xét"
    assert validate(m) == []


def test_english_headers_and_a_level_column_are_read_too() -> None:
    m = parse_appendix_table(
        [
            (1, ["No.", "Criterion", "Maximum points", "Level", "Source", "Evidence"]),
            (2, ["A", "Direction", "3", "Field", "", ""]),
            (3, ["A1", "Plan", "2", "2", "", "the plan"]),
            (4, ["A2", "Survey of citizens", "1", "criterion", "Điều tra XHH", ""]),
        ],
        "en.xlsx",
    )
    assert [(n.code, n.parent) for n in m.nodes] == [("A", None), ("A1", "A"), ("A2", "A")]
    assert m.by_code["A2"].source is Source.SURVEY
    assert m.by_code["A1"].rule == PointsRule() and m.total_points is None


def problems(*rows: list[str], head: list[str] | None = None) -> list[tuple[int | None, str, str]]:
    """(row, column, kind) of every problem of a table with ``head`` and ``rows``."""
    table = [(1, head or HEAD[:3]), *((n, row) for n, row in enumerate(rows, start=2))]
    with pytest.raises(MethodologyError) as caught:
        parse_appendix_table(table, "t.xlsx")
    return [(p.location.row, p.location.column or "", p.code) for p in caught.value.problems]


def test_every_problem_is_reported_with_its_row_and_column_in_row_order() -> None:
    found = problems(
        ["1", "Lĩnh vực 1", "10"],
        ["1.1", "Tiêu chí 1.1", "4"],
        ["1.1.1", "", "x"],
        ["1.1", "Tiêu chí lặp", "3"],
        ["2", "Lĩnh vực 2", "5"],
        ["2.1.1", "Tiêu chí thành phần", "5"],
        ["3.1", "Đánh số sai", "0"],
        ["Tổng", "", "20"],
    )
    assert found == [
        (2, "Điểm tối đa", "appendix_sum"),
        (4, "Điểm tối đa", "appendix_max_number"),
        (4, "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "appendix_name"),
        (5, "STT", "appendix_duplicate"),
        (7, "STT", "appendix_level_skip"),
        (8, "Điểm tối đa", "appendix_max_positive"),
        (8, "STT", "appendix_numbering"),
        (9, "Điểm tối đa", "appendix_total"),
    ]


@pytest.mark.parametrize(
    ("rows", "message", "detail"),
    [
        (
            [["1", "A", "10"], ["1.1", "B", "4"]],
            "t.xlsx, row 2, column 'Điểm tối đa', node 1: the maximum 10 differs from the sum "
            "of its children's maxima 4",
            "10|4",
        ),
        (
            [["1", "A", "1"], ["Tổng cộng", "", "2"]],
            "t.xlsx, row 3, column 'Điểm tối đa': the declared total 2 differs from the sum of "
            "the fields' maxima 1",
            "2|1",
        ),
        (
            [["1", "A", "1"], ["1", "B", "1"]],
            "t.xlsx, row 3, column 'STT', node 1: STT 1 is used twice (first in row 2)",
            "1|2",
        ),
        (
            [["1", "A", "1"], ["1.1.1", "B", "1"]],
            "t.xlsx, row 3, column 'STT', node 1.1.1: 1.1.1 is a level-3 row directly under a "
            "level-1 row; a level-2 row is missing between them",
            "1.1.1|3|1",
        ),
        (
            [["1.1", "B", "1"]],
            "t.xlsx, row 2, column 'STT', node 1.1: 1.1 is a level-2 row directly under a "
            "level-0 row; a level-1 row is missing between them",
            "1.1|2|0",
        ),
        (
            [["1", "A", "mười"]],
            "t.xlsx, row 2, column 'Điểm tối đa', node 1: the maximum 'mười' is not a number",
            "mười",
        ),
        (
            [["1", "A", ""]],
            "t.xlsx, row 2, column 'Điểm tối đa', node 1: the maximum '(empty)' is not a number",
            "",
        ),
        (
            [["1", "", "1"]],
            "t.xlsx, row 2, column 'Lĩnh vực/Tiêu chí/Tiêu chí thành phần', node 1: the name "
            "is empty",
            "",
        ),
        (
            [["a)", "A", "1"]],
            "t.xlsx, row 2, column 'STT', node a): STT 'a)' is not a numbering like 1, 1.1, "
            "1.1.1 or I, II",
            "a)",
        ),
        (
            [["", "Dòng không có STT", "1"]],
            "t.xlsx, row 2, column 'STT': the STT is empty",
            "",
        ),
    ],
)
def test_each_problem_has_its_message_and_detail(
    rows: list[list[str]], message: str, detail: str
) -> None:
    table = [(1, HEAD[:3]), *((n, row) for n, row in enumerate(rows, start=2))]
    with pytest.raises(MethodologyError) as caught:
        parse_appendix_table(table, "t.xlsx")
    assert [(str(p), p.params["detail"]) for p in caught.value.problems] == [(message, detail)]


def test_the_level_column_is_checked_against_the_numbering_and_its_words() -> None:
    head = [*HEAD[:3], "Cấp", "Nguồn điểm", SCORING]
    assert problems(
        ["1", "A", "2", "1", "", ""],
        ["1.1", "B", "1", "3", "", ""],
        ["1.2", "C", "1", "cao", "", ""],
        ["a)", "D", "1", "", "", ""],
        head=head,
    ) == [
        (3, "Cấp", "appendix_level_mismatch"),
        (4, "Cấp", "appendix_level"),
        (5, "STT", "appendix_code"),
    ]


def test_sources_rules_and_names_are_checked() -> None:
    head = [*HEAD[:3], "Nguồn điểm", SCORING, "Tên tiếng Anh"]
    assert problems(
        ["1", "A", "4", "", "", ""],
        ["1.1", "B", "1", "báo chí", "", ""],
        ["1.2", "C", "1", "", '{"kind": "nope"}', ""],
        ["1.3", "D", "1", "", "[1, 2]", ""],
        ["1.4", "E", "1", "", "Tốt: 2 | Khá: 1 | Kém: 0", "bad\x01name"],
        ["1.5\x02", "F", "1", "", "", ""],
        head=head,
    ) == [
        (3, "Nguồn điểm", "appendix_source"),
        (4, "Cách chấm điểm", "appendix_rule"),
        (5, "Cách chấm điểm", "appendix_rule"),
        (6, "Tên tiếng Anh", "name_control"),
        (6, "Cách chấm điểm", "appendix_rule"),
        (7, "STT", "name_control"),
    ]


def test_a_table_without_its_header_or_rows_is_refused() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_appendix_table([(1, ["a", "b"]), (2, ["1", "x"])], "t.xlsx")
    assert caught.value.problems[0].code == "appendix_no_header"
    assert "STT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần, Điểm tối đa" in str(caught.value)
    with pytest.raises(MethodologyError) as caught:
        parse_appendix_table([(1, ["STT", "Nội dung"])], "t.xlsx")
    problem = caught.value.problems[0]
    assert (problem.code, problem.params["detail"], problem.location.row) == (
        "appendix_missing_column",
        "Điểm tối đa",
        1,
    )
    with pytest.raises(MethodologyError) as caught:
        parse_appendix_table([(4, HEAD), (5, ["", "", ""])], "t.xlsx")
    assert caught.value.problems[0].code == "appendix_empty"


def test_a_total_row_without_a_number_declares_no_total() -> None:
    m = parse_appendix_table([(1, HEAD), (2, ["1", "A", "1"]), (3, ["", "Tổng cộng", ""])])
    assert m.total_points is None and m.id == "<table>"
    # A scoring text on a parent is kept in its note (only leaves have rules).
    m = parse_appendix_table(
        [(1, [*HEAD, SCORING]), (2, ["1", "A", "1", "", "Theo kết quả"]), (3, ["1.1", "B", "1"])]
    )
    assert m.by_code["1"].note == "Theo kết quả" and m.by_code["1"].rule is None


MAX = D(2)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Chấm điểm trực tiếp", PointsRule()),
        ("Trừ 0,5 điểm cho mỗi báo cáo chậm", DeductionRule(per_item=D("0.5"))),
        ('{"kind": "deduction", "per_item": "1", "floor": "1"}', DeductionRule(floor=D(1))),
        (
            "Dưới 50%: 0 | Từ 50%: 1 | Trên 80%: 2",
            ThresholdsRule(
                (Step(D(80), False, D(2)), Step(D(50), True, D(1)), Step(D(0), True, D(0)))
            ),
        ),
        ("Không có: 0 | Có (2 điểm)", YesNoRule()),
        ("Có: 1,5 | Chưa có: 0", YesNoRule(yes=D("1.5"))),
        ("Tốt: 2 | Tốt: 1", LevelsRule((Level("tot", "Tốt", D(2)), Level("tot-2", "Tốt", D(1))))),
        ("!!: 2 | ??: 1", LevelsRule((Level("level", "!!", D(2)), Level("level-2", "??", D(1))))),
        ("Đạt: 2", None),
        ("Theo đánh giá của Hội đồng", None),
        ("Đạt: 2 | Hội đồng xem xét", None),
        ("   ", None),
        ("Trừ 1 điểm", None),
    ],
)
def test_scoring_texts_are_read_as_rules(text: str, rule: object) -> None:
    assert scoring_rule(text, MAX) == rule


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (PointsRule(), "Chấm điểm trực tiếp"),
        (YesNoRule(), "Đạt: 2 | Không đạt: 0"),
        (YesNoRule(yes=D(1), no=D("0.5")), "Đạt: 1 | Không đạt: 0,5"),
        (LevelsRule((Level("cao", "Cao", D(2)), Level("thap", "Thấp", D(1)))), "Cao: 2 | Thấp: 1"),
        (
            ThresholdsRule((Step(D(90), False, D(2)), Step(D(0), True, D(0)))),
            "Trên 90%: 2 | Từ 0%: 0",
        ),
        (ProportionalRule(), "Số đã hoàn thành / số đề ra × điểm tối đa: 2"),
        (
            ProportionalRule(floor=D("87.5")),
            "Số đã hoàn thành / số đề ra × điểm tối đa: 2 | Dưới 87,5%: 0",
        ),
        (DeductionRule(per_item=D("0.25")), "Trừ 0,25 điểm cho mỗi trường hợp"),
        # What the words cannot say is written as the rule's JSON.
        (YesNoRule(yes=D(2)), '{"kind": "yes_no", "no": "0", "yes": "2"}'),
        (
            ThresholdsRule((Step(D(50), True, D(2)),), over_plan=True),
            '{"kind": "thresholds", "over_plan": true, "steps": [{"from": "50", "points": "2"}]}',
        ),
        (
            LevelsRule((Level("a", "{x", D(2)), Level("b", "y", D(1)))),
            '{"kind": "levels", "levels": [{"key": "a", "label": "{x", "points": "2"}, '
            '{"key": "b", "label": "y", "points": "1"}]}',
        ),
    ],
)
def test_rules_are_written_as_texts_that_read_back(rule: object, text: str) -> None:
    assert scoring_text(rule, MAX) == text  # type: ignore[arg-type]
    assert scoring_rule(text, MAX) == rule


def test_a_methodology_is_written_as_a_table_with_its_total() -> None:
    m = Methodology(
        "m",
        "M",
        (
            Node("1", None, "A", D(3), source=Source.SURVEY),
            Node("1.1", "1", "B", D(3), rule=YesNoRule(), evidence="E", note="N"),
        ),
        total_points=D(3),
    )
    table = methodology_to_table(m)
    assert table[0][:5] == [*HEAD, SCORING]
    assert table[1][:7] == ["1", "A", D(3), "", "", "Lĩnh vực", "Điều tra xã hội học"]
    assert table[2][:7] == ["1.1", "B", D(3), "E", "Đạt: 3 | Không đạt: 0", "Tiêu chí", ""]
    assert table[3][:3] == ["Tổng cộng", "", D(3)]


def test_the_level_column_names_the_levels_in_vietnamese_and_numbers_those_below() -> None:
    codes = ["1", "1.1", "1.1.1", "1.1.1.1"]
    nodes = tuple(
        Node(code, codes[i - 1] if i else None, f"N{code}", D(1)) for i, code in enumerate(codes)
    )
    table = methodology_to_table(Methodology("m", "M", nodes))
    level = table[0].index("Cấp")
    assert [row[level] for row in table[1:]] == ["Lĩnh vực", "Tiêu chí", "Tiêu chí thành phần", "4"]
    rows = [(n, [str(c) for c in row]) for n, row in enumerate(table, start=1)]
    again = parse_appendix_table(rows, "m.xlsx")
    assert [n.code for n in again.nodes] == codes


RULES = st.sampled_from(
    [
        PointsRule(),
        YesNoRule(),
        YesNoRule(yes=D("0.25"), no=D(0)),
        LevelsRule((Level("cao", "Cao", D("0.25")), Level("khong", "Không", D(0)))),
        LevelsRule(
            (Level("x", "Khác", D("0.25")), Level("y", "Y", D("0.1")), Level("z", "Z", D(0)))
        ),
        ThresholdsRule((Step(D(90), False, D("0.25")), Step(D(0), True, D(0)))),
        ThresholdsRule((Step(D(50), True, D("0.25")),), over_plan=True),
        ProportionalRule(floor=D(80)),
        ProportionalRule(over_plan=False),
        DeductionRule(per_item=D("0.1")),
        DeductionRule(per_item=D("0.1"), start=D("0.2"), floor=D("0.1")),
    ]
)
TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=30
).map(lambda t: unicodedata.normalize("NFC", "T" + t.strip()))


@st.composite
def rich_methodologies(draw: st.DrawFn) -> Methodology:
    """A valid tree with names, evidence, notes, sources and rules of every kind on leaves."""
    m = draw(methodologies())
    nodes = []
    for node in m.nodes:
        leaf = m.is_leaf(node.code)
        nodes.append(
            dataclasses.replace(
                node,
                name=draw(TEXT),
                evidence=draw(st.one_of(st.just(""), TEXT)),
                note=draw(st.one_of(st.just(""), TEXT)),
                source=draw(st.sampled_from([None, *Source])),
                rule=draw(RULES) if leaf else None,
            )
        )
    total = draw(st.sampled_from([None, m.max_total]))
    return dataclasses.replace(m, name="Ví dụ", nodes=tuple(nodes), total_points=total)


@settings(max_examples=40, deadline=None)
@given(rich_methodologies())
def test_a_methodology_written_as_a_table_and_read_back_is_the_same_tree(m: Methodology) -> None:
    out = io.BytesIO()
    write_appendix_xlsx(m, out)
    back = read_appendix_table(out.getvalue(), "vi-du.xlsx")
    assert back.nodes == m.nodes
    assert (back.name, back.total_points) == ("Ví dụ", m.total_points)
    assert validate(back) == []
