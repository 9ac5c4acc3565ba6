"""The survey methodology as data: the shipped SIPAS default and every refused field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex.decimals import Rounding
from parindex.surveys import SurveyError, load_survey_methodology, shipped_survey_methodology
from parindex.surveys.definitions import parse_survey_methodology

SHIPPED = Path(__file__).resolve().parents[3] / "src/parindex/data/surveys/sipas-default.yaml"


def test_the_shipped_default_has_the_five_service_factors_and_the_policy_aspect() -> None:
    m = shipped_survey_methodology()
    assert m.assumptions is True
    assert [a[0] for a in m.aspects] == ["policy", "service"]
    service = [f.code for f in m.factors if f.aspect == "service"]
    assert service == ["access", "procedures", "civil_servants", "results", "feedback"]
    assert len([f for f in m.factors if f.aspect == "policy"]) == 4
    assert m.scale == ("1", "2", "3", "4", "5") and m.satisfied == {"4", "5"}
    assert (m.places, m.rounding, m.min_answers, m.overall) == (2, Rounding.HALF_UP, 30, "sipas")
    assert all(f.weight == 1 for f in m.factors)
    assert m.z == pytest.approx(1.959963984540054, abs=1e-15)
    assert m.factor("access") is not None and m.factor("nope") is None


def test_the_shipped_file_says_the_formula_is_an_assumption_and_cites_its_sources() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert "ASSUMPTIONS" in text and "NOT in the public sources" in text
    assert "1001/QĐ-BNV" in text and "2640/QĐ-BNV" in text and "https://" in text


def test_a_file_on_disk_loads_as_the_shipped_one_does(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    assert load_survey_methodology(path) == shipped_survey_methodology()


def _changed(**changes: object) -> str:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return yaml.safe_dump(data, allow_unicode=True)


def _problems(text: str) -> list[tuple[str | None, str]]:
    with pytest.raises(SurveyError) as caught:
        parse_survey_methodology(text, "s.yaml")
    return [(p.location.column, p.params["expected"]) for p in caught.value.problems]


FACTOR = {"code": "a", "aspect": "service", "weight": 1, "name": "A"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": ""}, [("id", "a non-empty text")]),
        ({"name": None}, [("name", "a non-empty text")]),
        (
            {"scale": []},
            [("scale", "a list of answer values"), ("satisfied", "values of the scale")],
        ),
        ({"satisfied": [5, 6]}, [("satisfied", "values of the scale")]),
        ({"rounding": "up"}, [("rounding", "half_up or half_even")]),
        ({"places": 7}, [("places", "a whole number from 0 to 6")]),
        ({"places": True}, [("places", "a whole number from 0 to 6")]),
        ({"min_answers": 0}, [("min_answers", "a whole number from 1 to 1000000")]),
        ({"confidence": 1}, [("confidence", "a number greater than 0 and at most 0.999")]),
        ({"margin": "x"}, [("margin", "a number greater than 0 and at most 0.5")]),
        (
            {"aspects": "service"},
            [("aspects", "a list of mappings")]
            + [(f"factors[{i}].aspect", "the code of an aspect") for i in range(1, 10)],
        ),
        (
            {"factors": [FACTOR, {**FACTOR, "weight": -0.5}]},
            [
                ("factors[2].weight", "a weight of at least 0"),
                ("factors[2].code", "a code given once"),
            ],
        ),
        (
            {"factors": [{**FACTOR, "weight": 0}]},
            [("factors", "at least one factor weighing more than 0")],
        ),
        (
            {"factors": [{**FACTOR, "aspect": "x"}]},
            [("factors[1].aspect", "the code of an aspect")],
        ),
        (
            {"overall": {"code": "a", "name": "O"}, "factors": [FACTOR]},
            [("overall.code", "a code other than the factors'")],
        ),
        (
            {"overall": None},
            [("overall.code", "a non-empty text"), ("overall.name", "a non-empty text")],
        ),
    ],
)
def test_each_bad_field_is_named(
    changes: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert _problems(_changed(**changes)) == expected


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(SurveyError) as caught:
        parse_survey_methodology("- 1\n", "s.yaml")
    assert caught.value.problems[0].code == "survey_field"
    assert str(caught.value.problems[0]) == "s.yaml: (file) must be a mapping"


def test_a_missing_rounding_is_half_up() -> None:
    m = parse_survey_methodology(_changed(rounding=None), "s.yaml")
    assert m.rounding == Rounding.HALF_UP and m.confidence == Decimal("0.95")
