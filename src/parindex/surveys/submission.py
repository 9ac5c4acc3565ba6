"""One submission of a questionnaire (the online form's answers) checked against its form.

:func:`check_submission` takes the answers one respondent gave, by question name, and returns
them cleaned with every problem, as :func:`~parindex.surveys.read_responses` checks a row of a
file (the same type check, :func:`~parindex.surveys.responses.value_problem`, and the same
relevance, ``required`` and ``constraint`` rules, with :mod:`parindex.surveys.expressions`), with
two differences that suit a form filled in on a page:

* an answer to a question that is not relevant (its ``relevant``, or a group's around it, is
  false) is **dropped**, not a problem (a page without script shows every question, and an
  answer typed before a skip changed is no mistake of the respondent's); a dropped answer is
  blank for the expressions of the questions after it, as in ODK;
* a ``date`` answer must be ``yyyy-mm-dd`` (``response_date``), what a date input sends;
* a ``decimal`` written with a decimal comma (``1,5``, as Vietnamese writes it) is read and
  kept as ``1.5``, so that its constraint compares it as a number.

The questions asked are :func:`online_questions`: those outside repeats of a type in
:data:`ONLINE_KINDS`. Names given that are no such question are ignored.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import Location, Problem
from .expressions import Node, holds, parse
from .responses import value_problem
from .xlsform import Form, Question

__all__ = [
    "ONLINE_KINDS",
    "Submission",
    "check_submission",
    "expression_data",
    "is_relevant",
    "online_questions",
]

ONLINE_KINDS = frozenset({"select_one", "select_multiple", "integer", "decimal", "text", "date"})
"""Question types the online form asks (notes are shown; other types are not asked)."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMMA = re.compile(r"-?[0-9]+,[0-9]+")  # 1,5: the decimal comma Vietnamese writes


@dataclass(frozen=True)
class Submission:
    """A checked submission: ``answers`` holds every asked question (``""`` for none, a
    select-multiple's choices space-separated in the list's order), ``problems`` one problem per
    question at most (its location's column is the question's name), in the form's order, and
    ``dropped`` the questions whose answers were dropped as not relevant."""

    answers: Mapping[str, str]
    problems: tuple[Problem, ...]
    dropped: tuple[str, ...]


def online_questions(form: Form) -> tuple[Question, ...]:
    """The questions the online form asks, in the form's order."""
    return tuple(q for q in form.questions if not q.in_repeat and q.kind in ONLINE_KINDS)


def is_relevant(form: Form, q: Question, answer: Mapping[str, str]) -> bool:
    """Whether ``q`` applies: its groups' ``relevant`` and its own all hold under ``answer``."""
    blocks = [form.block(g) for g in q.groups]
    conditions = [b.relevant for b in blocks if b is not None and b.relevant]
    conditions += [q.relevant] if q.relevant else []
    return all(holds(c, lambda name: answer.get(name, "")) for c in conditions)


def _normal(q: Question, form: Form, given: str | Sequence[str]) -> str:
    """The answer as text: stripped; a decimal's comma a point (``1,5`` → ``1.5``); a
    select-multiple's choices once each, those of the list in its order first, then any others
    (refused by the check) as given."""
    if q.kind != "select_multiple":
        text = (given if isinstance(given, str) else " ".join(given)).strip()
        return text.replace(",", ".") if q.kind == "decimal" and _COMMA.fullmatch(text) else text
    picked = given.split() if isinstance(given, str) else [v.strip() for v in given]
    order = [c.name for c in form.choices.get(q.list_name, ())]
    known = [name for name in order if name in picked]
    return " ".join(known + list(dict.fromkeys(v for v in picked if v and v not in order)))


def _problem(q: Question, form: Form, value: str, answer: Mapping[str, str]) -> Problem | None:
    where = Location(column=q.name)
    if not value:
        return Problem.of("response_required", where, name=q.name) if q.required else None
    names = {c.name for c in form.choices.get(q.list_name, ())}
    found = value_problem(q, value, names)
    if found is None and q.kind == "date" and not _is_date(value):
        found = ("response_date", {"value": value})
    if found is not None:
        return Problem.of(found[0], where, **found[1])
    if q.constraint and not holds(q.constraint, lambda name: answer.get(name, ""), value):
        return Problem.of("response_constraint", where, value=value, constraint=q.constraint)
    return None


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_submission(form: Form, given: Mapping[str, str | Sequence[str]]) -> Submission:
    """The answers ``given`` (by question name; a select-multiple's as a sequence of choices
    or space-separated) checked against ``form`` (see the module docstring). Expressions read
    the answers as cleaned so far, then those given for questions further on."""
    asked = online_questions(form)
    raw = {q.name: _normal(q, form, given.get(q.name, "")) for q in asked}
    answers: dict[str, str] = {}
    problems: list[Problem] = []
    dropped: list[str] = []
    for q in asked:
        seen = {**raw, **answers}
        value = raw[q.name]
        if not is_relevant(form, q, seen):
            answers[q.name] = ""
            if value:
                dropped.append(q.name)
            continue
        answers[q.name] = value
        problem = _problem(q, form, value, {**raw, **answers})
        if problem is not None:
            problems.append(problem)
    return Submission(answers, tuple(problems), tuple(dropped))


def expression_data(text: str) -> list[object]:
    """The expression ``text`` (in the subset) as plain data for a page's script to evaluate:
    ``[kind, value, *args]`` nested, as :func:`~parindex.surveys.expressions.parse` read it
    (one reading of the text; the script only walks the tree)."""
    return _data(parse(text))


def _data(node: Node) -> list[object]:
    return [node.kind, node.value, *(_data(a) for a in node.args)]
