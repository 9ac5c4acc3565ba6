"""A safe evaluator of the XLSForm expressions real forms write in ``relevant`` and ``constraint``.

No ``eval``: :func:`parse` reads the text into a tree of :class:`Node` (a tokenizer and a
recursive-descent parser), :func:`evaluate` walks it. The subset, with XPath 1.0's meaning:

* ``${name}`` (a question's answer, as text; ``""`` when blank), ``.`` (the answer being
  checked), numbers, strings in ``'…'`` or ``"…"``, ``true()``, ``false()``;
* ``=``, ``!=`` (as booleans when a side is one, else as numbers when a side is one, else as
  text), ``<``, ``<=``, ``>``, ``>=`` (as numbers; text that is not a number is NaN), ``and``,
  ``or``, ``not(…)``, parentheses;
* ``+``, ``-`` (also unary), ``*``, ``div`` (IEEE: ``1 div 0`` is infinity), ``mod`` (the sign
  of the dividend, as ``math.fmod``);
* ``selected(x, 'choice')``, ``count-selected(x)``, ``string-length(x)``,
  ``regex(x, 'pattern')`` (the whole text must match; the pattern is a literal of at most
  :data:`REGEX_LIMIT` characters, compiled when the form is read).

Precedence, loosest first: ``or``, ``and``, ``= !=``, ``< <= > >=``, ``+ -``, ``* div mod``,
unary ``-``. Anything else is an :class:`ExpressionError` with the character where reading
stopped; the form reader turns it into a problem naming the sheet, row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["REGEX_LIMIT", "ExpressionError", "Node", "evaluate", "holds", "parse", "references"]

REGEX_LIMIT = 200
"""The longest ``regex()`` pattern read."""

Value = str | float | bool

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.\-]*\})
      | (?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|[=<>+\-*(),.])
      | (?P<word>[A-Za-z][A-Za-z0-9\-]*)
    )""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
_FUNCTIONS = {
    "not": 1,
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
    "regex": 2,
    "true": 0,
    "false": 0,
}


class ExpressionError(ValueError):
    """The expression is outside the subset; ``at`` is the (1-based) character where."""

    def __init__(self, at: int) -> None:
        super().__init__(f"not an expression of the subset (at character {at})")
        self.at = at


@dataclass(frozen=True)
class Node:
    """One node: ``kind`` is ``ref`` (``value`` the name), ``current``, ``number``, ``string``,
    ``call`` (``value`` the function) or an operator (``value`` it: ``=``, ``and``, ``neg`` …)."""

    kind: str
    value: str = ""
    args: tuple[Node, ...] = ()
    pattern: re.Pattern[str] | None = None


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int]] = []
        at = 0
        while text[at:].strip():
            found = _TOKEN.match(text, at)
            if found is None or found.lastgroup is None:
                raise ExpressionError(at + len(text[at:]) - len(text[at:].lstrip()) + 1)
            self.tokens.append(
                (found.lastgroup, found.group(found.lastgroup), found.start(found.lastgroup) + 1)
            )
            at = found.end()
        self.end = len(text) + 1
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", self.end)

    def take(self, *values: str) -> str | None:
        kind, value, _at = self.peek()
        if kind in ("op", "word") and value in values:
            self.i += 1
            return value
        return None

    def expect(self, value: str) -> None:
        if self.take(value) is None:
            raise ExpressionError(self.peek()[2])

    def binary(self, levels: list[tuple[str, ...]]) -> Node:
        if not levels:
            return self.unary()
        left = self.binary(levels[1:])
        while (op := self.take(*levels[0])) is not None:
            left = Node(op, op, (left, self.binary(levels[1:])))
        return left

    def unary(self) -> Node:
        if self.take("-") is not None:
            return Node("neg", "neg", (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        kind, value, at = self.peek()
        self.i += 1
        if kind == "ref":
            return Node("ref", value[2:-1])
        if kind == "number":
            return Node("number", value)
        if kind == "string":
            return Node("string", value[1:-1])
        if kind == "op" and value == ".":
            return Node("current")
        if kind == "op" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "word" and value in _FUNCTIONS:
            return self.call(value, at)
        raise ExpressionError(at)

    def call(self, name: str, at: int) -> Node:
        self.expect("(")
        args: list[Node] = []
        if self.take(")") is None:
            args.append(self.expression())
            while self.take(",") is not None:
                args.append(self.expression())
            self.expect(")")
        if len(args) != _FUNCTIONS[name]:
            raise ExpressionError(at)
        pattern = None
        if name == "regex":
            given = args[1]
            if given.kind != "string" or len(given.value) > REGEX_LIMIT:
                raise ExpressionError(at)
            try:
                pattern = re.compile(given.value)
            except re.error:
                raise ExpressionError(at) from None
        return Node("call", name, tuple(args), pattern)

    def expression(self) -> Node:
        return self.binary(
            [
                ("or",),
                ("and",),
                ("=", "!="),
                ("<", "<=", ">", ">="),
                ("+", "-"),
                ("*", "div", "mod"),
            ]
        )


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """The tree of the expression ``text``; :class:`ExpressionError` when it is outside the
    subset."""
    parser = _Parser(text)
    if not parser.tokens:
        raise ExpressionError(1)
    node = parser.expression()
    if parser.i < len(parser.tokens):
        raise ExpressionError(parser.peek()[2])
    return node


def references(node: Node) -> frozenset[str]:
    """The names ``${…}`` the expression reads."""
    found = {node.value} if node.kind == "ref" else set()
    for arg in node.args:
        found |= references(arg)
    return frozenset(found)


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return float(value) if _NUMBER.fullmatch(value) else math.nan


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return str(int(value)) if value == int(value) else repr(value)


def _truth(value: Value) -> bool:
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return bool(value)


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _truth(left) == _truth(right)
    if isinstance(left, float) or isinstance(right, float):
        return _number(left) == _number(right)
    return left == right


def _divide(left: float, right: float) -> float:
    if right != 0:
        return left / right
    if left == 0 or math.isnan(left):
        return math.nan
    return math.copysign(math.inf, left) * math.copysign(1.0, right)


def _modulo(left: float, right: float) -> float:
    if right == 0 or math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan
    return math.fmod(left, right)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}
_ORDER: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: Node, answer: Callable[[str], str], current: str = "") -> Value:
    """The value of ``node`` where ``answer(name)`` is a question's answer and ``current`` the
    one of ``.``."""
    kind, args = node.kind, node.args
    if kind == "ref":
        return answer(node.value)
    if kind == "current":
        return current
    if kind == "number":
        return float(node.value)
    if kind == "string":
        return node.value
    if kind == "call":
        return _call(node, [evaluate(a, answer, current) for a in args])
    if kind == "neg":
        return -_number(evaluate(args[0], answer, current))
    if kind == "or":
        return _truth(evaluate(args[0], answer, current)) or _truth(
            evaluate(args[1], answer, current)
        )
    if kind == "and":
        return _truth(evaluate(args[0], answer, current)) and _truth(
            evaluate(args[1], answer, current)
        )
    left, right = evaluate(args[0], answer, current), evaluate(args[1], answer, current)
    if kind == "=":
        return _equal(left, right)
    if kind == "!=":
        return not _equal(left, right)
    if kind in _ORDER:
        return _ORDER[kind](_number(left), _number(right))
    return _ARITHMETIC[kind](_number(left), _number(right))


def _call(node: Node, values: list[Value]) -> Value:
    name = node.value
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "not":
        return not _truth(values[0])
    if name == "selected":
        return _text(values[1]).strip() in _text(values[0]).split()
    if name == "count-selected":
        return float(len(_text(values[0]).split()))
    if name == "string-length":
        return float(len(_text(values[0])))
    assert node.pattern is not None  # parse compiled it
    return node.pattern.fullmatch(_text(values[0])) is not None


def holds(text: str, answer: Callable[[str], str], current: str = "") -> bool:
    """Whether the expression ``text`` (already read by :func:`parse`) is true."""
    return _truth(evaluate(parse(text), answer, current))
