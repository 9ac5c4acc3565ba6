"""Mandatory evidence: a leaf whose documents are a condition of the sign-off, read from YAML and
the interchange CSV, written back, and validated (only on an appraisal leaf naming evidence)."""

from __future__ import annotations

import pytest

from parindex import (
    Methodology,
    MethodologyError,
    Node,
    Source,
    YesNoRule,
    methodology_to_dict,
    parse_methodology_csv,
    parse_methodology_yaml,
    validate,
)

from .helpers import D

YAML = """
id: t
name: "Thử"
nodes:
  - code: "1"
    name: "Chỉ đạo"
    max_points: 3
    children:
      - {code: "1.1", name: "Kế hoạch", max_points: 1, rule: {kind: yes_no},
         evidence: "Kế hoạch CCHC", evidence_mandatory: true}
      - {code: "1.2", name: "Báo cáo", max_points: 1, rule: {kind: yes_no},
         evidence: "Báo cáo", evidence_mandatory: false}
      - {code: "1.3", name: "Kiểm tra", max_points: 1, rule: {kind: yes_no}, evidence: "Biên bản"}
"""

CSV = """code,parent,name,max_points,rule,evidence,evidence_mandatory
1,,Chỉ đạo,2,,,
1.1,1,Kế hoạch,1,"{""kind"": ""yes_no""}",Kế hoạch CCHC,TRUE
1.2,1,Báo cáo,1,"{""kind"": ""yes_no""}",Báo cáo,
"""


def test_yaml_marks_the_leaves_whose_evidence_is_mandatory() -> None:
    m = parse_methodology_yaml(YAML)
    assert m.evidence_required == ("1.1", "1.2", "1.3")
    assert m.evidence_mandatory == ("1.1",)
    assert [n.evidence_mandatory for n in m.leaves] == [True, False, False]
    assert validate(m) == []


@pytest.mark.parametrize("value", ["có", "1", "'true'"])
def test_yaml_refuses_a_flag_that_is_not_true_or_false(value: str) -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml(
            YAML.replace("evidence_mandatory: true", f"evidence_mandatory: {value}")
        )
    problem = caught.value.problems[0]
    assert problem.location.column == "nodes[0].children[0].evidence_mandatory"
    assert problem.message == "expected true or false"


def test_the_csv_column_reads_true_false_or_empty() -> None:
    m = parse_methodology_csv(CSV, "m.csv")
    assert m.evidence_mandatory == ("1.1",)
    assert parse_methodology_csv(CSV.replace("TRUE", "false"), "m.csv").evidence_mandatory == ()


def test_the_csv_refuses_another_value_naming_the_cell() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_csv(CSV.replace("TRUE", "có"), "m.csv")
    problem = caught.value.problems[0]
    assert (problem.location.row, problem.location.column) == (3, "evidence_mandatory")
    assert problem.message == "'có' is neither true nor false"


def test_a_methodology_without_the_column_has_no_mandatory_evidence() -> None:
    csv = "\n".join(line.rsplit(",", 1)[0] for line in CSV.splitlines())
    assert parse_methodology_csv(csv, "m.csv").evidence_mandatory == ()


def test_the_flag_is_written_only_where_it_is_set_and_reads_back() -> None:
    m = parse_methodology_yaml(YAML)
    leaves = methodology_to_dict(m)["nodes"][0]["children"]
    assert [leaf.get("evidence_mandatory") for leaf in leaves] == [True, None, None]


def _tree(**leaf: object) -> Methodology:
    return Methodology(
        "t",
        "T",
        (
            Node("1", None, "F", D(1)),
            Node("1.1", "1", "L", D(1), rule=YesNoRule(), **leaf),  # type: ignore[arg-type]
        ),
    )


@pytest.mark.parametrize(
    "leaf",
    [
        pytest.param({"evidence_mandatory": True}, id="no evidence named"),
        pytest.param({"evidence_mandatory": True, "evidence": "  "}, id="blank evidence"),
        pytest.param(
            {"evidence_mandatory": True, "evidence": "E", "source": Source.SURVEY}, id="survey"
        ),
    ],
)
def test_validation_allows_the_flag_only_on_an_appraisal_leaf_naming_evidence(
    leaf: dict[str, object],
) -> None:
    m = _tree(**leaf)
    assert m.evidence_mandatory == ()
    assert [(p.location.code, p.message) for p in validate(m)] == [
        ("1.1", "evidence_mandatory is only for a leaf scored by appraisal that names its evidence")
    ]


def test_validation_flags_a_branch_marked_mandatory() -> None:
    m = Methodology(
        "t",
        "T",
        (
            Node("1", None, "F", D(1), evidence="E", evidence_mandatory=True),
            Node("1.1", "1", "L", D(1), rule=YesNoRule()),
        ),
    )
    assert [p.location.code for p in validate(m)] == ["1"]
    assert _tree(evidence="E", evidence_mandatory=True).evidence_mandatory == ("1.1",)
