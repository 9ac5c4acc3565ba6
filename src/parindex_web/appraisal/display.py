"""What the appraisal pages show: one row per appraisal leaf, inputs in words, progress counts.

Nothing here scores or aggregates: points come from the stored entries (scored by the core
through the services) and from :meth:`Entry.result_points`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

import parindex
from parindex_web.cycles.models import Assessment, Entry, Evidence, Explanation
from parindex_web.methodologies import display


@dataclass
class Leaf:
    """One appraisal leaf of an assessment, as the pages show it."""

    node: parindex.Node
    field: parindex.Node
    parent: parindex.Node | None
    entry: Entry
    input_text: str
    evidence: list[Evidence]
    explanations: list[Explanation]
    counts: Decimal | None
    # dataclasses' field by its full name: ``field`` in this class is the leaf's field.
    forms: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def appraised(self) -> bool:
        return self.entry.appraised_points is not None

    @property
    def differs(self) -> bool:
        return self.appraised and self.entry.appraised_points != self.entry.self_points

    @property
    def pending(self) -> Explanation | None:
        return next((x for x in self.explanations if x.status == Explanation.Status.PENDING), None)


def appraisal_codes(core: parindex.Methodology) -> list[str]:
    """Codes of the leaves scored by self-assessment and appraisal, in methodology order."""
    return [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]


def _number(value: object) -> str:
    try:
        return formats.number_format(parindex.parse_decimal(value).normalize())
    except ValueError:
        return str(value)


def describe_input(rule: parindex.Rule | None, inputs: Mapping[str, object]) -> str:
    """The self-assessed input in words: the level's label, yes/no, a percentage, counts."""
    if not inputs:
        return ""
    specs = {spec.name: spec for spec in rule.inputs(Decimal(0))} if rule else {}
    choices = [(name, specs[name]) for name in inputs if name in specs and not specs[name].numeric]
    if choices:  # a level or yes/no: the rule's only input
        name, spec = choices[0]
        return display.choice_text(spec, inputs[name]) or str(inputs[name]).strip()
    if "percent" in inputs:
        return _("%(percent)s %%") % {"percent": _number(inputs["percent"])}
    if "achieved" in inputs or "planned" in inputs:
        return _("%(achieved)s achieved of %(planned)s planned") % {
            "achieved": _number(inputs.get("achieved", "")),
            "planned": _number(inputs.get("planned", "")),
        }
    if "count" in inputs:
        return _("%(count)s item(s)") % {"count": _number(inputs["count"])}
    if "points" in inputs:
        return _("%(points)s points") % {"points": _number(inputs["points"])}
    return ", ".join(f"{k}: {v}" for k, v in inputs.items())


def leaves(assessment: Assessment) -> list[Leaf]:
    """Every appraisal leaf of the assessment in methodology order, with its documents and
    explanations."""
    core = assessment.cycle.core()
    entries = {
        e.code: e
        for e in assessment.entries.select_related("appraised_by").prefetch_related(
            "evidence", "explanations__evidence", "explanations__decided_by"
        )
    }
    rows = []
    for code in appraisal_codes(core):
        entry = entries.get(code)
        if entry is None:
            continue
        node = core.by_code[code]
        rows.append(
            Leaf(
                node=node,
                field=core.by_code[core.field_of(code)],
                parent=core.by_code.get(node.parent) if node.parent else None,
                entry=entry,
                input_text=describe_input(node.rule, entry.inputs),
                evidence=list(entry.evidence.all()),
                explanations=list(entry.explanations.all()),
                counts=entry.result_points(parindex.Source.APPRAISAL),
            )
        )
    return rows


@dataclass
class Progress:
    appraised: int
    total: int
    differences: int
    pending: int


def progress(assessment: Assessment) -> Progress:
    """Leaves appraised, appraisal leaves, differences from the self-assessment, pending
    explanations."""
    codes = appraisal_codes(assessment.cycle.core())
    rows = list(
        assessment.entries.filter(code__in=codes).values_list("self_points", "appraised_points")
    )
    pending = Explanation.objects.filter(
        entry__assessment=assessment, status=Explanation.Status.PENDING
    ).count()
    return Progress(
        appraised=sum(1 for _s, a in rows if a is not None),
        total=len(codes),
        differences=sum(1 for s, a in rows if a is not None and a != s),
        pending=pending,
    )


def plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without trailing zeros (0.5000 → 0.5), for form fields."""
    return None if value is None else Decimal(f"{value.normalize():f}")
