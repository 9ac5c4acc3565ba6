"""The "my work" page's content: what a user takes part in, role by role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

import parindex
from parindex_web.accounts.models import Role
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import access, services
from parindex_web.cycles.models import Assessment, Assignment, Cycle


@dataclass
class UnitItem:
    """An assessment of the user's unit, with their roles in it and the leaves done."""

    assessment: Assessment
    roles: list[str]
    done: int
    total: int
    sent_back: AuditRecord | None = None


def _done(assessment: Assessment) -> tuple[int, int]:
    core = assessment.cycle.core()
    codes = [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]
    done = assessment.entries.filter(code__in=codes, self_points__isnull=False).count()
    return done, len(codes)


def unit_items(user: Any) -> list[UnitItem]:
    officer, leader = access.unit_ids(user, Role.OFFICER), access.unit_ids(user, Role.LEADER)
    assessments = (
        Assessment.objects.filter(unit__in=officer | leader)
        .select_related("cycle", "cycle__methodology", "unit")
        .order_by("-cycle__year", "cycle__name", "unit__code")
    )
    items = []
    for assessment in assessments:
        roles = [
            str(label)
            for role, label, ids in (
                (Role.OFFICER, Role.OFFICER.label, officer),
                (Role.LEADER, Role.LEADER.label, leader),
            )
            if assessment.unit_id in ids
        ]
        item = UnitItem(assessment, roles, *_done(assessment), services.sent_back(assessment))
        items.append(item)
    return items


def appraisal_items(user: Any) -> list[Assessment]:
    """Assessments of the units the user is assigned to appraise (in their bodies' cycles)."""
    pairs = Assignment.objects.filter(
        appraiser=user, cycle__body__in=access.body_ids(user, Role.APPRAISER)
    ).values_list("cycle_id", "unit_id")
    wanted = Q(pk__in=[])
    for cycle_id, unit_id in pairs:
        wanted |= Q(cycle_id=cycle_id, unit_id=unit_id)
    return list(
        Assessment.objects.filter(wanted)
        .select_related("cycle", "unit")
        .order_by("-cycle__year", "cycle__name", "unit__code")
    )


def secretariat_items(user: Any) -> list[Cycle]:
    """The user's bodies' cycles, with how many units have submitted."""
    return list(
        Cycle.objects.filter(body__in=access.body_ids(user, Role.SECRETARIAT))
        .select_related("body")
        .annotate(
            unit_count=Count("assessments"),
            submitted_count=Count(
                "assessments", filter=~Q(assessments__status=Assessment.Status.DRAFT)
            ),
        )
        .order_by("-year", "name")
    )


def for_user(user: Any) -> dict[str, Any]:
    return {
        "unit_items": unit_items(user),
        "appraisal_items": appraisal_items(user),
        "secretariat_items": secretariat_items(user),
    }
