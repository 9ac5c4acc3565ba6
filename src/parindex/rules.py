"""Scoring rules: how a unit's input for a leaf becomes points.

Each rule kind mirrors a rubric found in real methodologies:

* ``points``: the appraiser gives points directly, within [0, max]. Input: ``points``.
* ``yes_no``: "Đạt yêu cầu: 1 | Không đạt yêu cầu: 0". Input: ``value`` (yes/no).
* ``levels``: "Ban hành kịp thời: 1 | không kịp thời: 0,5 | Không: 0". Input: ``level`` (a key).
* ``thresholds``: "trên 90%: 2 | từ 70% - 90%: 1 | dưới 70%: 0". Input: ``percent``, or
  ``achieved`` and ``planned``.
* ``proportional``: "từ 90% - 100%: số đã hoàn thành / số đề ra × 1; dưới 90%: 0". Input:
  ``achieved`` and ``planned``.
* ``deduction``: start from the maximum, take off a fixed amount per failing item, never below
  the floor (0 unless stated). Input: ``count``.

Rules return exact decimals; the caller rounds leaf points to the methodology's places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from .decimals import HUNDRED, ZERO, parse_decimal

__all__ = [
    "DeductionRule",
    "Level",
    "LevelsRule",
    "PointsRule",
    "ProportionalRule",
    "Rule",
    "RuleInputError",
    "Step",
    "ThresholdsRule",
    "YesNoRule",
    "rule_from_dict",
]

_YES = {"yes", "y", "true", "1", "có", "co", "x", "đạt", "dat"}
_NO = {"no", "n", "false", "0", "không", "khong", "", "không đạt", "khong dat"}


class RuleInputError(ValueError):
    """An input value does not fit the rule; ``field`` names the input field."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(message)


class Rule(Protocol):
    """What every rule offers."""

    kind: ClassVar[str]

    def fields(self) -> tuple[str, ...]:
        """The input fields the rule reads, in the order a form shows them."""

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        """Exact points for ``values``; raises :class:`RuleInputError` on bad input."""

    def check(self, max_points: Decimal) -> list[str]:
        """Problems of the rule itself against the leaf's maximum (empty when sound)."""

    def describe(self) -> str:
        """One line that says how points are given (for people)."""

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data, as read by :func:`rule_from_dict`."""


def _number(values: Mapping[str, object], name: str) -> Decimal:
    if name not in values or values[name] is None:
        raise RuleInputError(name, f"the value {name!r} is required")
    try:
        return parse_decimal(values[name])
    except ValueError as exc:
        raise RuleInputError(name, str(exc)) from None


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@dataclass(frozen=True)
class PointsRule:
    """Points given directly, within [0, max]."""

    kind: ClassVar[str] = "points"

    def fields(self) -> tuple[str, ...]:
        return ("points",)

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        points = _number(values, "points")
        if points < 0 or points > max_points:
            raise RuleInputError(
                "points", f"points {_plain(points)} are outside [0, {_plain(max_points)}]"
            )
        return points

    def check(self, max_points: Decimal) -> list[str]:
        return []

    def describe(self) -> str:
        return "points given directly"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}


@dataclass(frozen=True)
class YesNoRule:
    """``yes`` points when the condition is met, ``no`` points otherwise (``yes`` None = max)."""

    kind: ClassVar[str] = "yes_no"
    yes: Decimal | None = None
    no: Decimal = ZERO

    def fields(self) -> tuple[str, ...]:
        return ("value",)

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        raw = values.get("value")
        if isinstance(raw, bool):
            met = raw
        elif isinstance(raw, int | Decimal) and raw in (0, 1):
            met = raw == 1
        elif isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
            met = raw.strip().lower() in _YES
        else:
            raise RuleInputError("value", f"expected yes or no, got {raw!r}")
        return (max_points if self.yes is None else self.yes) if met else self.no

    def check(self, max_points: Decimal) -> list[str]:
        yes = max_points if self.yes is None else self.yes
        return [
            f"yes/no points {_plain(p)} are outside [0, {_plain(max_points)}]"
            for p in (yes, self.no)
            if p < 0 or p > max_points
        ]

    def describe(self) -> str:
        yes = "max" if self.yes is None else _plain(self.yes)
        return f"yes: {yes}; no: {_plain(self.no)}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "no": _plain(self.no)}
        if self.yes is not None:
            data["yes"] = _plain(self.yes)
        return data


@dataclass(frozen=True)
class Level:
    """One graded level: a stable key, the label people read, and its points."""

    key: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class LevelsRule:
    """One of several graded levels, each worth fixed points."""

    kind: ClassVar[str] = "levels"
    levels: tuple[Level, ...] = ()

    def fields(self) -> tuple[str, ...]:
        return ("level",)

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        raw = values.get("level")
        wanted = str(raw).strip() if raw is not None else ""
        for level in self.levels:
            if wanted in (level.key, level.label):
                return level.points
        keys = ", ".join(level.key for level in self.levels)
        raise RuleInputError("level", f"unknown level {wanted!r}; expected one of: {keys}")

    def check(self, max_points: Decimal) -> list[str]:
        problems: list[str] = []
        if not self.levels:
            problems.append("a levels rule needs at least one level")
        keys = [level.key for level in self.levels]
        problems += [
            f"level key {k!r} is used twice" for k in sorted(set(keys)) if keys.count(k) > 1
        ]
        problems += [
            f"level {level.key!r} gives {_plain(level.points)} points, "
            f"outside [0, {_plain(max_points)}]"
            for level in self.levels
            if level.points < 0 or level.points > max_points
        ]
        return problems

    def describe(self) -> str:
        return " | ".join(f"{level.label}: {_plain(level.points)}" for level in self.levels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "levels": [
                {"key": lv.key, "label": lv.label, "points": _plain(lv.points)}
                for lv in self.levels
            ],
        }


@dataclass(frozen=True)
class Step:
    """A threshold step: reached when the percentage is above (or from) ``minimum``."""

    minimum: Decimal
    inclusive: bool
    points: Decimal

    def reached(self, percent: Decimal) -> bool:
        return percent >= self.minimum if self.inclusive else percent > self.minimum


def _percent(values: Mapping[str, object]) -> Decimal:
    """A percentage from ``percent`` (0 to 100), or from ``achieved`` / ``planned`` × 100 (which
    may pass 100 when more was done than planned)."""
    if values.get("percent") is not None:
        percent = _number(values, "percent")
        if percent > HUNDRED:
            raise RuleInputError("percent", "a percentage cannot be above 100")
    else:
        achieved, planned = _number(values, "achieved"), _number(values, "planned")
        if planned <= 0:
            raise RuleInputError("planned", "the planned count must be above 0")
        if achieved < 0:
            raise RuleInputError("achieved", "the achieved count cannot be negative")
        percent = achieved / planned * HUNDRED
    if percent < 0:
        raise RuleInputError("percent", "a percentage cannot be negative")
    return percent


@dataclass(frozen=True)
class ThresholdsRule:
    """Points by the first step (highest first) whose threshold the percentage reaches."""

    kind: ClassVar[str] = "thresholds"
    steps: tuple[Step, ...] = ()

    def fields(self) -> tuple[str, ...]:
        return ("percent", "achieved", "planned")

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        percent = _percent(values)
        for step in self.steps:
            if step.reached(percent):
                return step.points
        return ZERO

    def check(self, max_points: Decimal) -> list[str]:
        problems: list[str] = []
        if not self.steps:
            problems.append("a thresholds rule needs at least one step")
        minima = [s.minimum for s in self.steps]
        if minima != sorted(minima, reverse=True) or len(set(minima)) != len(minima):
            problems.append(
                "threshold steps must be listed highest first, each lower than the last"
            )
        problems += [
            f"step at {_plain(s.minimum)} % gives {_plain(s.points)} points, "
            f"outside [0, {_plain(max_points)}]"
            for s in self.steps
            if s.points < 0 or s.points > max_points
        ]
        return problems

    def describe(self) -> str:
        return " | ".join(
            f"{'≥' if s.inclusive else '>'} {_plain(s.minimum)} %: {_plain(s.points)}"
            for s in self.steps
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "steps": [
                {
                    ("from" if s.inclusive else "above"): _plain(s.minimum),
                    "points": _plain(s.points),
                }
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class ProportionalRule:
    """``achieved / planned × max``, capped at max; 0 below ``floor`` per cent.

    The floor is inclusive ("from 90 %" keeps 90 % itself) unless ``floor_inclusive`` is false.
    """

    kind: ClassVar[str] = "proportional"
    floor: Decimal = ZERO
    floor_inclusive: bool = True

    def fields(self) -> tuple[str, ...]:
        return ("achieved", "planned")

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        achieved, planned = _number(values, "achieved"), _number(values, "planned")
        if planned <= 0:
            raise RuleInputError("planned", "the planned count must be above 0")
        if achieved < 0:
            raise RuleInputError("achieved", "the achieved count cannot be negative")
        if achieved >= planned:
            return max_points
        percent = achieved / planned * HUNDRED
        if percent < self.floor or (percent == self.floor and not self.floor_inclusive):
            return ZERO
        return achieved * max_points / planned

    def check(self, max_points: Decimal) -> list[str]:
        if self.floor < 0 or self.floor > HUNDRED:
            return [f"the floor {_plain(self.floor)} % is outside [0, 100]"]
        return []

    def describe(self) -> str:
        sign = "≥" if self.floor_inclusive else ">"
        return f"achieved / planned × max when {sign} {_plain(self.floor)} %, else 0"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "floor": _plain(self.floor),
            "floor_inclusive": self.floor_inclusive,
        }


@dataclass(frozen=True)
class DeductionRule:
    """Start at ``start`` (None = max) and take ``per_item`` off per item, not below ``floor``."""

    kind: ClassVar[str] = "deduction"
    per_item: Decimal = field(default=Decimal(1))
    start: Decimal | None = None
    floor: Decimal = ZERO

    def fields(self) -> tuple[str, ...]:
        return ("count",)

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        count = _number(values, "count")
        if count < 0 or count != count.to_integral_value():
            raise RuleInputError("count", "the count must be a whole number, 0 or more")
        start = max_points if self.start is None else self.start
        return max(start - self.per_item * count, self.floor)

    def check(self, max_points: Decimal) -> list[str]:
        start = max_points if self.start is None else self.start
        problems: list[str] = []
        if self.per_item <= 0:
            problems.append("the deduction per item must be above 0")
        if not ZERO <= self.floor <= start <= max_points:
            problems.append(
                f"a deduction needs 0 ≤ floor ({_plain(self.floor)}) ≤ start ({_plain(start)})"
                f" ≤ max ({_plain(max_points)})"
            )
        return problems

    def describe(self) -> str:
        start = "max" if self.start is None else _plain(self.start)
        return f"{start} − {_plain(self.per_item)} per item, not below {_plain(self.floor)}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "per_item": _plain(self.per_item),
            "floor": _plain(self.floor),
        }
        if self.start is not None:
            data["start"] = _plain(self.start)
        return data


def _dec(data: Mapping[str, Any], key: str, default: Decimal | None = None) -> Decimal:
    if key not in data or data[key] is None:
        if default is None:
            raise ValueError(f"the rule needs {key!r}")
        return default
    try:
        return parse_decimal(data[key])
    except ValueError as exc:
        raise ValueError(f"{key!r}: {exc}") from None


def _opt_dec(data: Mapping[str, Any], key: str) -> Decimal | None:
    return None if data.get(key) is None else _dec(data, key)


def _levels(data: Mapping[str, Any]) -> LevelsRule:
    items = data.get("levels")
    if not isinstance(items, list):
        raise ValueError("'levels' must be a list of {key, label, points}")
    levels: list[Level] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or "key" not in item:
            raise ValueError(f"level {number} must have a 'key', a 'label' and 'points'")
        key = str(item["key"])
        levels.append(Level(key, str(item.get("label", key)), _dec(item, "points")))
    return LevelsRule(tuple(levels))


def _thresholds(data: Mapping[str, Any]) -> ThresholdsRule:
    items = data.get("steps")
    if not isinstance(items, list):
        raise ValueError("'steps' must be a list of {above|from, points}")
    steps: list[Step] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or ("above" in item) == ("from" in item):
            raise ValueError(f"step {number} needs exactly one of 'above' or 'from'")
        inclusive = "from" in item
        steps.append(
            Step(_dec(item, "from" if inclusive else "above"), inclusive, _dec(item, "points"))
        )
    return ThresholdsRule(tuple(steps))


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Build a rule from plain data (YAML/JSON). Raises ``ValueError`` with the reason."""
    kind = data.get("kind")
    if kind == "points":
        return PointsRule()
    if kind == "yes_no":
        return YesNoRule(yes=_opt_dec(data, "yes"), no=_dec(data, "no", ZERO))
    if kind == "levels":
        return _levels(data)
    if kind == "thresholds":
        return _thresholds(data)
    if kind == "proportional":
        return ProportionalRule(
            floor=_dec(data, "floor", ZERO), floor_inclusive=bool(data.get("floor_inclusive", True))
        )
    if kind == "deduction":
        return DeductionRule(
            per_item=_dec(data, "per_item"),
            start=_opt_dec(data, "start"),
            floor=_dec(data, "floor", ZERO),
        )
    kinds = "points, yes_no, levels, thresholds, proportional, deduction"
    raise ValueError(f"unknown rule kind {kind!r}; expected one of: {kinds}")
