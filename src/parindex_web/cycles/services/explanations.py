"""Explanations: the unit's reply to an appraisal and the appraiser's decision."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex_web.lib.users import User
from parindex_web.notifications import services as handovers

from ..models import (
    Entry,
    Explanation,
    Phase,
)
from .entries import _entry_audit, _units_documents, checked_points
from .errors import CycleError
from .phases import require_phase


@transaction.atomic
def explain(
    user: User, entry: Entry, *, text: str, evidence_ids: Iterable[int] = ()
) -> Explanation:
    """Unit officer: reply to the appraisal of a leaf during the explanation window."""
    require_phase(entry.assessment.cycle, Phase.EXPLANATION)
    if entry.appraised_points is None:
        raise CycleError(_("This criterion has not been appraised."))
    if not text.strip():
        raise CycleError(_("Write the explanation."), "text")
    if entry.explanations.filter(status=Explanation.Status.PENDING).exists():
        raise CycleError(_("An explanation for this criterion is already awaiting a decision."))
    documents = _units_documents(entry.assessment, evidence_ids)
    explanation = Explanation.objects.create(entry=entry, text=text, submitted_by=user)
    explanation.evidence.set(documents)
    _entry_audit(user, entry, "explanation", None, text)
    handovers.explanation_filed(explanation)
    return explanation


@transaction.atomic
def decide(
    user: User, explanation: Explanation, *, accept: bool, points: Decimal | None, reason: str
) -> None:
    """Appraiser: accept (with the points that now count) or reject an explanation."""
    entry = explanation.entry
    require_phase(entry.assessment.cycle, Phase.EXPLANATION, deadline=False)
    if explanation.status != Explanation.Status.PENDING:
        raise CycleError(_("This explanation has already been decided."))
    if not reason.strip():
        raise CycleError(_("Give a reason for the decision."), "reason")
    if accept:
        core = entry.assessment.cycle.core()
        points = checked_points(core, entry.code, entry.self_points if points is None else points)
    explanation.status = Explanation.Status.ACCEPTED if accept else Explanation.Status.REJECTED
    explanation.decided_points = points if accept else None
    explanation.decision_reason, explanation.decided_by = reason, user
    explanation.decided_at = timezone.now()
    explanation.save()
    _entry_audit(
        user,
        entry,
        "explanation_decision",
        entry.appraised_points,
        points if accept else entry.appraised_points,
        reason,
    )
    handovers.explanation_decided(explanation)
