"""One registry of rule kinds; each rule describes its inputs and its text as data (issue 16.7).

The shells build forms, workbook cells, pages and demo data from these descriptions, never from
the rule's class: so every registered kind must round-trip through plain data, say its text in
phrases the shells can translate, and declare bounds that the one check enforces.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import (
    RULE_KINDS,
    RULE_TEXTS,
    Choice,
    DeductionRule,
    InputSpec,
    Level,
    LevelsRule,
    Phrase,
    PointsRule,
    ProportionalRule,
    Rule,
    Step,
    ThresholdsRule,
    YesNoRule,
    check_inputs,
    rule_from_dict,
)

D = Decimal
points = st.decimals(min_value=0, max_value=10, places=2)
percents = st.decimals(min_value=0, max_value=100, places=1)
keys = st.text("abcdefgh_", min_size=1, max_size=8)
labels = st.text(min_size=1, max_size=20).filter(str.strip)

# One strategy per registered kind: a kind added to the core without one fails the test below.
STRATEGIES: dict[str, st.SearchStrategy[Rule]] = {
    "points": st.just(PointsRule()),
    "yes_no": st.builds(YesNoRule, yes=st.none() | points, no=points),
    "levels": st.lists(st.tuples(keys, labels, points), min_size=1, max_size=4).map(
        lambda items: LevelsRule(tuple(Level(k, lb, p) for k, lb, p in items))
    ),
    "thresholds": st.builds(
        ThresholdsRule,
        steps=st.lists(st.builds(Step, percents, st.booleans(), points), max_size=3).map(tuple),
        over_plan=st.booleans(),
    ),
    "proportional": st.builds(
        ProportionalRule, floor=percents, floor_inclusive=st.booleans(), over_plan=st.booleans()
    ),
    "deduction": st.builds(
        DeductionRule,
        per_item=st.decimals(min_value="0.25", max_value=5, places=2),
        start=st.none() | points,
        floor=points,
    ),
}
rules = st.sampled_from(sorted(STRATEGIES)).flatmap(lambda kind: STRATEGIES[kind])
# The CPUs are shared (CI, parallel runs): time is no measure here.
relaxed = settings(deadline=None)


def test_the_registry_holds_every_kind_under_its_name_in_the_order_defined() -> None:
    assert list(RULE_KINDS) == [
        "points",
        "yes_no",
        "levels",
        "thresholds",
        "proportional",
        "deduction",
    ]
    assert all(cls.kind == kind for kind, cls in RULE_KINDS.items())
    assert set(STRATEGIES) == set(RULE_KINDS)


def test_an_unknown_kind_is_refused_naming_the_registered_kinds() -> None:
    with pytest.raises(ValueError, match="expected one of: points, yes_no, levels, thresholds"):
        rule_from_dict({"kind": "magic"})
    with pytest.raises(ValueError, match="unknown rule kind 3"):
        rule_from_dict({"kind": 3})


@relaxed
@given(rules)
def test_every_registered_kind_round_trips_through_plain_data(rule: Rule) -> None:
    data = rule.to_dict()
    assert type(rule) is RULE_KINDS[data["kind"]]
    assert rule_from_dict(data) == rule
    assert rule_from_dict(data).to_dict() == data


@relaxed
@given(rules)
def test_every_rule_says_its_text_in_phrases_with_an_english_line(rule: Rule) -> None:
    phrases = rule.text()
    assert all(phrase.code in RULE_TEXTS for phrase in phrases)
    assert rule.describe().startswith(" | ".join(p.english() for p in phrases))


@relaxed
@given(rules, st.decimals(min_value=1, max_value=10, places=2))
def test_every_described_input_accepts_its_bounds_and_refuses_beyond(
    rule: Rule, max_points: Decimal
) -> None:
    specs = {spec.name: spec for spec in rule.inputs(max_points)}
    for (name,) in (mode for mode in rule.modes() if len(mode) == 1):
        spec = specs[name]
        if not spec.numeric:
            for choice in spec.choices:
                assert check_inputs(rule, {name: choice.key}, max_points) == []
            assert check_inputs(rule, {name: "not a choice"}, max_points)
            continue
        for bound, step in ((spec.minimum, D("-0.5")), (spec.maximum, D("0.5"))):
            if bound is not None:
                assert check_inputs(rule, {name: bound}, max_points) == []
                assert check_inputs(rule, {name: bound + step * 2}, max_points)


@relaxed
@given(rules, st.decimals(min_value=1, max_value=10, places=2))
def test_counts_accept_a_plan_met_and_refuse_a_plan_of_nothing(
    rule: Rule, max_points: Decimal
) -> None:
    if ("achieved", "planned") in rule.modes():
        assert check_inputs(rule, {"achieved": 4, "planned": 4}, max_points) == []
        assert check_inputs(rule, {"achieved": 0, "planned": 0}, max_points)


@pytest.mark.parametrize(
    ("rule", "english"),
    [
        (PointsRule(), "points given directly"),
        (YesNoRule(), "yes: max; no: 0"),
        (YesNoRule(yes=D("0.50"), no=D("0.25")), "yes: 0.5; no: 0.25"),
        (LevelsRule((Level("a", "Đạt", D(1)), Level("b", "Không", D(0)))), "Đạt: 1 | Không: 0"),
        (
            ThresholdsRule((Step(D(90), False, D(2)), Step(D(70), True, D(1))), over_plan=True),
            "> 90 %: 2 | ≥ 70 %: 1; achieved may pass planned",
        ),
        (ProportionalRule(floor=D(90)), "achieved / planned × max when ≥ 90 %, else 0"),
        (
            ProportionalRule(floor=D(90), floor_inclusive=False, over_plan=False),
            "achieved / planned × max when > 90 %, else 0; achieved not above planned",
        ),
        (DeductionRule(per_item=D("0.25")), "max − 0.25 per item, not below 0"),
        (DeductionRule(D(1), start=D(2), floor=D(1)), "2 − 1 per item, not below 1"),
    ],
)
def test_the_english_line_reads_the_phrases(rule: Rule, english: str) -> None:
    assert rule.describe() == english


def test_phrases_carry_numbers_labels_signs_and_the_maximum_for_the_shells() -> None:
    assert YesNoRule().text() == (Phrase("yes_no", {"yes": None, "no": D(0)}),)
    assert LevelsRule((Level("a", "Đạt", D(1)),)).text() == (
        Phrase("level", {"label": "Đạt", "points": D(1)}),
    )
    step = ThresholdsRule((Step(D(50), True, D(1)),)).text()[0]
    assert step.params == {"sign": True, "minimum": D(50), "points": D(1)}


def test_a_levels_input_offers_each_level_with_its_points() -> None:
    rule = LevelsRule((Level("on_time", "Kịp thời", D(1)), Level("late", "Muộn", D("0.5"))))
    (spec,) = rule.inputs(D(1))
    assert spec.choices == (Choice("on_time", "Kịp thời", D(1)), Choice("late", "Muộn", D("0.5")))
    assert not spec.numeric
    assert spec.key_of(" muộn ") == "late"
    assert spec.label_of("late") == "Muộn"


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Có", "yes"), ("đạt", "yes"), ("x", "yes"), (True, "yes"), ("KHÔNG", "no"), (0, "no")],
)
def test_a_yes_no_input_reads_the_words_the_check_accepts(typed: object, key: str) -> None:
    (spec,) = YesNoRule().inputs(D(1))
    assert spec.key_of(typed) == key
    assert check_inputs(YesNoRule(), {"value": typed}, D(1)) == []


def test_a_yes_no_input_names_nothing_for_other_words() -> None:
    (spec,) = YesNoRule().inputs(D(1))
    assert spec.key_of("maybe") is None
    assert [c.key for c in spec.choices] == ["yes", "no"]
    assert spec.label_of("yes") == "yes"


def test_a_number_input_has_no_choices_to_name() -> None:
    spec = InputSpec("points", "decimal", "points", D(0), D(2))
    assert spec.numeric
    assert spec.key_of("1") is None
