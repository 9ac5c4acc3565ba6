"""The online form as the page shows it: the core's reading of the questionnaire laid out as
sections (groups) and questions, labels in the reader's language, answers and problems in place.

Labels, hints and constraint messages come from the form's columns: ``label::Vietnamese (vi)``
(else the plain ``label``, else the first language) in Vietnamese, ``label::English (en)`` in
English when the form has it (else the Vietnamese). A repeat is shown as a notice (not asked
online); metadata, calculations and other types the online form does not ask are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from parindex.errors import Problem
from parindex.surveys import Form, Question
from parindex.surveys.submission import ONLINE_KINDS, expression_data

MAX_TEXT = 2000
"""The longest text answer taken online, in characters."""

_LANGUAGE = re.compile(r"\(([A-Za-z-]+)\)\s*$")
_NAMES = {"vi": ("vietnamese", "tiếng việt"), "en": ("english",)}


def _language_of(key: str) -> str:
    """The language code of a column's language (``Vietnamese (vi)`` → ``vi``), ``""`` unknown."""
    found = _LANGUAGE.search(key)
    if found:
        return found.group(1).lower()
    lower = key.strip().lower()
    return next((code for code, names in _NAMES.items() if lower.startswith(names)), "")


def localized(texts: Mapping[str, str], language: str) -> str:
    """The text of ``texts`` (by language as the form writes it) for ``language``: English when
    asked and given, else Vietnamese, else the plain column's, else the first."""
    by_code = {_language_of(k): v for k, v in texts.items() if v}
    if language == "en" and by_code.get("en"):
        return by_code["en"]
    return by_code.get("vi") or texts.get("", "") or next(iter(texts.values()), "")


def column_texts(q: Question, column: str) -> dict[str, str]:
    """A column of the question's other cells by language (``hint``, ``hint::English (en)``)."""
    out = {}
    for key, value in q.other.items():
        name, _sep, language = key.partition("::")
        if name.strip().lower() == column:
            out[language.strip()] = value
    return out


def problem_message(q: Question, problem: Problem, language: str) -> str:
    """What the respondent is told about ``problem`` (a code of the core's) on ``q``."""
    if problem.code == "response_required":
        return localized(column_texts(q, "required_message"), language) or _(
            "Answer this question."
        )
    if problem.code == "response_constraint":
        return localized(column_texts(q, "constraint_message"), language) or _(
            "This answer is outside what the form accepts (%(rule)s)."
        ) % {"rule": q.constraint}
    return {
        "response_choice": _("Choose one of the options shown."),
        "response_integer": _("Enter a whole number, such as 35."),
        "response_decimal": _("Enter a number, such as 1,5."),
        "response_date": _("Enter a date as day, month and year."),
        "text_too_long": _("Write at most %(n)s characters.") % {"n": MAX_TEXT},
    }.get(problem.code, problem.text("en" if language == "en" else "vi"))


@dataclass
class Item:
    """One thing on the page: a ``group`` (with ``children``), a ``repeat`` notice, a ``note``,
    a ``fixed`` answer (the batch's service) or a question (its core kind)."""

    kind: str
    name: str
    label: str
    hint: str = ""
    required: bool = False
    relevant: str = ""  # the relevance as the core read it, JSON for the page's script
    value: str = ""
    error: str = ""
    choices: list[dict[str, object]] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    multiline: bool = False

    @property
    def describedby(self) -> str:
        ids = [f"f-{self.name}_helptext"] if self.hint else []
        return " ".join(ids + ([f"f-{self.name}_error"] if self.error else []))

    @property
    def anchor(self) -> str:
        """The id of the control an error links to (the first choice of a list)."""
        return f"f-{self.name}-0" if self.choices else f"f-{self.name}"

    @property
    def inputmode(self) -> str:
        return {"integer": "numeric", "decimal": "decimal"}.get(self.kind, "")


def _relevant(text: str) -> str:
    return json.dumps(expression_data(text), ensure_ascii=False) if text else ""


def layout(
    form: Form,
    language: str,
    answers: Mapping[str, str],
    errors: Mapping[str, str],
    fixed: Mapping[str, str],
) -> list[Item]:
    """The page's items in the form's order, groups nesting their items; ``answers`` fill the
    controls, ``errors`` (by question) are shown at them, ``fixed`` questions (the batch's
    service) show their choice instead of a control."""
    root: list[Item] = []
    by_name: dict[str, Item] = {}
    nodes = sorted([*form.blocks, *form.questions], key=lambda n: n.row)
    for node in nodes:
        if node.in_repeat:
            continue  # inside a repeat: the repeat's notice stands for it
        item = _item(form, node, language, answers, errors, fixed)
        if item is None:
            continue
        parent = by_name.get(node.groups[-1]) if node.groups else None
        (parent.children if parent is not None else root).append(item)
        by_name[node.name] = item
    return [i for i in root if i.kind != "group" or _has_questions(i)]


def _has_questions(item: Item) -> bool:
    return any(c.kind != "group" or _has_questions(c) for c in item.children)


def _item(
    form: Form,
    q: Question,
    language: str,
    answers: Mapping[str, str],
    errors: Mapping[str, str],
    fixed: Mapping[str, str],
) -> Item | None:
    label = localized(q.labels, language) or q.name
    hint = localized(column_texts(q, "hint"), language)
    if q.kind in ("group", "repeat"):
        return Item(q.kind, q.name, label, hint, relevant=_relevant(q.relevant))
    if q.kind == "note":
        return Item("note", q.name, label, hint, relevant=_relevant(q.relevant))
    if q.kind not in ONLINE_KINDS:
        return None
    choices = form.choices.get(q.list_name, ())
    if q.name in fixed:
        chosen = next((c for c in choices if c.name == fixed[q.name]), None)
        shown = localized(chosen.labels, language) if chosen is not None else fixed[q.name]
        return Item("fixed", q.name, label, value=fixed[q.name], choices=[{"label": shown}])
    value = answers.get(q.name, "")
    picked = set(value.split()) if q.kind == "select_multiple" else {value}
    appearance = q.other.get("appearance", "")
    return Item(
        q.kind,
        q.name,
        label,
        hint,
        required=q.required,
        relevant=_relevant(q.relevant),
        value=value,
        error=errors.get(q.name, ""),
        choices=[
            {
                "value": c.name,
                "label": localized(c.labels, language) or c.name,
                "checked": c.name in picked,
                "id": f"f-{q.name}-{i}",
            }
            for i, c in enumerate(choices)
        ]
        if q.kind in ("select_one", "select_multiple")
        else [],
        multiline=q.kind == "text" and "multiline" in appearance,
    )


def flat(items: list[Item]) -> list[Item]:
    """Every item, groups' children included, in the page's order."""
    out: list[Item] = []
    for item in items:
        out.append(item)
        out += flat(item.children)
    return out
