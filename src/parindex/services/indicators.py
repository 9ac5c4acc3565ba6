"""The Decision 766 indicators as data: groups, maxima, thresholds and scoring rules, and the score.

:func:`load_indicators` reads the shipped file ``data/services/qd766-indicators.yaml`` (built
from third-party transcriptions of the portal and of the formula document; see its header) or a
file of the same form, and checks it. :func:`score` turns a numerator and a denominator into the
rate (per cent) and the points of one indicator, exactly, rounded half-up to 2 places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from typing import Any

from ..decimals import quantize
from ..errors import InputError, Location, Problem
from ..inputs import load_yaml

__all__ = [
    "RULES",
    "Group",
    "Indicator",
    "IndicatorError",
    "Indicators",
    "load_indicators",
    "score",
    "shipped_indicators_text",
]

RULES = ("proportional", "threshold", "composite", "monitoring", "undetermined")
WHEN_EMPTY = ("maximum", "zero")
SHIPPED = "qd766-indicators.yaml"
PLACES = 2


class IndicatorError(InputError):
    """An indicator file is malformed: every problem, each naming the indicator and field."""


@dataclass(frozen=True)
class Group:
    """One group of indicators and its maximum points."""

    id: str
    name_vi: str
    name_en: str
    maximum: Decimal


@dataclass(frozen=True)
class Indicator:
    """One indicator: its group, names, maximum (``None``: not given), rule and threshold."""

    id: str
    group: str
    name_vi: str
    name_en: str
    maximum: Decimal | None
    rule: str
    threshold: Decimal | None = None
    when_empty: str | None = None
    computed: bool = False
    source_portal: int | None = None
    source_document: str | None = None
    metric_code: str | None = None
    assumption: str | None = None


@dataclass(frozen=True)
class Indicators:
    """The groups and the indicators, in the file's order."""

    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]

    def __getitem__(self, indicator: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator)


def shipped_indicators_text() -> str:
    """The text of the shipped indicator file."""
    path = resources.files("parindex") / "data" / "services" / SHIPPED
    return path.read_text(encoding="utf-8")


class _Reader:
    """Reads the fields of one mapping, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, code: str | None, data: Mapping[str, Any]) -> None:
        self.file, self.code, self.data = file, code, data
        self.problems: list[Problem] = []

    def _bad(self, name: str, expected: str) -> None:
        where = Location(self.file, column=name, code=self.code)
        self.problems.append(Problem.of("indicator_field", where, field=name, expected=expected))

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self._bad(name, "text")
            return None
        return value.strip()

    def number(self, name: str, *, low: Decimal, high: Decimal | None = None) -> Decimal | None:
        value = self.data.get(name)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number < low or (high is not None and number > high):
            limit = f"a number from {low}" + (f" to {high}" if high is not None else "")
            self._bad(name, limit)
            return None
        return number

    def choice(self, name: str, choices: tuple[str, ...], *, required: bool = True) -> str | None:
        value = self.data.get(name)
        if value is None and not required:
            return None
        if value not in choices:
            self._bad(name, "one of: " + ", ".join(choices))
            return None
        return str(value)


def _group(file: str, data: Any, problems: list[Problem]) -> Group | None:
    if not isinstance(data, dict):
        problems.append(
            Problem.of(
                "indicator_field", Location(file), field="groups", expected="a list of mappings"
            )
        )
        return None
    read = _Reader(file, str(data.get("id")), data)
    group = Group(
        str(read.text("id")),
        str(read.text("name_vi")),
        str(read.text("name_en")),
        read.number("maximum", low=Decimal(0)) or Decimal(0),
    )
    if "maximum" not in data:
        read._bad("maximum", "a number from 0")
    problems += read.problems
    return None if read.problems else group


def _indicator(file: str, data: Any, groups: set[str], problems: list[Problem]) -> Indicator | None:
    if not isinstance(data, dict):
        problems.append(
            Problem.of(
                "indicator_field", Location(file), field="indicators", expected="a list of mappings"
            )
        )
        return None
    read = _Reader(file, str(data.get("id")), data)
    identity = read.text("id")
    group = read.choice("group", tuple(sorted(groups)))
    rule = read.choice("rule", RULES)
    threshold = read.number("threshold", low=Decimal("0.01"), high=Decimal(1))
    if rule == "threshold" and threshold is None and "threshold" not in data:
        read._bad("threshold", "a number from 0.01 to 1")
    source_portal = data.get("source_portal")
    if source_portal is not None and (
        isinstance(source_portal, bool) or not isinstance(source_portal, int)
    ):
        read._bad("source_portal", "a whole number")
    computed = data.get("computed", False)
    if not isinstance(computed, bool):
        read._bad("computed", "true or false")
    indicator = Indicator(
        id=str(identity),
        group=str(group),
        name_vi=str(read.text("name_vi")),
        name_en=str(read.text("name_en")),
        maximum=read.number("maximum", low=Decimal(0)),
        rule=str(rule),
        threshold=threshold,
        when_empty=read.choice("when_empty", WHEN_EMPTY, required=False),
        computed=bool(computed),
        source_portal=source_portal,
        source_document=read.text("source_document", required=False),
        metric_code=read.text("metric_code", required=False),
        assumption=read.text("assumption", required=False),
    )
    problems += read.problems
    return None if read.problems else indicator


def load_indicators(
    text: str | None = None,
    file: str = SHIPPED,
    *,
    maxima: Mapping[str, Decimal | int | str] | None = None,
) -> Indicators:
    """Read and check an indicator file (the shipped one when ``text`` is ``None``).

    ``maxima`` sets or replaces the maximum of indicators by id (the configurable part: the
    sources give no maximum for some). Raises :class:`IndicatorError` with every problem.
    """
    if text is None:
        text = shipped_indicators_text()
    data = load_yaml(text, file, IndicatorError)
    problems: list[Problem] = []
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("groups"), list)
        or not isinstance(data.get("indicators"), list)
    ):
        raise IndicatorError(
            Problem.of(
                "indicator_field",
                Location(file),
                field="the file",
                expected="a mapping with the lists groups and indicators",
            )
        )
    groups = [g for g in (_group(file, item, problems) for item in data["groups"]) if g]
    known = {g.id for g in groups}
    indicators: list[Indicator] = []
    for item in data["indicators"]:
        indicator = _indicator(file, item, known, problems)
        if indicator is None:
            continue
        if any(i.id == indicator.id for i in indicators):
            where = Location(file, code=indicator.id)
            problems.append(Problem.of("indicator_twice", where, indicator=indicator.id))
        indicators.append(indicator)
    for identity, value in (maxima or {}).items():
        read = _Reader("maxima", identity, {"maximum": value})
        maximum = read.number("maximum", low=Decimal(0))
        place = next((n for n, i in enumerate(indicators) if i.id == identity), None)
        if place is None:
            where = Location("maxima", code=identity)
            problems.append(
                Problem.of(
                    "indicator_field", where, field=identity, expected="an indicator of the file"
                )
            )
        elif maximum is not None:
            indicators[place] = replace(indicators[place], maximum=maximum)
        problems += read.problems
    if problems:
        raise IndicatorError(problems)
    return Indicators(tuple(groups), tuple(indicators))


def score(
    indicator: Indicator, numerator: int, denominator: int
) -> tuple[Decimal | None, Decimal | None]:
    """The rate in per cent and the points of ``indicator`` for ``numerator / denominator``.

    Both are exact before rounding half-up to 2 places; the points come from the unrounded rate.
    The rate is ``None`` when the denominator is 0; the points are then ``when_empty`` (the
    maximum, 0, or ``None``). The points are ``None`` when the indicator has no maximum or its
    rule gives no points from one rate (composite, monitoring, undetermined). Points: the
    maximum × rate (proportional) or the maximum × rate / threshold (threshold), capped at the
    maximum.
    """
    maximum = indicator.maximum
    scored = maximum is not None and indicator.rule in ("proportional", "threshold")
    if denominator == 0:
        if not scored or indicator.when_empty is None:
            return None, None
        return None, (maximum if indicator.when_empty == "maximum" else Decimal(0))
    rate = Fraction(numerator, denominator)
    percent = quantize(_decimal(rate * 100), PLACES)
    if not scored:
        return percent, None
    assert maximum is not None
    if indicator.rule == "threshold":
        assert indicator.threshold is not None
        rate = rate / Fraction(indicator.threshold)
    points = min(Fraction(maximum), Fraction(maximum) * rate)
    return percent, quantize(_decimal(points), PLACES)


def _decimal(value: Fraction) -> Decimal:
    """``value`` to 28 significant digits, enough for rounding to 2 places half-up."""
    return Decimal(value.numerator) / Decimal(value.denominator)
