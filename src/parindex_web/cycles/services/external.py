"""Survey and service-data points, entered by the secretariat."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import parindex

from ..models import (
    Cycle,
    Entry,
    Phase,
)
from .entries import _entry_audit, checked_points
from .errors import CycleError, InputRefused
from .phases import require_phase


@transaction.atomic
def set_external_points(user: Any, cycle: Cycle, rows: Mapping[tuple[str, str], Decimal]) -> int:
    """Secretariat: points of survey/SIPAS/data leaves, by (unit code, leaf code). All or nothing."""
    require_phase(cycle, Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.EXPLANATION, deadline=False)
    core = cycle.core()
    # The entries asked for (and a few more), locked until the import ends.
    entries = {
        (e.assessment.unit.code, e.code): e
        for e in Entry.objects.filter(
            assessment__cycle=cycle,
            assessment__unit__code__in={unit for unit, _code in rows},
            code__in={code for _unit, code in rows},
        )
        .select_related("assessment__unit")
        .select_for_update(of=("self",))
    }
    problems = []
    for (unit, code), points in rows.items():
        if (unit, code) not in entries:
            problems.append(
                _("%(unit)s / %(code)s: no such unit or criterion in this cycle")
                % {"unit": unit, "code": code}
            )
        elif core.source_of(code) is parindex.Source.APPRAISAL:
            problems.append(
                _("%(code)s is scored by appraisal, not from surveys or data") % {"code": code}
            )
        elif not _in_range(core, code, points):
            problems.append(
                _("%(unit)s / %(code)s: points outside the maximum") % {"unit": unit, "code": code}
            )
    if problems:
        raise CycleError("; ".join(problems))
    for key, points in rows.items():
        entry = entries[key]
        old = entry.external_points
        Entry.objects.filter(pk=entry.pk).update(
            external_points=points, version=F("version") + 1, updated_at=timezone.now()
        )
        entry.external_points = points
        _entry_audit(user, entry, "external_points", old, points)
    return len(rows)


def _in_range(core: parindex.Methodology, code: str, points: Decimal) -> bool:
    try:
        checked_points(core, code, points)
    except InputRefused:
        return False
    return True
