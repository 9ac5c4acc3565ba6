"""The cycle's actions: each checks phase, deadline and state, saves, audits and notifies.

Views call these after loading objects through :mod:`..access` (which checks roles); the
secretariat's set-up actions (:func:`create_cycle`, :func:`set_deadlines`,
:func:`set_assignments`) check the role again themselves. Every refusal is a :class:`CycleError`
with a translated message (and the field it refuses, if one); every change is written to the
audit trail inside the same transaction as the change itself.

One module per area: :mod:`.phases`, :mod:`.setup`, :mod:`.self_assessment`, :mod:`.evidence`,
:mod:`.appraisal`, :mod:`.explanations`, :mod:`.external` (survey and service-data points) and
:mod:`.publication` (finalisation and publication); the refusals are in :mod:`.errors` and what
every action on a leaf shares in :mod:`.entries`. The names callers use are re-exported here.
"""

from .appraisal import (
    accept_remaining,
    appraise,
    complete_appraisal,
    fingerprint,
    points_total,
    remaining_fingerprint,
    remaining_to_accept,
)
from .entries import checked_points, require_appraisal_leaf
from .errors import Conflict, CycleError, EvidenceRefused, InputRefused, StaleList
from .evidence import accepted_types, add_evidence, evidence_type, link_evidence
from .explanations import decide, explain
from .external import set_external_points
from .finalising import finalise
from .phases import advance_phase, ensure_entries, reopen, require_officer_can_edit, require_phase
from .publication import (
    compute_results,
    correct_final_points,
    final_scores,
    publish,
    scores_csv,
)
from .self_assessment import (
    SENT_BACK,
    save_self_assessment,
    score_input,
    send_back,
    sent_back,
    sign_off,
)
from .setup import (
    CLOSED,
    DEADLINES,
    FIRST_YEAR,
    allowed_years,
    create_cycle,
    deadline_order_problems,
    require_secretariat,
    set_assignments,
    set_deadlines,
)

__all__ = [
    "CLOSED",
    "DEADLINES",
    "FIRST_YEAR",
    "SENT_BACK",
    "Conflict",
    "CycleError",
    "EvidenceRefused",
    "InputRefused",
    "StaleList",
    "accept_remaining",
    "accepted_types",
    "add_evidence",
    "advance_phase",
    "allowed_years",
    "appraise",
    "checked_points",
    "complete_appraisal",
    "compute_results",
    "correct_final_points",
    "create_cycle",
    "deadline_order_problems",
    "decide",
    "ensure_entries",
    "evidence_type",
    "explain",
    "final_scores",
    "finalise",
    "fingerprint",
    "link_evidence",
    "points_total",
    "publish",
    "remaining_fingerprint",
    "remaining_to_accept",
    "reopen",
    "require_appraisal_leaf",
    "require_officer_can_edit",
    "require_phase",
    "require_secretariat",
    "save_self_assessment",
    "score_input",
    "scores_csv",
    "send_back",
    "sent_back",
    "set_assignments",
    "set_deadlines",
    "set_external_points",
    "sign_off",
]
