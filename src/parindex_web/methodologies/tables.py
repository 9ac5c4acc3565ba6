"""A methodology uploaded as a decision's appendix table: read, compared, adopted.

The core reads and checks the table (:func:`parindex.read_appendix_table`) and lists what
changed (:func:`parindex.diff_methodologies`); this module says it in the user's language, finds
last year's methodology of the same body and unit type, carries a checked table from the preview
to the confirmation as a signed token (nothing is stored before "adopt"), and adopts it: a new
:class:`~parindex_web.methodologies.models.Methodology` and an audit record.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import record
from parindex_web.cycles.models import Cycle
from parindex_web.lib.core_problems import describe, upload_limits
from parindex_web.lib.users import User
from parindex_web.units.models import AssessingBody

from .display import rule_text
from .models import Methodology

MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 200
TOKEN_SALT = "parindex.methodologies.table"
TOKEN_MAX_AGE = 6 * 3600  # seconds a checked table may wait for its confirmation


def _n(text: str) -> str:
    """A number from the core ("11.5") as the site writes numbers ("11,5" in Vietnamese)."""
    return number_format(parindex.parse_decimal(text)) if text else "—"


def _pair(detail: str) -> list[str]:
    return [*detail.split("|"), "", "", ""][:3]


# kind -> message built from the problem's detail (values joined by "|").
_MESSAGES: dict[str, Callable[[list[str]], str]] = {
    "appendix_no_header": lambda d: (
        _("No header row was found: a row must name the columns %(columns)s.") % {"columns": d[0]}
    ),
    "appendix_missing_column": lambda d: (
        _("The header row lacks the column(s) %(columns)s.") % {"columns": d[0]}
    ),
    "appendix_empty": lambda d: _("The table has no rows under its header."),
    "appendix_code": lambda d: (
        _(
            "STT “%(code)s” is not a numbering like 1, 1.1, 1.1.1 or I, II (or fill in the level column)."
        )
        % {"code": d[0]}
    ),
    "appendix_code_missing": lambda d: _("the STT is empty"),
    "appendix_duplicate": lambda d: (
        _("STT %(code)s is used twice (first in row %(first)s)") % {"code": d[0], "first": d[1]}
    ),
    "appendix_level": lambda d: (
        _("“%(level)s” is not a level; write 1, 2, 3 or Lĩnh vực, Tiêu chí, Tiêu chí thành phần")
        % {"level": d[0]}
    ),
    "appendix_level_mismatch": lambda d: (
        _("the level column says %(given)s but STT %(code)s is numbered as level %(numbered)s")
        % {"given": d[0], "code": d[1], "numbered": d[2]}
    ),
    "appendix_level_skip": lambda d: (
        _(
            "%(code)s is a level-%(level)s row directly under a level-%(above)s row: a row of the "
            "level between them is missing"
        )
        % {"code": d[0], "level": d[1], "above": d[2]}
    ),
    "appendix_numbering": lambda d: (
        _("STT %(code)s is under %(parent)s but not numbered %(parent)s.…")
        % {"code": d[0], "parent": d[1]}
    ),
    "appendix_name": lambda d: _("the name is empty"),
    "appendix_max_number": lambda d: (
        _("the maximum “%(value)s” is not a number") % {"value": d[0]}
        if d[0]
        else _("the maximum is empty")
    ),
    "appendix_max_positive": lambda d: (
        _("the maximum %(value)s must be above 0") % {"value": _n(d[0])}
    ),
    "appendix_sum": lambda d: (
        _("the maximum %(max)s differs from the sum of its children's maxima %(sum)s")
        % {"max": _n(d[0]), "sum": _n(d[1])}
    ),
    "appendix_total": lambda d: (
        _("the declared total %(total)s differs from the sum of the fields' maxima %(sum)s")
        % {"total": _n(d[0]), "sum": _n(d[1])}
    ),
    "appendix_source": lambda d: (
        _("“%(source)s” is not a source; write Thẩm định, Điều tra xã hội học, SIPAS or Dữ liệu")
        % {"source": d[0]}
    ),
    "appendix_rule": lambda d: _("the scoring rule cannot be used: %(reason)s") % {"reason": d[0]},
}


@dataclass(frozen=True)
class TableProblem:
    """One problem of an uploaded table, for the problems table."""

    row: int | None
    column: str
    message: str


def table_problem(problem: parindex.Problem) -> TableProblem:
    """``problem`` in the user's language, with its row and column apart."""
    build = _MESSAGES.get(problem.code)
    if build is not None:
        message = build(_pair(problem.params.get("detail", "")))
    else:  # the workbook's own problems (a formula, a bomb, not a workbook, …)
        message = describe(dataclasses.replace(problem, location=parindex.Location()))
    where = problem.location
    return TableProblem(where.row, where.column or "", message)


def read_upload(upload: Any) -> parindex.Methodology | list[TableProblem]:
    """The methodology of an uploaded appendix table, or every problem found in it."""
    name = upload.name or "table.xlsx"
    if not name.lower().endswith(".xlsx"):
        return [TableProblem(None, "", _("Upload the table as an Excel workbook (.xlsx)."))]
    try:
        limits = upload_limits(max_bytes=MAX_BYTES)
        return parindex.read_appendix_table(upload, name, limits=limits)
    except parindex.ParindexError as exc:
        return [table_problem(p) for p in exc.problems[:MAX_PROBLEMS]]


def previous_methodology(body: AssessingBody, unit_type: str, year: int) -> Methodology | None:
    """The methodology of ``body``'s latest cycle before ``year`` for ``unit_type`` units."""
    cycle = (
        Cycle.objects.filter(body=body, year__lt=year, methodology__unit_type=unit_type)
        .select_related("methodology")
        .order_by("-year", "-pk")
        .first()
    )
    return cycle.methodology if cycle is not None else None


@dataclass(frozen=True)
class TreeRow:
    """One node of the preview, with its level (1: field) and whether it is a leaf."""

    node: parindex.Node
    level: int
    leaf: bool


def tree_rows(m: parindex.Methodology) -> list[TreeRow]:
    return [TreeRow(n, m.level(n.code), m.is_leaf(n.code)) for n in m.nodes]


@dataclass(frozen=True)
class DiffRow:
    """One difference in words: what changed, the node, before and after."""

    kind: str
    label: str
    code: str
    name: str
    before: str
    after: str


def _kind_labels() -> dict[str, str]:
    K = parindex.DifferenceKind
    return {
        K.ADDED: _("added"),
        K.REMOVED: _("removed"),
        K.RENAMED: _("renamed"),
        K.MOVED: _("moved"),
        K.MAX_CHANGED: _("maximum changed"),
        K.RULE_CHANGED: _("scoring rule changed"),
        K.EVIDENCE_CHANGED: _("evidence changed"),
    }


def _side(kind: parindex.DifferenceKind, node: parindex.Node | None) -> str:
    K = parindex.DifferenceKind
    if node is None:
        return "—"
    values: dict[str, Callable[[], str]] = {
        K.RENAMED: lambda: node.name,
        K.MOVED: lambda: node.parent or _("(a field)"),
        K.MAX_CHANGED: lambda: number_format(node.max_points.normalize()),
        K.RULE_CHANGED: lambda: rule_text(node.rule) or _("(no rule: it has children)"),
        K.EVIDENCE_CHANGED: lambda: node.evidence or "—",
    }
    build = values.get(kind)
    return build() if build is not None else node.name


def diff_rows(old: parindex.Methodology, new: parindex.Methodology) -> list[DiffRow]:
    """:func:`parindex.diff_methodologies` in words, in its order."""
    labels = _kind_labels()
    rows = []
    for d in parindex.diff_methodologies(old, new):
        node = d.new or d.old
        assert node is not None
        rows.append(
            DiffRow(
                d.kind.value,
                labels[d.kind],
                d.code,
                node.name,
                _side(d.kind, d.old),
                _side(d.kind, d.new),
            )
        )
    return rows


def with_metadata(
    m: parindex.Methodology, slug: str, unit_type: str, year: int, decision: str
) -> parindex.Methodology:
    """``m`` with the identity the secretariat gave it."""
    return dataclasses.replace(
        m,
        id=slug,
        unit_type=unit_type,
        valid_from=year,
        decision=dataclasses.replace(m.decision, number=decision),
    )


def free_slug(body: AssessingBody, unit_type: str, year: int) -> str:
    """An identifier not yet used: ``<body>-<unit type>-<year>``, then ``-2``, ``-3``, …"""
    base = slugify(f"{body.code}-{unit_type}-{year}")[:70]
    slug, n = base, 2
    while Methodology.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def token(body: AssessingBody, m: parindex.Methodology) -> str:
    """The checked methodology, signed, for the confirmation form (nothing is stored)."""
    payload = {"body": body.pk, "yaml": parindex.methodology_to_yaml(m)}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def from_token(value: str) -> tuple[int, parindex.Methodology]:
    """The body and methodology of :func:`token`; ``signing.BadSignature`` when it is not one
    of ours or is older than :data:`TOKEN_MAX_AGE`."""
    data = signing.loads(value, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    return int(data["body"]), parindex.parse_methodology_yaml(data["yaml"], "table")


@transaction.atomic
def adopt(
    user: User, body: AssessingBody, m: parindex.Methodology, compared: Methodology | None
) -> Methodology:
    """Store ``m`` as a new methodology version and audit who adopted it, against what.

    Its identifier is the one the preview gave; if that was taken since (the same table adopted
    twice, or two secretaries at once), the next free one.
    """
    stored = Methodology(
        slug=m.id,
        name=m.name[:300],
        unit_type=m.unit_type,
        decision_number=m.decision.number,
        source_format=Methodology.Format.YAML,
        source_text=parindex.methodology_to_yaml(m),
    )
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        m = dataclasses.replace(m, id=free_slug(body, m.unit_type, m.valid_from or 0))
        stored.slug, stored.source_text = m.id, parindex.methodology_to_yaml(m)
        stored.save()
    differences = len(parindex.diff_methodologies(compared.core(), m)) if compared else None
    record(
        user,
        "methodology.adopt",
        obj=stored,
        new={
            "slug": stored.slug,
            "sha256": stored.sha256,
            "body": body.code,
            "nodes": len(m.nodes),
            "compared_with": compared.slug if compared else None,
            "differences": differences,
        },
    )
    return stored


def template_xlsx() -> bytes:
    """The example table to start from: the shipped example methodology, labelled an example."""
    m = parindex.load_methodology(parindex.shipped_methodologies()["example-commune"])
    out = io.BytesIO()
    title = _("EXAMPLE – the criteria, points and rules below are examples, not official figures")
    parindex.write_appendix_xlsx(m, out, title=f"{title} · {m.name}")
    return out.getvalue()
