"""A survey methodology as data: answer values, factors, weights, the overall index, rounding.

The file format (YAML; the shipped default is ``data/surveys/sipas-default.yaml``)::

    id: sipas-default            # the methodology's id
    name: / name_en:             # Vietnamese and English names
    assumptions: true            # the definitions are the project's assumptions, not official
    scale: [1, 2, 3, 4, 5]       # the valid answer values; anything else is not a valid answer
    satisfied: [4, 5]            # the values counted as satisfied (a subset of scale)
    places: 2                    # decimals of published figures (per cent)
    rounding: half_up            # or half_even
    min_answers: 30              # fewer valid answers than this: the figure is flagged
    confidence: 0.95             # of the Wald interval
    margin: 0.05                 # e of the sample-size planner n = N / (1 + N·e²)
    aspects: [{code, name, name_en}]
    factors: [{code, aspect, weight, name, name_en}]
    overall: {code, name, name_en}   # the weighted combination of the factors

:func:`load_survey_methodology` reads and checks it; every problem is a :class:`SurveyError`
naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Any

from ..decimals import Rounding, parse_decimal
from ..errors import Location, ParindexError, Problem
from ..inputs import decode, load_yaml, read_bytes

__all__ = [
    "Factor",
    "SurveyError",
    "SurveyMethodology",
    "load_survey_methodology",
    "parse_survey_methodology",
    "shipped_survey_methodology",
]

SHIPPED = "sipas-default"


class SurveyError(ParindexError):
    """A survey methodology, questionnaire (XLSForm) or response file is malformed."""


@dataclass(frozen=True)
class Factor:
    """One factor: its code, aspect, weight in the overall index and names."""

    code: str
    aspect: str
    weight: Decimal
    name: str
    name_en: str


@dataclass(frozen=True)
class SurveyMethodology:
    """How answers become indices (see the module docstring for each field)."""

    id: str
    name: str
    name_en: str
    assumptions: bool
    scale: tuple[str, ...]
    satisfied: frozenset[str]
    places: int
    rounding: Rounding
    min_answers: int
    confidence: Decimal
    margin: Decimal
    aspects: tuple[tuple[str, str, str], ...]
    factors: tuple[Factor, ...]
    overall: str
    overall_name: str

    @property
    def z(self) -> float:
        """The normal quantile of the two-sided interval (1.959963984540054 at 95 %)."""
        return NormalDist().inv_cdf(0.5 + float(self.confidence) / 2)

    def factor(self, code: str) -> Factor | None:
        """The factor ``code``, or ``None``."""
        return next((f for f in self.factors if f.code == code), None)


class _Reader:
    """Reads fields of one mapping, collecting problems that name the field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, field: str, expected: str) -> None:
        self.problems.append(
            Problem.of(
                "survey_field", Location(self.file, column=field), field=field, expected=expected
            )
        )

    def text(self, data: dict[str, Any], key: str, field: str) -> str:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.fail(field, "a non-empty text")
        return ""

    def number(
        self, data: dict[str, Any], key: str, field: str, low: Decimal, high: Decimal
    ) -> Decimal:
        try:
            value = parse_decimal(data.get(key))
        except ValueError:
            value = Decimal(-1)
        if low < value <= high:
            return value
        self.fail(field, f"a number greater than {low} and at most {high}")
        return high

    def whole(self, data: dict[str, Any], key: str, field: str, low: int, high: int) -> int:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.fail(field, f"a whole number from {low} to {high}")
        return low

    def items(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return value
        self.fail(key, "a list of mappings")
        return []

    def values(self, data: dict[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if isinstance(value, list) and value and all(isinstance(v, int | str) for v in value):
            return tuple(str(v) for v in value)
        self.fail(key, "a list of answer values")
        return ()


def parse_survey_methodology(text: str, file: str) -> SurveyMethodology:
    """The survey methodology in the YAML ``text``; :class:`SurveyError` lists every problem."""
    data = load_yaml(text, file, SurveyError)
    if not isinstance(data, dict):
        raise SurveyError(
            Problem.of("survey_field", Location(file), field="(file)", expected="a mapping")
        )
    read = _Reader(file)
    scale = read.values(data, "scale")
    satisfied = read.values(data, "satisfied")
    if not set(satisfied) <= set(scale):
        read.fail("satisfied", "values of the scale")
    rounding = data.get("rounding", "half_up")
    if rounding not in {r.value for r in Rounding}:
        read.fail("rounding", "half_up or half_even")
        rounding = "half_up"
    aspects = tuple(
        (
            read.text(a, "code", f"aspects[{i}].code"),
            read.text(a, "name", f"aspects[{i}].name"),
            str(a.get("name_en", "")),
        )
        for i, a in enumerate(read.items(data, "aspects"), start=1)
    )
    factors = _factors(read, data, {code for code, _n, _e in aspects})
    given = data.get("overall")
    overall: dict[str, Any] = given if isinstance(given, dict) else {}
    result = SurveyMethodology(
        id=read.text(data, "id", "id"),
        name=read.text(data, "name", "name"),
        name_en=str(data.get("name_en", "")),
        assumptions=data.get("assumptions") is True,
        scale=scale,
        satisfied=frozenset(satisfied),
        places=read.whole(data, "places", "places", 0, 6),
        rounding=Rounding(rounding),
        min_answers=read.whole(data, "min_answers", "min_answers", 1, 1_000_000),
        confidence=read.number(data, "confidence", "confidence", Decimal(0), Decimal("0.999")),
        margin=read.number(data, "margin", "margin", Decimal(0), Decimal("0.5")),
        aspects=aspects,
        factors=factors,
        overall=read.text(overall, "code", "overall.code"),
        overall_name=read.text(overall, "name", "overall.name"),
    )
    if result.overall in {f.code for f in factors}:
        read.fail("overall.code", "a code other than the factors'")
    if read.problems:
        raise SurveyError(read.problems)
    return result


def _factors(read: _Reader, data: dict[str, Any], aspects: set[str]) -> tuple[Factor, ...]:
    factors: list[Factor] = []
    for i, item in enumerate(read.items(data, "factors"), start=1):
        field = f"factors[{i}]"
        factor = Factor(
            code=read.text(item, "code", f"{field}.code"),
            aspect=read.text(item, "aspect", f"{field}.aspect"),
            weight=read.number(item, "weight", f"{field}.weight", Decimal(-1), Decimal(1000)),
            name=read.text(item, "name", f"{field}.name"),
            name_en=str(item.get("name_en", "")),
        )
        if factor.aspect not in aspects:
            read.fail(f"{field}.aspect", "the code of an aspect")
        if factor.weight < 0:
            read.fail(f"{field}.weight", "a weight of at least 0")
        if any(f.code == factor.code for f in factors):
            read.fail(f"{field}.code", "a code given once")
        factors.append(factor)
    if factors and not any(f.weight > 0 for f in factors):
        read.fail("factors", "at least one factor weighing more than 0")
    return tuple(factors)


def load_survey_methodology(path: str | Path) -> SurveyMethodology:
    """The survey methodology in the YAML file ``path``."""
    file = str(path)
    return parse_survey_methodology(
        decode(read_bytes(path, file, SurveyError), file, SurveyError), file
    )


def shipped_survey_methodology() -> SurveyMethodology:
    """The SIPAS default shipped with the package (``data/surveys/sipas-default.yaml``)."""
    data = resources.files("parindex") / "data" / "surveys" / f"{SHIPPED}.yaml"
    return parse_survey_methodology(data.read_text(encoding="utf-8"), f"{SHIPPED}.yaml")
