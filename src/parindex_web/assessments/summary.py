"""What the self-assessment pages show: the tree with each leaf's entry, progress, per-field
summary, readable inputs and why a page is read-only. Points are summed by the core."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import parindex
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import access, services
from parindex_web.cycles.models import Assessment, Entry, Evidence, Explanation, Phase
from parindex_web.methodologies import display

from .forms import INPUT_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass
class Row:
    """One node of the tree as the page shows it."""

    node: parindex.Node
    level: int
    heading: str
    is_leaf: bool
    source: parindex.Source
    entry: Entry | None = None
    form: object = None
    inputs: list[tuple[str, str]] = field(default_factory=list)
    legal_basis: str = ""

    @property
    def is_appraisal(self) -> bool:
        return self.source is parindex.Source.APPRAISAL

    @property
    def rule_text(self) -> str:
        return display.rule_text(self.node.rule)


@dataclass
class Progress:
    done: int
    total: int
    with_evidence: int
    claimed: Decimal
    maximum: Decimal

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


@dataclass
class FieldSummary:
    node: parindex.Node
    claimed: Decimal
    maximum: Decimal
    missing: list[str]


def entries_by_code(assessment: Assessment) -> dict[str, Entry]:
    entries = assessment.entries.select_related("updated_by").prefetch_related("evidence")
    return {e.code: e for e in entries}


def appraisal_leaves(core: parindex.Methodology) -> list[parindex.Node]:
    return [n for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]


def tree(assessment: Assessment, entries: dict[str, Entry]) -> list[Row]:
    """Every node in methodology order: fields and criteria as headings, leaves with entries."""
    core = assessment.cycle.core()
    rows = []
    for node in core.nodes:
        level, is_leaf = core.level(node.code), core.is_leaf(node.code)
        heading = f"h{min(level + 1, 6)}" if not is_leaf else f"h{min(max(level + 1, 4), 6)}"
        entry = entries.get(node.code)
        rows.append(Row(node, level, heading, is_leaf, core.source_of(node.code), entry=entry))
        rows[-1].legal_basis = legal_basis(core, node.code)
        if entry is not None:
            rows[-1].inputs = readable_inputs(node, entry.inputs)
    return rows


def legal_basis(core: parindex.Methodology, code: str) -> str:
    """The node's legal basis, or the nearest ancestor's (criteria usually carry it)."""
    node: parindex.Node | None = core.by_code[code]
    while node is not None and not node.legal_basis:
        node = core.by_code.get(node.parent) if node.parent else None
    return node.legal_basis if node is not None else ""


def readable_inputs(node: parindex.Node, inputs: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) pairs a person reads: level labels, yes/no in words."""
    specs = {spec.name: spec for spec in node.rule.inputs(node.max_points)} if node.rule else {}
    return [
        (
            str(INPUT_LABELS.get(name, name)),
            (display.choice_text(specs[name], value) if name in specs else None) or str(value),
        )
        for name, value in inputs.items()
    ]


def _core_points(core: parindex.Methodology, scores: dict[str, Decimal]) -> parindex.UnitResult:
    return parindex.compute(core, {"unit": scores}).units[0]


def progress(assessment: Assessment, entries: dict[str, Entry]) -> Progress:
    """Leaves done and with evidence out of the appraisal leaves; points claimed out of their
    maximum (published rounding, by the core)."""
    core = assessment.cycle.core()
    leaves = appraisal_leaves(core)
    mine = [entries[n.code] for n in leaves if n.code in entries]
    claimed = {e.code: e.self_points for e in mine if e.self_points is not None}
    result = _core_points(core, claimed).by_source[parindex.Source.APPRAISAL]
    return Progress(
        done=len(claimed),
        total=len(leaves),
        with_evidence=sum(1 for e in mine if e.evidence.all()),
        claimed=result.published_points,
        maximum=result.max_points,
    )


def fields_summary(assessment: Assessment, entries: dict[str, Entry]) -> list[FieldSummary]:
    """Per field: points claimed, maximum of its self-assessed leaves, leaves still missing."""
    core = assessment.cycle.core()
    leaves = appraisal_leaves(core)
    claimed = {
        n.code: entries[n.code].self_points
        for n in leaves
        if n.code in entries and entries[n.code].self_points is not None
    }
    got = _core_points(core, claimed).nodes
    top = _core_points(core, {n.code: n.max_points for n in leaves}).nodes
    return [
        FieldSummary(
            node=f,
            claimed=got[f.code].published_points,
            maximum=top[f.code].points,
            missing=[
                n.code for n in leaves if core.field_of(n.code) == f.code and n.code not in claimed
            ],
        )
        for f in core.fields
    ]


def why_read_only(user: AbstractBaseUser | AnonymousUser, assessment: Assessment) -> str:
    """Empty when the user may change the self-assessment now, else the reason why not."""
    if not access.is_officer(user, assessment):
        return _("Only the unit's officers can change the self-assessment; you can view it.")
    try:
        services.require_officer_can_edit(assessment)
    except services.CycleError as exc:
        return str(exc)
    return ""


def why_cannot_sign(user: AbstractBaseUser | AnonymousUser, assessment: Assessment) -> str:
    """Empty when the user may sign off now (missing leaves are the service's to report)."""
    if not access.is_leader(user, assessment):
        return _("Only the unit's leaders can sign off the self-assessment.")
    try:
        services.require_officer_can_edit(assessment)
    except services.CycleError as exc:
        return str(exc)
    return ""


def roles(user: AbstractBaseUser | AnonymousUser, assessment: Assessment) -> dict[str, bool]:
    return {
        "is_officer": access.is_officer(user, assessment),
        "is_leader": access.is_leader(user, assessment),
    }


@dataclass
class AppraisalFacts:
    """What the unit's own pages show of the appraisal once it is completed.

    ``differing``: entry ids of appraisal leaves whose appraised score differs; ``awaiting``:
    those with no explanation yet; ``explaining``: the explanation window is open (then each
    differing leaf links to its explanation).
    """

    shown: bool
    explaining: bool = False
    differing: set[int] = field(default_factory=set)
    awaiting: set[int] = field(default_factory=set)


AFTER_APPRAISAL = (Phase.EXPLANATION, Phase.FINALISED, Phase.PUBLISHED)


def appraisal_facts(assessment: Assessment, entries: dict[str, Entry]) -> AppraisalFacts:
    """The appraisal as the unit sees it: nothing before it is completed."""
    done = (Assessment.Status.APPRAISED, Assessment.Status.FINAL)
    if assessment.status not in done and assessment.cycle.phase not in AFTER_APPRAISAL:
        return AppraisalFacts(shown=False)
    core = assessment.cycle.core()
    differing = {
        e.pk
        for e in entries.values()
        if core.source_of(e.code) is parindex.Source.APPRAISAL
        and e.appraised_points is not None
        and e.appraised_points != e.self_points
    }
    explained = set(
        Explanation.objects.filter(entry_id__in=differing).values_list("entry_id", flat=True)
    )
    try:
        services.require_phase(assessment.cycle, Phase.EXPLANATION)
    except services.CycleError:
        explaining = False
    else:
        explaining = True
    return AppraisalFacts(True, explaining, differing, differing - explained)


FIELD_LABELS = {
    "inputs": gettext_lazy("Input"),
    "self_points": gettext_lazy("Self-assessed points"),
    "note": gettext_lazy("Note"),
    "evidence": gettext_lazy("Evidence documents"),
    "appraised_points": gettext_lazy("Appraised points"),
    "external_points": gettext_lazy("Points from survey or service data"),
    "explanation": gettext_lazy("Explanation"),
    "explanation_decision": gettext_lazy("Decision on the explanation"),
}


class Linked(TypedDict):
    linked: bool


if TYPE_CHECKING:  # WithAnnotations takes its second argument for the type checker only
    #: A unit's document with ``linked``: whether the leaf asked about cites it.
    LinkedEvidence = WithAnnotations[Evidence, Linked]


def documents_of(assessment: Assessment, entry: Entry) -> QuerySet[LinkedEvidence]:
    """The unit's documents in upload order, each with ``linked``: whether ``entry`` cites it.

    One read gives both the leaf's documents and the unit's (to attach, and to name in the
    history).
    """
    cited = Entry.evidence.through.objects.filter(entry=entry, evidence=OuterRef("pk"))
    return assessment.evidence.annotate(linked=Exists(cited))


@dataclass(frozen=True)
class HistoryLine:
    """One audit record of a leaf as its page shows it: labels and values made readable."""

    at: datetime
    actor_name: str
    phase_label: str
    field_label: str
    old_value: str
    new_value: str
    reason: str


def history(
    assessment: Assessment, code: str, documents: Iterable[Evidence] | None = None
) -> list[HistoryLine]:
    """The leaf's audit records, newest first, with readable ``field_label`` and ``phase_label``.

    ``documents``: the unit's documents, if the caller has them (else they are read), to name
    the documents of evidence changes.
    """
    records = AuditRecord.objects.filter(
        cycle_id=assessment.cycle_id, unit_code=assessment.unit.code, code=code
    ).order_by("-at", "-pk")
    phases = dict(Phase.choices)
    if documents is None:
        documents = assessment.evidence.all()
    names = {str(d.pk): d.doc_number or d.original_name for d in documents}
    core = assessment.cycle.core()
    node = core.by_code.get(code)

    def readable(kind: str, value: str) -> str:
        if kind == "evidence":  # document ids → their numbers
            ids = [i.strip() for i in value.strip("[]").split(",")]
            return ", ".join(names.get(i, i) for i in ids if i)
        if kind == "inputs" and node is not None:  # {"level": "late"} → its label
            return _readable_json(node, value)
        if kind in POINTS_FIELDS:  # the methodology's places, the language's mark
            return _number(value, core.places)
        return value

    return [
        HistoryLine(
            at=r.at,
            actor_name=r.actor_name,
            phase_label=str(phases.get(r.phase, r.phase)),
            field_label=str(FIELD_LABELS.get(r.field, r.field)),
            old_value=readable(r.field, r.old_value),
            new_value=readable(r.field, r.new_value),
            reason=r.reason,
        )
        for r in records
    ]


POINTS_FIELDS = {"self_points", "appraised_points", "external_points"}


def _number(text: str, places: int) -> str:
    """A recorded score ("2.0000") as the pages show scores: the methodology's places, more only
    if significant ("2,00"; ``parindex.format_recorded``), with the language's decimal mark."""
    try:
        return number_format(Decimal(parindex.format_recorded(Decimal(text), places)))
    except ArithmeticError:  # empty or not a number: shown as recorded
        return text


def _readable_json(node: parindex.Node, text: str) -> str:
    """An audited inputs value (JSON) as "label: value; …"; other text as it is."""
    try:
        inputs = json.loads(text) if text else {}
    except ValueError:
        return text
    if not isinstance(inputs, dict):
        return text
    return "; ".join(f"{label}: {value}" for label, value in readable_inputs(node, inputs))
