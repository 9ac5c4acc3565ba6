"""Differences between last year's methodology and a new one; the YAML they are kept in."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from hypothesis import given, settings

from parindex import (
    Band,
    Decision,
    DifferenceKind,
    Methodology,
    Node,
    PointsRule,
    Source,
    YesNoRule,
    diff_methodologies,
    load_methodology,
    methodology_to_yaml,
    parse_methodology_yaml,
    shipped_methodologies,
)

from .test_appendix import rich_methodologies

D = Decimal
K = DifferenceKind

OLD = Methodology(
    "old",
    "2025",
    (
        Node("1", None, "Công tác chỉ đạo", D(3)),
        Node("1.1", "1", "Kế hoạch CCHC", D(2), rule=YesNoRule(), evidence="Kế hoạch"),
        Node("1.2", "1", "Báo cáo", D(1), rule=PointsRule()),
        Node("2", None, "Tuyên truyền", D(2), rule=PointsRule()),
    ),
)
NEW = Methodology(
    "new",
    "2026",
    (
        Node("1", None, "Công tác chỉ đạo", D(4)),
        Node("1.1", "1", "Kế hoạch CCHC năm", D(3), rule=PointsRule(), evidence="Kế hoạch"),
        Node("1.3", "1", "Kiểm tra", D(1), rule=PointsRule()),
        Node("3", None, "Hiện đại hoá", D(1)),
        Node("2", "3", "Tuyên truyền", D(1), rule=PointsRule(), evidence="Ảnh"),
    ),
)


def test_a_worked_pair_lists_every_difference_in_order() -> None:
    found = [(d.kind, d.code) for d in diff_methodologies(OLD, NEW)]
    assert found == [
        (K.MAX_CHANGED, "1"),
        (K.RENAMED, "1.1"),
        (K.MAX_CHANGED, "1.1"),
        (K.RULE_CHANGED, "1.1"),
        (K.ADDED, "1.3"),
        (K.ADDED, "3"),
        (K.MOVED, "2"),
        (K.MAX_CHANGED, "2"),
        (K.EVIDENCE_CHANGED, "2"),
        (K.REMOVED, "1.2"),
    ]
    assert [str(d) for d in diff_methodologies(OLD, NEW)] == [
        "max_changed 1: '3' → '4'",
        "renamed 1.1: 'Kế hoạch CCHC' → 'Kế hoạch CCHC năm'",
        "max_changed 1.1: '2' → '3'",
        "rule_changed 1.1: 'yes: max; no: 0' → 'points given directly'",
        "added 1.3: Kiểm tra",
        "added 3: Hiện đại hoá",
        "moved 2: '-' → '3'",
        "max_changed 2: '2' → '1'",
        "evidence_changed 2: '' → 'Ảnh'",
        "removed 1.2: Báo cáo",
    ]


def test_a_leaf_that_becomes_a_parent_changes_its_rule() -> None:
    (change,) = diff_methodologies(
        OLD,
        dataclasses.replace(
            OLD,
            nodes=(
                *OLD.nodes[:3],
                dataclasses.replace(OLD.nodes[3], rule=None),
            ),
        ),
    )
    assert (change.kind, str(change)) == (
        K.RULE_CHANGED,
        "rule_changed 2: 'points given directly' → '-'",
    )


def test_the_same_tree_has_no_differences_whatever_its_metadata() -> None:
    assert diff_methodologies(OLD, dataclasses.replace(OLD, id="x", name="y", places=3)) == ()


def test_the_shipped_methodologies_are_written_as_yaml_that_reads_back() -> None:
    for path in shipped_methodologies().values():
        m = load_methodology(path)
        assert parse_methodology_yaml(methodology_to_yaml(m), "x.yaml") == m


def test_metadata_decision_and_bands_are_written() -> None:
    m = dataclasses.replace(
        OLD,
        unit_type="province",
        valid_from=2026,
        decision=Decision("876/QĐ-BNV", date(2022, 11, 10), "Bộ Nội vụ"),
        bands=(Band("A", D(90)), Band("B", D(0))),
        total_points=D(5),
        example=True,
        nodes=(
            *OLD.nodes[:3],
            dataclasses.replace(OLD.nodes[3], source=Source.SURVEY, name_en="P"),
        ),
    )
    text = methodology_to_yaml(m)
    assert "number: 876/QĐ-BNV" in text and "date: 2022-11-10" in text
    assert parse_methodology_yaml(text, "x.yaml") == m


@settings(max_examples=30, deadline=None)
@given(rich_methodologies())
def test_any_methodology_reads_back_from_its_yaml(m: Methodology) -> None:
    assert parse_methodology_yaml(methodology_to_yaml(m), "x.yaml") == m
