"""What the secretariat's dashboard shows: each unit's progress in a cycle, and result tables."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django_stubs_ext import StrOrPromise

import parindex
from parindex_web.cycles.evidence_status import lacking_evidence
from parindex_web.cycles.models import (
    SHOWN_STATUSES,
    Assessment,
    Cycle,
    Entry,
    Evidence,
    Explanation,
    Phase,
)
from parindex_web.lib.users import User
from parindex_web.units.models import Unit, vi_sorted


@dataclass
class UnitProgress:
    assessment: Assessment
    filled: int
    appraised: int
    leaves: int
    external: int
    external_leaves: int
    evidence: int
    self_points: Decimal | None
    appraised_points: Decimal | None
    pending: int
    appraisers: list[str]
    missing_evidence: tuple[str, ...] = ()
    phase: str = Phase.DRAFT

    @property
    def done(self) -> int:
        """The leaves done in the current phase: filled until the appraisal opens, then
        appraised."""
        early = self.phase in (Phase.DRAFT, Phase.SELF_ASSESSMENT)
        return self.filled if early else self.appraised

    @property
    def share_done(self) -> Decimal:
        return Decimal(self.done) / self.leaves if self.leaves else Decimal(1)


def codes_by_source(core: parindex.Methodology) -> tuple[list[str], list[str]]:
    """Leaf codes scored by appraisal, and those from surveys, SIPAS or service data."""
    own = [
        leaf.code for leaf in core.leaves if core.source_of(leaf.code) is parindex.Source.APPRAISAL
    ]
    external = [leaf.code for leaf in core.leaves if leaf.code not in own]
    return own, external


def display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def unit_progress(cycle: Cycle) -> list[UnitProgress]:
    """One row per unit in scope, in Vietnamese order of the unit names."""
    own, external = codes_by_source(cycle.core())
    entries = {
        row["assessment"]: row
        for row in Entry.objects.filter(assessment__cycle=cycle)
        .values("assessment")
        .annotate(
            filled=Count("pk", filter=Q(code__in=own, self_points__isnull=False)),
            appraised=Count("pk", filter=Q(code__in=own, appraised_points__isnull=False)),
            external=Count("pk", filter=Q(code__in=external, external_points__isnull=False)),
            self_sum=Sum("self_points", filter=Q(code__in=own)),
            appraised_sum=Sum("appraised_points", filter=Q(code__in=own)),
        )
    }
    evidence = Counter(
        Evidence.objects.filter(assessment__cycle=cycle).values_list("assessment", flat=True)
    )
    pending = Counter(
        Explanation.objects.filter(
            entry__assessment__cycle=cycle, status=Explanation.Status.PENDING
        ).values_list("entry__assessment", flat=True)
    )
    appraisers: dict[int, list[str]] = {}
    for assignment in cycle.assignments.select_related("appraiser"):
        appraisers.setdefault(assignment.unit_id, []).append(display_name(assignment.appraiser))
    assessments = {a.unit_id: a for a in cycle.assessments.select_related("unit")}
    lacking = lacking_evidence(cycle, assessments.values())
    rows = []
    for unit in vi_sorted([a.unit for a in assessments.values()]):
        a = assessments[unit.pk]
        e: Mapping[str, Any] = entries.get(a.pk, {})
        rows.append(
            UnitProgress(
                assessment=a,
                filled=e.get("filled", 0),
                appraised=e.get("appraised", 0),
                leaves=len(own),
                external=e.get("external", 0),
                external_leaves=len(external),
                evidence=evidence[a.pk],
                self_points=e.get("self_sum"),
                appraised_points=e.get("appraised_sum"),
                pending=pending[a.pk],
                appraisers=sorted(appraisers.get(unit.pk, []), key=parindex.vi_sort_key),
                missing_evidence=lacking[a.pk],
                phase=cycle.phase,
            )
        )
    return rows


FLAGS: dict[str, Callable[[UnitProgress], bool]] = {
    "pending": lambda row: row.pending > 0,
    "missing_evidence": lambda row: bool(row.missing_evidence),
}
"""Filters that are not a status: units with explanations awaiting a decision, units lacking
required evidence."""

_STATUS_ORDER = {key: i for i, (key, _label) in enumerate(SHOWN_STATUSES)}
SORTS: dict[str, Callable[[UnitProgress], Any]] = {
    "name": lambda row: (parindex.vi_sort_key(row.assessment.unit.label), row.assessment.unit.code),
    "code": lambda row: row.assessment.unit.code,
    "progress": lambda row: row.share_done,
    "status": lambda row: _STATUS_ORDER[row.assessment.status_key()],
}
"""Sort keys of the dashboard's table; ties keep the Vietnamese order of the names."""


def filtered(
    rows: list[UnitProgress], *, search: str = "", status: str = "", sort: str = "name"
) -> list[UnitProgress]:
    """``rows`` whose unit name or code contains ``search`` (tones, marks and case ignored:
    "ha noi" finds "Hà Nội"), whose status (or flag in :data:`FLAGS`) is ``status`` when given,
    sorted by ``sort`` (a key of :data:`SORTS`, "-" in front for the reverse order)."""
    needle = parindex.fold(" ".join(search.split()))
    if needle:
        rows = [
            r
            for r in rows
            if needle in parindex.fold(f"{r.assessment.unit.name} {r.assessment.unit.label}")
            or needle in parindex.fold(r.assessment.unit.code)
        ]
    if status in FLAGS:
        rows = [r for r in rows if FLAGS[status](r)]
    elif status:
        rows = [r for r in rows if r.assessment.status_key() == status]
    key = SORTS[sort.removeprefix("-")]
    return sorted(rows, key=key, reverse=sort.startswith("-"))


def status_counts(cycle: Cycle) -> list[tuple[StrOrPromise, int]]:
    """(status label, number of units) for every status, in workflow order."""
    counts = Counter(cycle.assessments.values_list("status", flat=True))
    return [(label, counts[value]) for value, label in Assessment.Status.choices]


@dataclass
class ResultRow:
    rank: int
    unit: str
    name: str
    total_points: Decimal
    index: Decimal
    group: str
    fields: list[Decimal]


def _units(cycle: Cycle | None, codes: list[str]) -> QuerySet[Unit]:
    """The units named: the cycle's, by a join (a national cycle's thousands of codes would pass
    SQLite's variable limit as an ``IN`` list), or those codes when no cycle is given."""
    if cycle is not None:
        return Unit.objects.filter(assessments__cycle=cycle)
    return Unit.objects.filter(code__in=codes)


def result_table(
    data: dict[str, Any], cycle: Cycle | None = None
) -> tuple[list[dict[str, Any]], list[ResultRow]]:
    """Fields and rows of a results table from ``parindex.results_to_dict`` data (a preview's or
    a publication's snapshot, of ``cycle``). Figures are Decimals carrying the published
    places."""
    fields = data["methodology"]["nodes"]
    codes = [u["unit"] for u in data["units"]]
    names = {u.code: u.label for u in _units(cycle, codes)}
    rows = []
    for u in data["units"]:
        indices = {n["code"]: Decimal(n["index"]) for n in u["nodes"]}
        rows.append(
            ResultRow(
                rank=u["rank"],
                unit=u["unit"],
                name=names.get(u["unit"], u["unit"]),
                total_points=Decimal(u["total_points"]),
                index=Decimal(u["index"]),
                group=u["group"] or "",
                fields=[indices[f["code"]] for f in fields],
            )
        )
    return fields, rows


def with_names(data: dict[str, Any], cycle: Cycle | None = None) -> dict[str, Any]:
    """``results_to_dict`` data (of ``cycle``) with each unit's name added as ``unit_name``."""
    codes = [u["unit"] for u in data["units"]]
    names = {u.code: u.name for u in _units(cycle, codes)}
    units = [{**u, "unit_name": names.get(u["unit"], "")} for u in data["units"]]
    return {**data, "units": units}


def csv_with_names(text: str, cycle: Cycle | None = None) -> str:
    """A results CSV with a ``unit_name`` column appended, for people: :data:`parindex.CSV_BOM`
    first (Excel then reads the UTF-8), the core's columns and values, every field through
    :func:`parindex.csv_row` (a name starting with ``=`` gets a quote in front; numbers,
    ``-1.50`` included, are left as they are)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text
    names = {u.code: u.name for u in _units(cycle, [r[0] for r in rows[1:]])}
    out = io.StringIO()
    out.write(parindex.CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(parindex.csv_row([*rows[0], "unit_name"]))
    for row in rows[1:]:
        writer.writerow(parindex.csv_row([*row, names.get(row[0], "")]))
    return out.getvalue()
