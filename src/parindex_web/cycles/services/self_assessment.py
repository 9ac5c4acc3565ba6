"""The self-assessment: the officers' input and the leader's sign-off or send-back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import AuditRecord, append, record
from parindex_web.lib.core_problems import describe
from parindex_web.lib.fields import checked_text
from parindex_web.lib.users import User
from parindex_web.notifications import services as handovers

from .. import access, evidence_status
from ..models import (
    Assessment,
    Cycle,
    Entry,
)
from .entries import (
    _entry_change,
    _evidence_change,
    _locked_update,
    _unfilled,
    _units_documents,
    require_appraisal_leaf,
)
from .errors import CycleError, InputRefused
from .phases import _set_status, require_officer_can_edit


def score_input(cycle: Cycle, code: str, inputs: Mapping[str, object]) -> Decimal:
    """Points the leaf's rule gives; :class:`InputRefused` naming the field on bad input.

    The input is checked against the rule's declared inputs (``parindex.check_inputs``: bounds,
    whole counts, one input mode, achieved above planned where the rule refuses it) first, so
    no entry point (form, workbook, API) can save what the rule does not accept. The refusal's
    message is the first problem, "field: message"; its ``problems`` are every problem, each
    on the field it names (what a form shows).
    """
    core = cycle.core()
    node = core.by_code.get(code)
    problems: list[parindex.Problem] = []
    if node is not None and node.rule is not None:
        problems = parindex.check_inputs(node.rule, inputs, node.max_points)
    if not problems:
        try:
            return parindex.score_leaf(core, code, inputs)
        except parindex.InputError as exc:
            problems = list(exc.problems)
    field = problems[0].location.column
    raise InputRefused(
        _("%(field)s: %(message)s") % {"field": field or code, "message": describe(problems[0])},
        field,
        problems=[(p.location.column, describe(p)) for p in problems],
    )


@transaction.atomic
def save_self_assessment(
    user: User,
    entry: Entry,
    *,
    inputs: Mapping[str, object],
    note: str,
    version: int,
    evidence_ids: Iterable[int] | None = None,
) -> Entry:
    """Officer: save a leaf's input and note; points come from the leaf's rule.

    ``evidence_ids`` (optional) become the leaf's documents: every one must be the unit's, else
    :class:`CycleError` and nothing is saved.
    """
    assessment = entry.assessment
    require_officer_can_edit(assessment)
    require_appraisal_leaf(assessment.cycle.core(), entry.code)
    try:  # the forms and the API check it first; this is the last guard
        note = checked_text(note, "note")
    except ValueError as exc:
        raise InputRefused(str(exc), "note") from None
    documents = None if evidence_ids is None else _units_documents(assessment, evidence_ids)
    # JSON cannot hold a Decimal (a form's DecimalField gives one): keep it as exact text.
    clean = {
        k: f"{v:f}" if isinstance(v, Decimal) else v
        for k, v in inputs.items()
        if v is not None and v != ""
    }
    points = score_input(assessment.cycle, entry.code, clean)
    old_inputs, old_points, old_note = entry.inputs, entry.self_points, entry.note
    fresh = _locked_update(
        entry, version, inputs=clean, self_points=points, note=note, updated_by=user
    )
    append(
        [
            *_entry_change(user, fresh, "inputs", old_inputs, clean),
            *_entry_change(user, fresh, "self_points", old_points, points),
            *_entry_change(user, fresh, "note", old_note, note),
            *([] if documents is None else _evidence_change(user, fresh, exactly=documents)),
        ]
    )
    return fresh


@transaction.atomic
def sign_off(user: User, assessment: Assessment) -> None:
    """Leader: sign off and submit. Every appraisal leaf needs its input first, and a leaf whose
    methodology makes its evidence mandatory needs a document if it claims points
    (:func:`.evidence_status.at_sign_off`; other leaves lacking evidence do not stop it)."""
    require_officer_can_edit(assessment)
    missing = _unfilled(assessment, "self_points")
    if missing:
        raise CycleError(
            _("Fill in every criterion before signing off. Missing: %(codes)s")
            % {"codes": ", ".join(missing)}
        )
    refused = evidence_status.at_sign_off(assessment).refused
    if refused:
        raise CycleError(
            _(
                "The methodology makes evidence mandatory for these criteria, which claim points "
                "without a document: attach one to each (or claim 0 points) before signing off. "
                "Missing for: %(codes)s"
            )
            % {"codes": ", ".join(refused)}
        )
    _set_status(user, assessment, Assessment.Status.SUBMITTED)
    assessment.signed_by, assessment.signed_at = user, timezone.now()
    assessment.save(update_fields=["signed_by", "signed_at"])
    handovers.signed_off(assessment)


SENT_BACK = "assessment.sent_back"


@transaction.atomic
def send_back(user: User, assessment: Assessment, comment: str) -> None:
    """Leader: return the draft to the unit's officers with a comment instead of signing off.

    Only a leader of the unit, while the officers may still edit it; the comment is required,
    audited (``assessment.sent_back``, its ``reason``) and e-mailed to the unit's officers.
    """
    if not access.is_leader(user, assessment):
        raise CycleError(_("Only the unit's leaders can send the self-assessment back."))
    require_officer_can_edit(assessment)
    if not comment.strip():
        raise CycleError(_("Write a comment for the officers."), "comment")
    record(
        user,
        SENT_BACK,
        obj=assessment,
        cycle_id=assessment.cycle_id,
        unit_code=assessment.unit.code,
        phase=assessment.cycle.phase,
        field="status",
        old=assessment.status,
        new=assessment.status,
        reason=comment.strip(),
    )
    handovers.sent_back(assessment, comment.strip())


def sent_back(assessment: Assessment) -> AuditRecord | None:
    """The leader's latest send-back (its ``reason`` is the comment) while it still stands: a
    later sign-off or status change ends it."""
    latest = (
        AuditRecord.objects.filter(
            object_type=assessment._meta.label_lower,
            object_id=str(assessment.pk),
            action__in=[SENT_BACK, "assessment.status"],
        )
        .order_by("-at", "-pk")
        .first()
    )
    if latest is None or latest.action != SENT_BACK or assessment.status != Assessment.Status.DRAFT:
        return None
    return latest
