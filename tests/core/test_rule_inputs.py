"""Rules declare their inputs (kind, unit, bounds, modes); ``check_inputs`` is the one check.

Issue 15: 150 % for "share of subordinate units inspected" was saved, and a percentage given
together with counts was resolved by silently ignoring the counts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex import (
    Choice,
    DeductionRule,
    InputError,
    InputSpec,
    Level,
    LevelsRule,
    PointsRule,
    ProportionalRule,
    Rule,
    RuleInputError,
    Step,
    ThresholdsRule,
    YesNoRule,
    check_inputs,
    load_methodology,
    rule_from_dict,
    score_leaf,
    shipped_methodologies,
)

D = Decimal
LEVELS = LevelsRule((Level("on_time", "Kịp thời", D(1)), Level("none", "Không", D(0))))
SHARE = ThresholdsRule((Step(D(90), False, D(2)), Step(D(70), True, D(1))))
PLAN = ThresholdsRule((Step(D(100), True, D(2)), Step(D(70), True, D(1))), over_plan=True)
TASKS = ProportionalRule(floor=D(90))
FIXED_SET = ProportionalRule(over_plan=False)
REMINDERS = DeductionRule(per_item=D("0.5"))

# rule, inputs, (field, kind) of the first problem; None: accepted.
TABLE: list[tuple[Rule, dict[str, object], tuple[str, str] | None]] = [
    (SHARE, {"percent": "150"}, ("percent", "input_above")),
    (SHARE, {"percent": "100.01"}, ("percent", "input_above")),
    (SHARE, {"percent": "-1"}, ("percent", "input_below")),
    (SHARE, {"percent": "abc"}, ("percent", "input_number")),
    (SHARE, {"percent": "100"}, None),
    (SHARE, {"percent": "0"}, None),
    (SHARE, {"percent": "95", "achieved": 3, "planned": 10}, ("percent", "input_both_modes")),
    (SHARE, {"percent": "95", "planned": 10}, ("percent", "input_both_modes")),
    (SHARE, {"percent": "", "achieved": 3, "planned": 10}, None),  # blank is not given
    (SHARE, {"achieved": 3, "planned": 2}, ("achieved", "input_over_plan")),
    (SHARE, {"achieved": 2, "planned": 2}, None),
    (SHARE, {"achieved": "1.5", "planned": 2}, ("achieved", "input_whole")),
    (SHARE, {"achieved": -1, "planned": 2}, ("achieved", "input_below")),
    (SHARE, {"achieved": 1, "planned": 0}, ("planned", "input_below")),
    (SHARE, {"achieved": 1, "planned": "2.5"}, ("planned", "input_whole")),
    (SHARE, {"achieved": 1}, ("planned", "input_missing")),
    (SHARE, {}, ("achieved", "input_missing")),
    (SHARE, {"points": "1"}, ("points", "input_unknown")),
    (PLAN, {"achieved": 12, "planned": 10}, None),  # over_plan: true
    (TASKS, {"achieved": 12, "planned": 10}, None),  # capped at the maximum by default
    (TASKS, {"achieved": "9.5", "planned": 10}, ("achieved", "input_whole")),
    (TASKS, {"achieved": 9, "planned": -10}, ("planned", "input_below")),
    (FIXED_SET, {"achieved": 12, "planned": 10}, ("achieved", "input_over_plan")),
    (FIXED_SET, {"achieved": 10, "planned": 10}, None),
    (REMINDERS, {"count": "2"}, None),
    (REMINDERS, {"count": "-1"}, ("count", "input_below")),
    (REMINDERS, {"count": "0,5"}, ("count", "input_whole")),
    (REMINDERS, {"count": None}, ("count", "input_missing")),
    (PointsRule(), {"points": "4.5"}, None),
    (PointsRule(), {"points": "4.51"}, ("points", "input_above")),
    (PointsRule(), {"points": "-0.5"}, ("points", "input_below")),
    (YesNoRule(), {"value": "đạt"}, None),
    (YesNoRule(), {"value": "maybe"}, ("value", "input_choice")),
    (LEVELS, {"level": "Kịp thời"}, None),
    (LEVELS, {"level": "none"}, None),
    (LEVELS, {"level": "soon"}, ("level", "input_choice")),
]


@pytest.mark.parametrize(("rule", "inputs", "refused"), TABLE)
def test_check_inputs_refuses_what_the_declarations_forbid(
    rule: Rule, inputs: dict[str, object], refused: tuple[str, str] | None
) -> None:
    problems = check_inputs(rule, inputs, D("4.5"))
    if refused is None:
        assert problems == []
        assert 0 <= rule.score(inputs, D("4.5")) <= D("4.5")
    else:
        first = problems[0]
        assert (first.location.column, first.code) == refused
        with pytest.raises(RuleInputError) as caught:
            rule.score(inputs, D("4.5"))
        assert (caught.value.field, caught.value.kind) == refused
        assert caught.value.detail == first.params["detail"]


def test_both_modes_name_both_and_neither_is_used() -> None:
    problem = check_inputs(SHARE, {"percent": "95", "achieved": 1, "planned": 10}, D(2))[0]
    assert problem.params["detail"] == "percent | achieved, planned"
    assert "not both" in problem.message


def test_bounds_are_details_for_the_shells() -> None:
    assert check_inputs(SHARE, {"percent": "150"}, D(2))[0].params["detail"] == "100"
    assert check_inputs(PointsRule(), {"points": "3"}, D("2.5"))[0].params["detail"] == "2.5"
    assert check_inputs(SHARE, {"achieved": 3, "planned": 2}, D(2))[0].params["detail"] == "2"
    assert check_inputs(LEVELS, {"level": "x"}, D(1))[0].params["detail"] == "on_time, none"
    unknown = check_inputs(REMINDERS, {"count": 1, "x": "1", "y": "2"}, D(1))
    assert [p.location.column for p in unknown] == ["x", "y"]


def test_every_rule_declares_its_inputs_and_modes() -> None:
    assert PointsRule().inputs(D(3)) == (InputSpec("points", "decimal", "points", D(0), D(3)),)
    percent, achieved, planned = SHARE.inputs(D(2))
    assert (percent.unit, percent.minimum, percent.maximum) == ("%", D(0), D(100))
    assert (achieved.kind, achieved.minimum, achieved.maximum) == ("whole", D(0), None)
    assert (planned.kind, planned.minimum) == ("whole", D(1))
    assert SHARE.modes() == (("percent",), ("achieved", "planned"))
    assert LEVELS.inputs(D(1))[0].choices == (
        Choice("on_time", "Kịp thời", D(1)),
        Choice("none", "Không", D(0)),
    )
    assert YesNoRule().inputs(D(1))[0].kind == "yesno"
    assert REMINDERS.inputs(D(1))[0] == InputSpec("count", "whole", "count", D(0))
    for rule in (PointsRule(), YesNoRule(), LEVELS, SHARE, TASKS, REMINDERS):
        assert [s.name for s in rule.inputs(D(1))] == list(rule.fields())
        assert {n for mode in rule.modes() for n in mode} == set(rule.fields())
    for no_counts in (PointsRule(), YesNoRule(), LEVELS, REMINDERS, SHARE):
        assert not no_counts.over_plan_allowed()
    assert TASKS.over_plan_allowed() and not FIXED_SET.over_plan_allowed()


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        ({"kind": "thresholds", "over_plan": True, "steps": [{"from": 0, "points": 1}]},
         ThresholdsRule((Step(D(0), True, D(1)),), over_plan=True)),
        ({"kind": "thresholds", "steps": [{"from": 0, "points": 1}]},
         ThresholdsRule((Step(D(0), True, D(1)),))),
        ({"kind": "proportional", "over_plan": False}, FIXED_SET),
        ({"kind": "proportional"}, ProportionalRule()),
    ],
)  # fmt: skip
def test_over_plan_is_read_from_the_methodology_and_round_trips(
    data: dict[str, Any], rule: Rule
) -> None:
    assert rule_from_dict(data) == rule
    assert rule_from_dict(rule.to_dict()) == rule
    assert ("over_plan" in rule.to_dict()) == ("over_plan" in data)


def test_the_description_says_when_over_plan_is_not_the_default() -> None:
    assert PLAN.describe().endswith("; achieved may pass planned")
    assert "planned" not in SHARE.describe()
    assert FIXED_SET.describe().endswith("; achieved not above planned")
    assert not TASKS.describe().endswith("planned")


def test_over_plan_must_be_true_or_false() -> None:
    with pytest.raises(ValueError, match="'over_plan' must be true or false"):
        rule_from_dict({"kind": "proportional", "over_plan": "yes"})


def test_the_shipped_share_of_units_inspected_refuses_150_percent_and_both_modes() -> None:
    m = load_methodology(shipped_methodologies()["example-commune"])
    for inputs, field in [
        ({"percent": "150"}, "percent"),
        ({"achieved": 3, "planned": 2}, "achieved"),
        ({"percent": "80", "achieved": 1, "planned": 2}, "percent"),
    ]:
        with pytest.raises(InputError) as caught:
            score_leaf(m, "1.3.2", inputs)
        problem = caught.value.problems[0]
        assert (problem.location.code, problem.location.column) == ("1.3.2", field)
        assert problem.code.startswith("input_")
    assert score_leaf(m, "1.3.2", {"achieved": 2, "planned": 2}) > 0


# Any input check_inputs accepts scores within [0, max].
RULES = st.sampled_from(
    [PointsRule(), YesNoRule(), LEVELS, SHARE, PLAN, TASKS, FIXED_SET, REMINDERS]
)
NUMBERS = st.one_of(
    st.integers(-5, 200),
    st.decimals(-5, 200, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "abc", "1,5", None]),
)
WORDS = st.sampled_from(["yes", "no", "có", "maybe", "on_time", "Không", "none", "soon", 1, 2])


@given(RULES, st.decimals(D("0.5"), 20, places=2), st.data())
def test_accepted_inputs_score_within_zero_and_the_maximum(
    rule: Rule, max_points: Decimal, data: st.DataObject
) -> None:
    inputs: dict[str, object] = {}
    for spec in rule.inputs(max_points):
        if data.draw(st.booleans()):
            words = spec.kind in ("yesno", "choice")
            inputs[spec.name] = data.draw(WORDS if words else NUMBERS)
    if check_inputs(rule, inputs, max_points) == [] and rule.check(max_points) == []:
        assert 0 <= rule.score(inputs, max_points) <= max_points
