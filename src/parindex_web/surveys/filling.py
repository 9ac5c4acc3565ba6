"""Survey results into the cycle's survey- and SIPAS-sourced leaves (issue 18 point 7).

The questionnaire says which figure feeds which leaf (its ``settings`` sheet's ``par_leaves``
column, read by :func:`parindex.surveys.leaf_sources`); the core turns the stored responses'
figures into points (:func:`parindex.surveys.leaf_points`: the leaf's maximum × the share
satisfied, rounded as the cycle's methodology rounds). :func:`preview` shows every unit's points
before → after, nothing written; :func:`fill` writes exactly what the preview showed (its digest
must still match) through :func:`~parindex_web.cycles.services.set_external_points`, which checks
the phase and audits every change, and records the source of each point in
:class:`~.models.SurveyPoints`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

import parindex
from parindex.surveys import LeafSource, SurveyError, leaf_points, leaf_sources
from parindex_web.audit.models import record
from parindex_web.cycles.services import set_external_points
from parindex_web.cycles.services.external import check_external
from parindex_web.lib.core_problems import describe
from parindex_web.lib.users import User

from . import services
from .models import Questionnaire, SurveyPoints


class FillRefused(Exception):
    """The fill is refused; ``problems`` says why, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class FillRow:
    unit: str
    unit_name: str
    leaf: str
    leaf_name: str
    item: str
    before: Decimal | None
    after: Decimal
    estimate: Decimal
    ci_low: Decimal
    ci_high: Decimal
    n: int
    few: bool


@dataclasses.dataclass(frozen=True)
class Preview:
    rows: list[FillRow]
    unfilled: list[str]
    """The (unit, leaf) pairs that get no points, each with its reason: they keep theirs."""
    digest: str
    sources: tuple[LeafSource, ...]


def _text(problem: parindex.Problem) -> str:
    bare = dataclasses.replace(problem, location=parindex.Location())
    if problem.location.column:
        return _("Sheet “settings”, column “par_leaves”: %(message)s") % {"message": describe(bare)}
    return describe(bare)


def preview(q: Questionnaire) -> Preview:
    """What a fill would write, nothing written; :class:`FillRefused` when the questionnaire
    maps no leaf, maps a wrong one, has no responses, and ``CycleError`` when the cycle's phase
    (or a point out of its range) refuses survey points."""
    cycle = q.cycle
    check_external(cycle, {})  # the phase first: nothing else matters when it refuses
    form = services.stored_form(q)
    try:
        sources = leaf_sources(form)
    except SurveyError as exc:
        raise FillRefused([_text(p) for p in exc.problems]) from None
    if not sources:
        raise FillRefused(
            [
                _(
                    "The questionnaire maps no criterion to its figures: add the column "
                    "par_leaves to its settings sheet, pairs LEAF=ITEM (docs/surveys.md)."
                )
            ]
        )
    figures = services.estimates(q, form)
    if not figures:
        raise FillRefused([_("The questionnaire has no responses yet.")])
    core = cycle.core()
    names = dict(cycle.assessments.values_list("unit__code", "unit__name"))
    try:
        found = leaf_points(core, figures, sources, sorted(names), q.file_name)
    except SurveyError as exc:
        raise FillRefused([_text(p) for p in exc.problems]) from None
    points = {(r.unit, r.leaf): r.points for r in found.rows}
    stored = check_external(cycle, points)
    rows = [
        FillRow(
            r.unit,
            names.get(r.unit, ""),
            r.leaf,
            core.by_code[r.leaf].name,
            r.item,
            stored[(r.unit, r.leaf)][1],
            r.points,
            r.estimate,
            r.ci_low,
            r.ci_high,
            r.n,
            r.few,
        )
        for r in found.rows
    ]
    text = "\n".join(f"{r.unit}\t{r.leaf}\t{r.after}" for r in rows)
    digest = hashlib.sha256(f"{q.pk}\n{text}".encode()).hexdigest()
    return Preview(rows, [_text(p) for p in found.problems], digest, sources)


@transaction.atomic
def fill(q: Questionnaire, user: User, digest: str) -> int:
    """Writes the points :func:`preview` shows, if its ``digest`` is still theirs (new
    responses, or a point entered meanwhile, change it: the user looks again). Returns the
    number of points written."""
    shown = preview(q)
    if not shown.rows:
        raise FillRefused([_("No unit has a figure to fill; nothing was written.")])
    if digest != shown.digest:
        raise FillRefused(
            [_("The figures changed since the preview; look at them again before confirming.")]
        )
    cycle = q.cycle
    count = set_external_points(user, cycle, {(r.unit, r.leaf): r.after for r in shown.rows})
    keys = {(r.unit, r.leaf) for r in shown.rows}
    old = SurveyPoints.objects.filter(
        cycle=cycle, leaf__in={leaf for _u, leaf in keys}
    ).values_list("pk", "unit_code", "leaf")
    SurveyPoints.objects.filter(pk__in=[pk for pk, u, leaf in old if (u, leaf) in keys]).delete()
    SurveyPoints.objects.bulk_create(
        SurveyPoints(
            cycle=cycle,
            questionnaire=q,
            questionnaire_title=q.title,
            unit_code=r.unit,
            leaf=r.leaf,
            item=r.item,
            points=r.after,
            estimate=r.estimate,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            n=r.n,
            few=r.few,
            filled_by=user,
        )
        for r in shown.rows
    )
    record(
        user,
        "questionnaire.fill_index",
        obj=q,
        cycle_id=cycle.pk,
        new={
            "points": count,
            "leaves": [f"{s.leaf}={s.item}" for s in shown.sources],
            "digest": shown.digest,
        },
    )
    return count
