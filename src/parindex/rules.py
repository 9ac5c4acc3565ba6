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

Each rule declares its inputs as data (:meth:`Rule.inputs`: an :class:`InputSpec` per input with
its kind, unit and bounds) and the ways they may be given (:meth:`Rule.modes`: ``percent`` *or*
``achieved`` and ``planned``). :func:`check_inputs` is the one check of a unit's input against
those declarations; every rule's :meth:`~Rule.score` runs it first, and the shells (forms, the
workbook, the API) build their fields from the same declarations, so the checks exist once.

Rules return exact decimals; the caller rounds leaf points to the methodology's places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, TypeVar

from .decimals import HUNDRED, ZERO, parse_decimal
from .errors import Location, Problem
from .rule_parts import (
    COUNTS,
    RULE_TEXTS,
    YES_NO_CHOICES,
    Choice,
    InputSpec,
    Phrase,
    TextParam,
    english,
    plain,
    yes_no,
)

__all__ = [
    "RULE_KINDS",
    "RULE_TEXTS",
    "Choice",
    "DeductionRule",
    "InputSpec",
    "Level",
    "LevelsRule",
    "Phrase",
    "PointsRule",
    "ProportionalRule",
    "Rule",
    "RuleInputError",
    "Step",
    "ThresholdsRule",
    "YesNoRule",
    "check_inputs",
    "rule_from_dict",
]


class RuleInputError(ValueError):
    """An input value does not fit the rule; ``field`` names the input field, ``kind`` and
    ``detail`` are those of the :class:`~parindex.errors.Problem` (for the shells to translate)."""

    def __init__(self, field_name: str, message: str, kind: str = "", detail: str = "") -> None:
        self.field, self.kind, self.detail = field_name, kind, detail
        super().__init__(message)


class Rule(Protocol):
    """What every rule offers."""

    kind: ClassVar[str]

    def fields(self) -> tuple[str, ...]:
        """The input fields the rule reads, in the order a form shows them."""

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        """The inputs :meth:`fields` names, with their kinds and bounds for a leaf of ``max_points``."""

    def modes(self) -> tuple[tuple[str, ...], ...]:
        """The ways the input may be given: exactly one of these groups of fields, all of it."""

    def over_plan_allowed(self) -> bool:
        """Whether ``achieved`` may be above ``planned`` (rules without those inputs: False)."""

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        """Exact points for ``values``; raises :class:`RuleInputError` on bad input."""

    def check(self, max_points: Decimal) -> list[str]:
        """Problems of the rule itself against the leaf's maximum (empty when sound)."""

    def text(self) -> tuple[Phrase, ...]:
        """How points are given, for people: clauses the shells translate by their codes."""

    def describe(self) -> str:
        """:meth:`text` as one English line (logs, the CLI, the API)."""

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data, as read by :func:`rule_from_dict`."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """The rule of this kind that ``data`` describes; ``ValueError`` with the reason."""


_KINDS: dict[str, type[Rule]] = {}
# Every rule kind by its name, in the order the kinds were defined (read-only).
RULE_KINDS: Mapping[str, type[Rule]] = MappingProxyType(_KINDS)
_R = TypeVar("_R", bound=type[Rule])


def _registered(cls: _R) -> _R:
    """Register a rule class under its ``kind`` for :func:`rule_from_dict`."""
    _KINDS[cls.kind] = cls
    return cls


def _number(values: Mapping[str, object], name: str) -> Decimal:
    """A number of input already passed by :func:`check_inputs`."""
    return parse_decimal(values[name])


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _problem(name: str, message: str, kind: str, detail: object = "") -> Problem:
    # The message is written here (it names the field and the value); params: the bound, etc.
    return Problem(message, Location(column=name), kind, {"detail": str(detail)})


def _check_one(spec: InputSpec, raw: object) -> Problem | None:
    name = spec.name
    if spec.kind == "yesno":
        if yes_no(raw) is None:
            return _problem(name, f"expected yes or no, got {raw!r}", "input_choice", "yes, no")
        return None
    if spec.kind == "choice":
        wanted = str(raw).strip()
        if any(wanted in (choice.key, choice.label) for choice in spec.choices):
            return None
        keys = ", ".join(choice.key for choice in spec.choices)
        return _problem(
            name, f"unknown level {wanted!r}; expected one of: {keys}", "input_choice", keys
        )
    try:
        number = parse_decimal(raw)
    except ValueError as exc:
        return _problem(name, str(exc), "input_number")
    if spec.kind == "whole" and number != number.to_integral_value():
        return _problem(name, f"{name} must be a whole number", "input_whole")
    if spec.minimum is not None and number < spec.minimum:
        message = f"{name} {plain(number)} is below the minimum {plain(spec.minimum)}"
        return _problem(name, message, "input_below", plain(spec.minimum))
    if spec.maximum is not None and number > spec.maximum:
        message = f"{name} {plain(number)} is above the maximum {plain(spec.maximum)}"
        return _problem(name, message, "input_above", plain(spec.maximum))
    return None


def check_inputs(rule: Rule, values: Mapping[str, object], max_points: Decimal) -> list[Problem]:
    """Every problem of ``values`` as input to ``rule`` on a leaf worth ``max_points``.

    Refused, each as a :class:`~parindex.errors.Problem` whose ``location.column`` names the
    field and whose ``code`` says what is wrong (``params["detail"]``: the bound or the choices):

    * an input the rule does not read (``input_unknown``);
    * inputs of two modes at once, e.g. a percentage and counts (``input_both_modes``, on the
      first mode's field; nothing says which would count, so neither does);
    * a missing input (``input_missing``): a mode given in part names the missing field; with
      nothing given, the last mode's first field (the counts: the percentage is the shortcut);
    * not a number (``input_number``), a fraction where a whole number is due (``input_whole``),
      below the minimum (``input_below``: a negative count or percentage, a planned count of 0)
      or above the maximum (``input_above``: a percentage above 100, points above the leaf's
      maximum); not one of the choices, or not yes/no (``input_choice``);
    * ``achieved`` above ``planned`` where :meth:`Rule.over_plan_allowed` is false
      (``input_over_plan``).

    Empty values (None, blank text) count as not given.
    """
    specs = {spec.name: spec for spec in rule.inputs(max_points)}
    given = {name: value for name, value in values.items() if _given(value)}
    unknown = [name for name in given if name not in specs]
    if unknown:
        return [
            _problem(name, f"this rule takes no input {name!r}", "input_unknown", name)
            for name in unknown
        ]
    modes = rule.modes()
    touched = [mode for mode in modes if any(name in given for name in mode)]
    if len(touched) > 1:
        detail = " | ".join(", ".join(mode) for mode in touched)
        message = f"give exactly one of {detail}, not both"
        return [_problem(touched[0][0], message, "input_both_modes", detail)]
    mode = touched[0] if touched else modes[-1]
    missing = [name for name in mode if name not in given]
    if missing:
        return [_problem(missing[0], f"the value {missing[0]!r} is required", "input_missing")]
    problems = [p for p in (_check_one(specs[name], given[name]) for name in mode) if p]
    if not problems and "achieved" in mode and not rule.over_plan_allowed():
        achieved, planned = parse_decimal(given["achieved"]), parse_decimal(given["planned"])
        if achieved > planned:
            message = f"achieved ({plain(achieved)}) cannot be above planned ({plain(planned)})"
            problems.append(_problem("achieved", message, "input_over_plan", plain(planned)))
    return problems


def _checked(rule: Rule, values: Mapping[str, object], max_points: Decimal) -> None:
    """Raise :class:`RuleInputError` for the first problem :func:`check_inputs` finds."""
    problems = check_inputs(rule, values, max_points)
    if problems:
        first = problems[0]
        assert first.location.column is not None
        detail = first.params["detail"]
        raise RuleInputError(first.location.column, first.message, first.code, detail)


@_registered
@dataclass(frozen=True)
class PointsRule:
    """Points given directly, within [0, max]."""

    kind: ClassVar[str] = "points"

    def fields(self) -> tuple[str, ...]:
        return ("points",)

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        """Points: a decimal in [0, max]."""
        return (InputSpec("points", "decimal", "points", minimum=ZERO, maximum=max_points),)

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (self.fields(),)

    def over_plan_allowed(self) -> bool:
        return False

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
        return _number(values, "points")

    def check(self, max_points: Decimal) -> list[str]:
        return []

    def text(self) -> tuple[Phrase, ...]:
        return (Phrase("points"),)

    def describe(self) -> str:
        return english(self.text())

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PointsRule:
        return cls()


@_registered
@dataclass(frozen=True)
class YesNoRule:
    """``yes`` points when the condition is met, ``no`` points otherwise (``yes`` None = max)."""

    kind: ClassVar[str] = "yes_no"
    yes: Decimal | None = None
    no: Decimal = ZERO

    def fields(self) -> tuple[str, ...]:
        return ("value",)

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        """Value: yes or no."""
        return (InputSpec("value", "yesno", choices=YES_NO_CHOICES),)

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (self.fields(),)

    def over_plan_allowed(self) -> bool:
        return False

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
        met = yes_no(values["value"]) is True
        return (max_points if self.yes is None else self.yes) if met else self.no

    def check(self, max_points: Decimal) -> list[str]:
        yes = max_points if self.yes is None else self.yes
        return [
            f"yes/no points {plain(p)} are outside [0, {plain(max_points)}]"
            for p in (yes, self.no)
            if p < 0 or p > max_points
        ]

    def text(self) -> tuple[Phrase, ...]:
        return (Phrase("yes_no", {"yes": self.yes, "no": self.no}),)

    def describe(self) -> str:
        return english(self.text())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> YesNoRule:
        return cls(yes=_opt_dec(data, "yes"), no=_dec(data, "no", ZERO))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "no": plain(self.no)}
        if self.yes is not None:
            data["yes"] = plain(self.yes)
        return data


@dataclass(frozen=True)
class Level:
    """One graded level: a stable key, the label people read, and its points."""

    key: str
    label: str
    points: Decimal


@_registered
@dataclass(frozen=True)
class LevelsRule:
    """One of several graded levels, each worth fixed points."""

    kind: ClassVar[str] = "levels"
    levels: tuple[Level, ...] = ()

    def fields(self) -> tuple[str, ...]:
        return ("level",)

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        """Level: one of the levels, by key or label."""
        choices = tuple(Choice(level.key, level.label, level.points) for level in self.levels)
        return (InputSpec("level", "choice", choices=choices),)

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (self.fields(),)

    def over_plan_allowed(self) -> bool:
        return False

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
        wanted = str(values["level"]).strip()
        return next(lv.points for lv in self.levels if wanted in (lv.key, lv.label))

    def check(self, max_points: Decimal) -> list[str]:
        problems: list[str] = []
        if not self.levels:
            problems.append("a levels rule needs at least one level")
        keys = [level.key for level in self.levels]
        problems += [
            f"level key {k!r} is used twice" for k in sorted(set(keys)) if keys.count(k) > 1
        ]
        problems += [
            f"level {level.key!r} gives {plain(level.points)} points, "
            f"outside [0, {plain(max_points)}]"
            for level in self.levels
            if level.points < 0 or level.points > max_points
        ]
        return problems

    def text(self) -> tuple[Phrase, ...]:
        return tuple(
            Phrase("level", {"label": lv.label, "points": lv.points}) for lv in self.levels
        )

    def describe(self) -> str:
        return english(self.text())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LevelsRule:
        items = data.get("levels")
        if not isinstance(items, list):
            raise ValueError("'levels' must be a list of {key, label, points}")
        levels: list[Level] = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, Mapping) or "key" not in item:
                raise ValueError(f"level {number} must have a 'key', a 'label' and 'points'")
            key = str(item["key"])
            levels.append(Level(key, str(item.get("label", key)), _dec(item, "points")))
        return cls(tuple(levels))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "levels": [
                {"key": lv.key, "label": lv.label, "points": plain(lv.points)} for lv in self.levels
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
    """A percentage from ``percent``, or from ``achieved`` / ``planned`` × 100 (checked input)."""
    if _given(values.get("percent")):
        return _number(values, "percent")
    return _number(values, "achieved") / _number(values, "planned") * HUNDRED


@_registered
@dataclass(frozen=True)
class ThresholdsRule:
    """Points by the first step (highest first) whose threshold the percentage reaches.

    Input: ``percent`` (a decimal in [0, 100]) *or* ``achieved`` and ``planned`` (whole counts,
    ``achieved`` ≥ 0, ``planned`` ≥ 1), never both. The steps grade a share ("the share of
    subordinate units inspected", "of dossiers settled on time"), which cannot pass 100 %: so
    ``achieved`` above ``planned`` is refused unless the methodology says ``over_plan: true``
    (a plan that can be exceeded; the percentage then passes 100 and reaches the top step).
    """

    kind: ClassVar[str] = "thresholds"
    steps: tuple[Step, ...] = ()
    over_plan: bool = False

    def fields(self) -> tuple[str, ...]:
        return ("percent", "achieved", "planned")

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        percent = InputSpec("percent", "decimal", "%", minimum=ZERO, maximum=HUNDRED)
        return (percent, *COUNTS)

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (("percent",), ("achieved", "planned"))

    def over_plan_allowed(self) -> bool:
        return self.over_plan

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
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
            f"step at {plain(s.minimum)} % gives {plain(s.points)} points, "
            f"outside [0, {plain(max_points)}]"
            for s in self.steps
            if s.points < 0 or s.points > max_points
        ]
        return problems

    def text(self) -> tuple[Phrase, ...]:
        return tuple(
            Phrase("step", {"sign": s.inclusive, "minimum": s.minimum, "points": s.points})
            for s in self.steps
        )

    def describe(self) -> str:
        steps = english(self.text())
        return f"{steps}; achieved may pass planned" if self.over_plan else steps

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThresholdsRule:
        items = data.get("steps")
        if not isinstance(items, list):
            raise ValueError("'steps' must be a list of {above|from, points}")
        steps: list[Step] = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, Mapping) or ("above" in item) == ("from" in item):
                raise ValueError(f"step {number} needs exactly one of 'above' or 'from'")
            inclusive = "from" in item
            minimum = _dec(item, "from" if inclusive else "above")
            steps.append(Step(minimum, inclusive, _dec(item, "points")))
        return cls(tuple(steps), over_plan=_flag(data, "over_plan", False))

    def to_dict(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"over_plan": True} if self.over_plan else {}
        return {
            "kind": self.kind,
            **extra,
            "steps": [
                {
                    ("from" if s.inclusive else "above"): plain(s.minimum),
                    "points": plain(s.points),
                }
                for s in self.steps
            ],
        }


@_registered
@dataclass(frozen=True)
class ProportionalRule:
    """``achieved / planned × max``, capped at max; 0 below ``floor`` per cent.

    The floor is inclusive ("from 90 %" keeps 90 % itself) unless ``floor_inclusive`` is false.
    Input: ``achieved`` and ``planned``, whole counts (``achieved`` ≥ 0, ``planned`` ≥ 1). The
    rubric ("số đã hoàn thành / số đề ra × max") is capped at the maximum, so by default more
    done than planned is allowed and earns the maximum; a methodology whose count cannot pass
    the plan (a share of a fixed set) says ``over_plan: false`` and ``achieved`` above
    ``planned`` is then refused.
    """

    kind: ClassVar[str] = "proportional"
    floor: Decimal = ZERO
    floor_inclusive: bool = True
    over_plan: bool = True

    def fields(self) -> tuple[str, ...]:
        return ("achieved", "planned")

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        return COUNTS

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (self.fields(),)

    def over_plan_allowed(self) -> bool:
        return self.over_plan

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
        achieved, planned = _number(values, "achieved"), _number(values, "planned")
        if achieved >= planned:
            return max_points
        percent = achieved / planned * HUNDRED
        if percent < self.floor or (percent == self.floor and not self.floor_inclusive):
            return ZERO
        return achieved * max_points / planned

    def check(self, max_points: Decimal) -> list[str]:
        if self.floor < 0 or self.floor > HUNDRED:
            return [f"the floor {plain(self.floor)} % is outside [0, 100]"]
        return []

    def text(self) -> tuple[Phrase, ...]:
        return (Phrase("proportional", {"sign": self.floor_inclusive, "floor": self.floor}),)

    def describe(self) -> str:
        text = english(self.text())
        return text if self.over_plan else f"{text}; achieved not above planned"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProportionalRule:
        return cls(
            floor=_dec(data, "floor", ZERO),
            floor_inclusive=bool(data.get("floor_inclusive", True)),
            over_plan=_flag(data, "over_plan", True),
        )

    def to_dict(self) -> dict[str, Any]:
        extra: dict[str, Any] = {} if self.over_plan else {"over_plan": False}
        return {
            "kind": self.kind,
            "floor": plain(self.floor),
            "floor_inclusive": self.floor_inclusive,
            **extra,
        }


@_registered
@dataclass(frozen=True)
class DeductionRule:
    """Start at ``start`` (None = max) and take ``per_item`` off per item, not below ``floor``."""

    kind: ClassVar[str] = "deduction"
    per_item: Decimal = field(default=Decimal(1))
    start: Decimal | None = None
    floor: Decimal = ZERO

    def fields(self) -> tuple[str, ...]:
        return ("count",)

    def inputs(self, max_points: Decimal) -> tuple[InputSpec, ...]:
        """Count: a whole number of failing items, 0 or more."""
        return (InputSpec("count", "whole", "count", minimum=ZERO),)

    def modes(self) -> tuple[tuple[str, ...], ...]:
        return (self.fields(),)

    def over_plan_allowed(self) -> bool:
        return False

    def score(self, values: Mapping[str, object], max_points: Decimal) -> Decimal:
        _checked(self, values, max_points)
        count = _number(values, "count")
        start = max_points if self.start is None else self.start
        return max(start - self.per_item * count, self.floor)

    def check(self, max_points: Decimal) -> list[str]:
        start = max_points if self.start is None else self.start
        problems: list[str] = []
        if self.per_item <= 0:
            problems.append("the deduction per item must be above 0")
        if not ZERO <= self.floor <= start <= max_points:
            problems.append(
                f"a deduction needs 0 ≤ floor ({plain(self.floor)}) ≤ start ({plain(start)})"
                f" ≤ max ({plain(max_points)})"
            )
        return problems

    def text(self) -> tuple[Phrase, ...]:
        params: dict[str, TextParam] = {"start": self.start, "per": self.per_item}
        return (Phrase("deduction", {**params, "floor": self.floor}),)

    def describe(self) -> str:
        return english(self.text())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeductionRule:
        return cls(
            per_item=_dec(data, "per_item"),
            start=_opt_dec(data, "start"),
            floor=_dec(data, "floor", ZERO),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "per_item": plain(self.per_item),
            "floor": plain(self.floor),
        }
        if self.start is not None:
            data["start"] = plain(self.start)
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


def _flag(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key!r} must be true or false")
    return value


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Build a rule from plain data (YAML/JSON). Raises ``ValueError`` with the reason."""
    kind = data.get("kind")
    rule = _KINDS.get(kind) if isinstance(kind, str) else None
    if rule is None:
        kinds = ", ".join(_KINDS)
        raise ValueError(f"unknown rule kind {kind!r}; expected one of: {kinds}")
    return rule.from_dict(data)
