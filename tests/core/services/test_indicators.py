"""The Decision 766 indicators as data: the shipped file, its checks, and the score."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from parindex.services.indicators import (
    IndicatorError,
    load_indicators,
    score,
    shipped_indicators_text,
)

D = Decimal


def test_the_shipped_file_has_24_indicators_in_six_groups_of_100_points() -> None:
    shipped = load_indicators()
    assert [(g.id, g.maximum) for g in shipped.groups] == [
        ("publicity", 18),
        ("progress", 20),
        ("online", 12),
        ("digitisation", 22),
        ("satisfaction", 18),
        ("payment", 10),
    ]
    assert len(shipped.indicators) == 24
    assert [i.source_portal for i in shipped.indicators] == list(range(1, 25))
    for group in shipped.groups:  # the maxima the sources give add up to each group's maximum
        given = [i.maximum or 0 for i in shipped.indicators if i.group == group.id]
        assert sum(given) == group.maximum
    assert {i.id for i in shipped.indicators if i.computed} == {"on_time", "online_submission"}
    on_time = shipped["on_time"]
    assert (on_time.maximum, on_time.rule, on_time.source_document) == (
        D(20),
        "proportional",
        "2.1",
    )
    online = shipped["online_submission"]
    assert (online.maximum, online.rule, online.threshold) == (None, "threshold", D("0.5"))
    assert online.assumption and "ASSUMPTION" in shipped_indicators_text()


def test_a_maximum_the_sources_do_not_give_is_configurable() -> None:
    configured = load_indicators(maxima={"online_submission": "4"})
    assert configured["online_submission"].maximum == D(4)
    with pytest.raises(IndicatorError) as caught:
        load_indicators(maxima={"no_such": 1, "on_time": -1})
    assert [(p.location.code, p.code) for p in caught.value.problems] == [
        ("no_such", "indicator_field"),
        ("on_time", "indicator_field"),
    ]


@pytest.mark.parametrize(
    ("indicator", "numerator", "denominator", "expected"),
    [
        # proportional: 20 × 7/9 = 15.555… → 15.56; the rate 77.777…% → 77.78
        ("on_time", 7, 9, (D("77.78"), D("15.56"))),
        ("on_time", 9, 9, (D("100.00"), D("20.00"))),
        ("on_time", 0, 4, (D("0.00"), D("0.00"))),
        ("on_time", 0, 0, (None, None)),
        # threshold 90 %: 6 × 0.81 / 0.9 = 5.4; at or over 90 % full points
        ("dossier_satisfaction", 81, 100, (D("81.00"), D("5.40"))),
        ("dossier_satisfaction", 95, 100, (D("95.00"), D("6.00"))),
        ("dossier_satisfaction", 0, 0, (None, D(0))),  # the portal: denominator 0 → 0
        ("petition_on_time", 0, 0, (None, D(6))),  # the portal: denominator 0 → 6
        ("online_submission", 1, 3, (D("33.33"), None)),  # no maximum given
        ("online_submission", 0, 0, (None, None)),
        ("online_payment", 1, 2, (D("50.00"), None)),  # composite: not from one rate
        ("petition_staff", 1, 8, (D("12.50"), None)),  # monitoring only
    ],
)
def test_scores_follow_the_rule_of_the_file(
    indicator: str, numerator: int, denominator: int, expected: tuple[D | None, D | None]
) -> None:
    assert score(load_indicators()[indicator], numerator, denominator) == expected


def test_rounding_is_half_up_on_the_exact_value() -> None:
    configured = load_indicators(maxima={"online_submission": 1})
    # 1 × (1/8) / 0.5 = 0.25 exactly; 1/8 = 12.5 % exactly.
    assert score(configured["online_submission"], 1, 8) == (D("12.50"), D("0.25"))
    # 20 × 1/16 = 1.25; 20 × 1/32 = 0.625 → 0.63 (half-up, not half-even)
    assert score(configured["on_time"], 1, 32) == (D("3.13"), D("0.63"))


def _edited(change: dict[str, object], index: int = 4) -> str:
    data = yaml.safe_load(shipped_indicators_text())
    data["indicators"][index].update(change)
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rule": "linear"}, "rule"),
        ({"group": "nowhere"}, "group"),
        ({"name_en": ""}, "name_en"),
        ({"maximum": -1}, "maximum"),
        ({"maximum": "many"}, "maximum"),
        ({"maximum": True}, "maximum"),
        ({"rule": "threshold"}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"when_empty": "always"}, "when_empty"),
        ({"computed": "yes"}, "computed"),
        ({"source_portal": "5"}, "source_portal"),
        ({"assumption": 3}, "assumption"),
    ],
)
def test_each_bad_field_is_named_with_its_indicator(change: dict[str, object], field: str) -> None:
    with pytest.raises(IndicatorError) as caught:
        load_indicators(_edited(change), "mine.yaml")
    [problem] = caught.value.problems
    assert (problem.location.file, problem.location.code, problem.location.column) == (
        "mine.yaml",
        "on_time",
        field,
    )
    assert problem.code == "indicator_field"
    assert problem.text("vi").startswith(field + " phải là ")


def test_an_indicator_given_twice_is_refused() -> None:
    with pytest.raises(IndicatorError) as caught:
        load_indicators(_edited({"id": "publish_on_time"}), "mine.yaml")
    assert [p.code for p in caught.value.problems] == ["indicator_twice"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[1, 2]", "the file"),
        ("groups: []\nindicators: 3\n", "the file"),
        ("groups: [3]\nindicators: []\n", "groups"),
        ("groups: [{id: g, name_vi: G, name_en: G}]\nindicators: []\n", "maximum"),
        ("groups: []\nindicators: [x]\n", "indicators"),
    ],
)
def test_a_malformed_file_is_refused(text: str, field: str) -> None:
    with pytest.raises(IndicatorError) as caught:
        load_indicators(text, "mine.yaml")
    assert caught.value.problems[0].params["field"] == field


def test_a_file_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(IndicatorError) as caught:
        load_indicators("groups: [", "mine.yaml")
    assert caught.value.problems[0].code == "yaml"
