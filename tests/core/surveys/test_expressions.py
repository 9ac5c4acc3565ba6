"""The safe evaluator of relevant and constraint expressions: worked values, arithmetic trees
against Python's, and text outside the subset refused with the character where."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parindex.surveys.expressions import (
    REGEX_LIMIT,
    ExpressionError,
    evaluate,
    holds,
    parse,
    references,
)

ANSWERS = {"tuoi": "25", "kenh": "truc_tiep buu_dien", "q24": "4", "ten": "Lan", "blank": ""}


def answer(name: str) -> str:
    return ANSWERS[name]


@pytest.mark.parametrize(
    ("text", "current", "value"),
    [
        ("${tuoi} >= 18", "", True),
        ("${tuoi} > 30 or ${q24} = 4", "", True),
        ("${tuoi} > 30 or ${q24} = '5'", "", False),
        ("not(${q24} = 4) and true()", "", False),
        ("${q24} != 9", "", True),
        ("${q24} = '4'", "", True),
        ("${ten} = 'Lan'", "", True),
        ("${blank} = ''", "", True),
        ("${blank} != ''", "", False),
        ("${blank} > 0", "", False),  # blank is NaN as a number
        ("${blank} < 0", "", False),
        ("${blank} = 0", "", False),
        ("${blank} != 0", "", True),  # NaN differs from every number
        ("selected(${kenh}, 'truc_tiep')", "", True),
        ("selected(${kenh}, 'truc_tuyen')", "", False),
        ("count-selected(${kenh})", "", 2.0),
        ("count-selected(${blank})", "", 0.0),
        ("string-length(.)", "0912345678", 10.0),
        ("string-length(.) = 10", "0912345678", True),
        ("regex(., '0[0-9]{9}')", "0912345678", True),
        ("regex(., '[0-9]{3}')", "12345", False),  # the whole text must match
        (". >= 18 and . <= 100", "17", False),
        (". >= 18 and . <= 100", "18", True),
        (". >= 18 and . <= 100", "abc", False),
        ("1 + 2 * 3", "", 7.0),
        ("(1 + 2) * 3", "", 9.0),
        ("7 div 2", "", 3.5),
        ("7 mod 3", "", 1.0),
        ("-7 mod 3", "", -1.0),  # the sign of the dividend, not Python's %
        ("1 div 0", "", math.inf),
        ("-1 div 0", "", -math.inf),
        ("10 - 2 - 3", "", 5.0),  # left to right
        ("- -2", "", 2.0),
        (".5 + 1.", "", 1.5),
        ("\"a\" = 'a'", "", True),
        ("1 < 2 = true()", "", True),  # relational binds tighter than equality
        ("true() = 1", "", True),
        ("true() + 1", "", 2.0),
        ("false() = ''", "", True),
        ("2 = '2.0'", "", True),
        ("'2' = '2.0'", "", False),  # as text
        ("selected(${kenh}, 1 = 1)", "", False),  # 'true' is no choice
        ("string-length(1 div 0)", "", 8.0),  # Infinity
        ("string-length(0 div 0)", "", 3.0),  # NaN
        ("string-length(-1 div 0)", "", 9.0),
        ("string-length(2.5)", "", 3.0),
        ("string-length(3)", "", 1.0),
        ("not(0 div 0)", "", True),
        ("0 div 0 mod 2 = 0 div 0", "", False),
        ("5 mod 0 != 5 mod 0", "", True),
    ],
)
def test_an_expression_has_the_value_xpath_gives_it(text: str, current: str, value: object) -> None:
    assert evaluate(parse(text), answer, current) == value


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("", 1),
        ("   ", 1),
        ("${q24} >", 9),
        ("today()", 1),
        ("if(. > 1, 1, 0)", 1),
        ("${q24} = 1 1", 12),
        ("(1 + 2", 7),
        ("not(1, 2)", 1),
        ("regex(., ${ten})", 1),
        ("regex(., '(')", 1),
        ("${bad name}", 1),
        ("1 & 2", 3),
        ("jr:choice-name(${q24}, '${q24}')", 3),
        ("count-selected()", 1),
    ],
)
def test_an_expression_outside_the_subset_is_refused_where_reading_stopped(
    text: str, at: int
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.at == at


def test_a_long_regex_is_refused_before_it_is_compiled() -> None:
    assert holds(f"regex(., '{'a' * REGEX_LIMIT}')", answer, "a" * REGEX_LIMIT)
    with pytest.raises(ExpressionError):
        parse(f"regex(., '{'a' * (REGEX_LIMIT + 1)}')")


def test_references_are_the_names_read() -> None:
    node = parse("selected(${kenh}, 'x') and (${q24} > 3 or string-length(.) = ${tuoi})")
    assert references(node) == {"kenh", "q24", "tuoi"}


# --- arithmetic trees against Python's -------------------------------------------------------

OPERATORS = {"+": "+", "-": "-", "*": "*", "div": "/", "mod": "fmod"}


def trees() -> st.SearchStrategy[tuple[str, str]]:
    """(XLSForm text, Python text) of random arithmetic over small whole numbers."""
    leaves = st.integers(0, 50).map(lambda n: (str(n), f"{n}.0"))

    def grow(inner: st.SearchStrategy[tuple[str, str]]) -> st.SearchStrategy[tuple[str, str]]:
        def join(op: str, a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str]:
            if op == "mod":
                return f"({a[0]} mod {b[0]})", f"math.fmod({a[1]}, {b[1]})"
            return f"({a[0]} {op} {b[0]})", f"({a[1]} {OPERATORS[op]} {b[1]})"

        negated = inner.map(lambda a: (f"-{a[0]}", f"(-{a[1]})"))
        return st.builds(join, st.sampled_from(sorted(OPERATORS)), inner, inner) | negated

    return st.recursive(leaves, grow, max_leaves=12)


def python(text: str) -> float:
    try:
        value = eval(text, {"math": math})  # the test's reference: Python's own arithmetic
    except (ZeroDivisionError, ValueError):
        assume(False)
    assert isinstance(value, float)
    return value


@given(trees())
def test_arithmetic_trees_evaluate_as_python_does(tree: tuple[str, str]) -> None:
    ours = evaluate(parse(tree[0]), answer)
    assert ours == pytest.approx(python(tree[1]), rel=1e-12, nan_ok=True)


@given(trees(), trees(), st.sampled_from(["<", "<=", ">", ">=", "=", "!="]))
def test_comparisons_of_trees_evaluate_as_python_does(
    left: tuple[str, str], right: tuple[str, str], op: str
) -> None:
    a, b = python(left[1]), python(right[1])
    expected = {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}
    assert evaluate(parse(f"{left[0]} {op} {right[0]}"), answer) == expected[op]


@given(st.integers(-(10**6), 10**6))
def test_an_answer_read_through_a_reference_is_the_number_it_writes(n: int) -> None:
    assert evaluate(parse("${x} + 0"), lambda _name: str(n)) == float(n)
    assert holds(f"${{x}} = {abs(n)}", lambda _name: str(abs(n)))
