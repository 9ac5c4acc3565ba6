"""Scoring rules, from the rubrics of real methodologies (shared/data) and every bad input."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from parindex import (
    DeductionRule,
    InputError,
    Level,
    LevelsRule,
    PointsRule,
    ProportionalRule,
    RuleInputError,
    Step,
    ThresholdsRule,
    YesNoRule,
    load_methodology,
    rule_from_dict,
    score_leaf,
    shipped_methodologies,
)

D = Decimal

# Cà Mau 1880/QĐ-UBND (2013), 1.1.1:
# "Ban hành kịp thời: 1 | Ban hành không kịp thời: 0,5 | Không ban hành: 0"
PLAN_ISSUED = LevelsRule(
    (
        Level("on_time", "Ban hành kịp thời", D(1)),
        Level("late", "Ban hành không kịp thời", D("0.5")),
        Level("none", "Không ban hành", D(0)),
    )
)
# Cà Mau 1.1.4: "Thực hiện trên 90% kế hoạch: 2 | từ 70% - 90%: 1 | Dưới 70%: 0"
PLAN_DONE = ThresholdsRule(
    (Step(D(90), False, D(2)), Step(D(70), True, D(1)), Step(D(0), True, D(0)))
)
# Xuân Lộc 244/PNV (2022), 4.1: 100 %: 1; 90–100 %: achieved / planned × 1; below 90 %: 0
COMMUNICATION = ProportionalRule(floor=D(90))


@pytest.mark.parametrize(
    ("rule", "values", "max_points", "expected"),
    [
        (PLAN_ISSUED, {"level": "on_time"}, "1", "1"),
        (PLAN_ISSUED, {"level": "late"}, "1", "0.5"),
        (PLAN_ISSUED, {"level": "Không ban hành"}, "1", "0"),  # the label works too
        (PLAN_DONE, {"percent": "95"}, "2", "2"),
        (PLAN_DONE, {"percent": "90.01"}, "2", "2"),
        (PLAN_DONE, {"percent": "90"}, "2", "1"),  # "trên 90%" excludes 90 itself
        (PLAN_DONE, {"percent": "70"}, "2", "1"),  # "từ 70%" includes 70
        (PLAN_DONE, {"percent": "69.99"}, "2", "0"),
        (PLAN_DONE, {"achieved": 9, "planned": 10}, "2", "1"),
        (PLAN_DONE, {"achieved": 19, "planned": 20}, "2", "2"),
        # The source's worked example of the formula, "4/5*1 = 0,8", is itself below its 90 % floor
        # (a published inconsistency): the formula gives 0.8, the rule as stated gives 0.
        (ProportionalRule(), {"achieved": 4, "planned": 5}, "1", "0.8"),
        (COMMUNICATION, {"achieved": 4, "planned": 5}, "1", "0"),
        (COMMUNICATION, {"achieved": 19, "planned": 20}, "1", "0.95"),
        (COMMUNICATION, {"achieved": 5, "planned": 5}, "1", "1"),
        (COMMUNICATION, {"achieved": 6, "planned": 5}, "1", "1"),  # capped at the maximum
        (COMMUNICATION, {"achieved": 9, "planned": 10}, "1", "0.9"),  # 90 % is "from 90 %"
        (COMMUNICATION, {"achieved": 8, "planned": 9}, "1", "0"),  # 88.9 % is below the floor
        (
            ProportionalRule(floor=D(90), floor_inclusive=False),
            {"achieved": 9, "planned": 10},
            "1",
            "0",
        ),
        (ProportionalRule(), {"achieved": 1, "planned": 4}, "4", "1"),
        (YesNoRule(), {"value": True}, "1", "1"),
        (YesNoRule(), {"value": "có"}, "1", "1"),
        (YesNoRule(), {"value": "Không"}, "1", "0"),
        (YesNoRule(), {"value": 0}, "1", "0"),
        (YesNoRule(yes=D("0.5"), no=D("0.25")), {"value": "yes"}, "1", "0.5"),
        (YesNoRule(yes=D("0.5"), no=D("0.25")), {"value": False}, "1", "0.25"),
        (PointsRule(), {"points": "11,5"}, "12", "11.5"),
        (PointsRule(), {"points": 12}, "12", "12"),
        (DeductionRule(per_item=D("0.5")), {"count": 3}, "4", "2.5"),
        (DeductionRule(per_item=D("0.5")), {"count": 0}, "4", "4"),
        (DeductionRule(per_item=D("0.5")), {"count": 10}, "4", "0"),  # never below the floor
        (DeductionRule(per_item=D(1), start=D(3), floor=D(1)), {"count": 5}, "4", "1"),
    ],
)
def test_rules_score_the_published_rubrics(
    rule: Any, values: dict[str, object], max_points: str, expected: str
) -> None:
    assert rule.score(values, D(max_points)) == D(expected)


@pytest.mark.parametrize(
    ("rule", "values", "field"),
    [
        (PointsRule(), {}, "points"),
        (PointsRule(), {"points": None}, "points"),
        (PointsRule(), {"points": "abc"}, "points"),
        (PointsRule(), {"points": "13"}, "points"),
        (PointsRule(), {"points": "-1"}, "points"),
        (PLAN_ISSUED, {"level": "sometimes"}, "level"),
        (PLAN_ISSUED, {}, "level"),
        (PLAN_DONE, {}, "achieved"),
        (PLAN_DONE, {"percent": "-5"}, "percent"),
        (PLAN_DONE, {"percent": "100.01"}, "percent"),
        (PLAN_DONE, {"achieved": 1, "planned": 0}, "planned"),
        (PLAN_DONE, {"achieved": -1, "planned": 3}, "achieved"),
        (COMMUNICATION, {"achieved": 1, "planned": 0}, "planned"),
        (COMMUNICATION, {"achieved": -1, "planned": 3}, "achieved"),
        (YesNoRule(), {"value": "maybe"}, "value"),
        (YesNoRule(), {"value": 2}, "value"),
        (DeductionRule(), {"count": "1.5"}, "count"),
        (DeductionRule(), {"count": -1}, "count"),
    ],
)
def test_bad_input_names_the_field(rule: Any, values: dict[str, object], field: str) -> None:
    with pytest.raises(RuleInputError) as caught:
        rule.score(values, D(12))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (LevelsRule(()), "at least one level"),
        (LevelsRule((Level("a", "A", D(1)), Level("a", "B", D(0)))), "used twice"),
        (LevelsRule((Level("a", "A", D(3)),)), "outside"),
        (ThresholdsRule(()), "at least one step"),
        (ThresholdsRule((Step(D(70), True, D(1)), Step(D(90), True, D(2)))), "highest first"),
        (ThresholdsRule((Step(D(70), True, D(5)),)), "outside"),
        (YesNoRule(yes=D(3)), "outside"),
        (ProportionalRule(floor=D(120)), "outside [0, 100]"),
        (DeductionRule(per_item=D(0)), "above 0"),
        (DeductionRule(per_item=D(1), start=D(5)), "floor"),
    ],
)
def test_rule_checks_report_unsound_rules(rule: Any, message: str) -> None:
    problems = rule.check(D(2))
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    "rule",
    [
        PointsRule(),
        YesNoRule(),
        YesNoRule(yes=D("0.5")),
        PLAN_ISSUED,
        PLAN_DONE,
        COMMUNICATION,
        DeductionRule(per_item=D("0.25")),
        DeductionRule(per_item=D(1), start=D(1)),
    ],
)
def test_rules_round_trip_through_plain_data(rule: Any) -> None:
    assert rule_from_dict(rule.to_dict()) == rule
    assert rule.check(D(2)) == []
    assert rule.describe()
    assert rule.fields()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "magic"}, "unknown rule kind"),
        ({}, "unknown rule kind"),
        ({"kind": "levels"}, "'levels' must be a list"),
        ({"kind": "levels", "levels": ["x"]}, "level 1 must have"),
        ({"kind": "levels", "levels": [{"key": "a"}]}, "needs 'points'"),
        ({"kind": "thresholds"}, "'steps' must be a list"),
        ({"kind": "thresholds", "steps": [{"points": 1}]}, "exactly one of"),
        ({"kind": "thresholds", "steps": [{"from": 1, "above": 2, "points": 1}]}, "exactly one of"),
        ({"kind": "thresholds", "steps": [{"from": "x", "points": 1}]}, "'from'"),
        ({"kind": "deduction"}, "needs 'per_item'"),
    ],
)
def test_rule_data_errors_say_what_is_wrong(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rule_from_dict(data)


def test_score_leaf_rounds_to_the_methodology_places() -> None:
    m = load_methodology(shipped_methodologies()["example-commune"])
    assert score_leaf(m, "1.4.1", {"achieved": 19, "planned": 20}) == D("0.95")
    assert score_leaf(m, "1.5.1", {"achieved": 2, "planned": 3}) == D("2.67")
    assert score_leaf(m, "1.1.4", {"percent": 90}) == D("1.00")


def test_score_leaf_names_the_leaf_and_field_on_bad_input() -> None:
    m = load_methodology(shipped_methodologies()["example-commune"])
    with pytest.raises(InputError) as caught:
        score_leaf(m, "1.4.1", {"achieved": 4, "planned": 0})
    problem = caught.value.problems[0]
    assert problem.location.code == "1.4.1" and problem.location.column == "planned"
    with pytest.raises(InputError, match="not a leaf"):
        score_leaf(m, "1.4", {})
    with pytest.raises(InputError, match="not a leaf"):
        score_leaf(m, "9.9", {})


def test_a_percentage_below_every_step_scores_zero() -> None:
    rule = ThresholdsRule((Step(D(50), True, D(1)),))
    assert rule.score({"percent": 10}, D(1)) == 0


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Ban hành kịp thời", "on_time"),
        ("  ban hành   KỊP THỜI ", "on_time"),
        (unicodedata.normalize("NFD", "Ban hành kịp thời"), "on_time"),  # decomposed
        ("late", "late"),
        ("LATE", "late"),
        ("Đúng hạn", None),
        ("", None),
    ],
)
def test_a_level_is_found_by_its_label_or_its_key(typed: str, key: str | None) -> None:
    assert PLAN_ISSUED.inputs(D(1))[0].key_of(typed) == key


def test_a_levels_label_is_found_by_its_key() -> None:
    level = PLAN_ISSUED.inputs(D(1))[0]
    assert level.label_of("late") == "Ban hành không kịp thời"
    assert level.label_of("gone") == "gone"
