"""A small assessing body with one unit in the appraisal phase, and every persona the appraisal
pages meet: the assigned appraiser, an unassigned appraiser of the same body, the secretariat,
the unit's officer and leader, and an appraiser of another body."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from world import example_methodology

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry, Phase
from parindex_web.units.models import AssessingBody, Unit

LOWERED = "1.1.2"  # the leaf the appraiser scores below the self-assessment


def inputs_for(rule: parindex.Rule) -> dict[str, object]:
    """Input that gives a leaf its maximum (or the first level)."""
    if isinstance(rule, parindex.LevelsRule):
        return {"level": rule.levels[0].key}
    if isinstance(rule, parindex.YesNoRule):
        return {"value": "yes"}
    if isinstance(rule, parindex.ThresholdsRule):
        return {"percent": "95"}
    if isinstance(rule, parindex.ProportionalRule):
        return {"achieved": 10, "planned": 10}
    if isinstance(rule, parindex.DeductionRule):
        return {"count": 0}
    return {"points": "1"}


@dataclass
class World:
    body: AssessingBody
    unit: Unit
    cycle: Cycle
    assessment: Assessment
    appraiser: Any
    colleague: Any  # appraiser of the same body, not assigned to the unit
    secretariat: Any
    officer: Any
    leader: Any
    outsider: Any  # appraiser of another body

    def entry(self, code: str) -> Entry:
        return Entry.objects.get(assessment=self.assessment, code=code)

    def appraisal_entries(self) -> list[Entry]:
        core = self.cycle.core()
        return [
            e
            for e in self.assessment.entries.order_by("pk")
            if core.source_of(e.code) is parindex.Source.APPRAISAL
        ]

    def appraise_all(self, lowered: str = LOWERED) -> None:
        """Appraise every leaf: the self points, except ``lowered`` which gets 0 with a reason."""
        for entry in self.appraisal_entries():
            points, reason = entry.self_points, ""
            if entry.code == lowered:
                points, reason = Decimal(0), "Thiếu tài liệu kiểm chứng"
            services.appraise(
                self.appraiser, entry, points=points, reason=reason, version=entry.version
            )

    def to_explanation_phase(self) -> None:
        self.appraise_all()
        services.complete_appraisal(self.appraiser, self.assessment)
        services.advance_phase(self.secretariat, self.cycle)
        self.refresh()

    def refresh(self) -> None:
        self.cycle.refresh_from_db()
        self.assessment.refresh_from_db()


def _user(username: str, role: Role, **scope: Any) -> Any:
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="x", first_name=username
    )
    Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def world(db: Any) -> World:
    """One unit, self-assessed at the maximum, signed off, in the appraisal phase."""
    body = AssessingBody.objects.create(
        code="snv-test", name="Sở Nội vụ thử", kind=AssessingBody.Kind.PROVINCIAL
    )
    other = AssessingBody.objects.create(
        code="snv-khac", name="Sở Nội vụ khác", kind=AssessingBody.Kind.PROVINCIAL
    )
    unit = Unit.objects.create(code="x-test", name="Xã Thử", unit_type=Unit.Type.COMMUNE, body=body)
    methodology = example_methodology()
    secretariat = _user("thuky", Role.SECRETARIAT, body=body)
    appraiser = _user("thamdinh", Role.APPRAISER, body=body)
    colleague = _user("thamdinh2", Role.APPRAISER, body=body)
    officer = _user("canbo", Role.OFFICER, unit=unit)
    leader = _user("lanhdao", Role.LEADER, unit=unit)
    outsider = _user("ngoai", Role.APPRAISER, body=other)
    cycle = Cycle.objects.create(
        body=body, year=2025, name="Chỉ số thử 2025", methodology=methodology
    )
    assessment = Assessment.objects.create(cycle=cycle, unit=unit)
    Assignment.objects.create(cycle=cycle, appraiser=appraiser, unit=unit)
    services.advance_phase(secretariat, cycle)
    core = cycle.core()
    for entry in assessment.entries.order_by("pk"):
        if core.source_of(entry.code) is parindex.Source.APPRAISAL:
            rule = core.by_code[entry.code].rule
            assert rule is not None
            services.save_self_assessment(
                officer, entry, inputs=inputs_for(rule), note="", version=entry.version
            )
    services.sign_off(leader, assessment)
    services.advance_phase(secretariat, cycle)
    assert cycle.phase == Phase.APPRAISAL
    world = World(
        body, unit, cycle, assessment, appraiser, colleague, secretariat, officer, leader, outsider
    )
    world.refresh()
    mail.outbox.clear()  # sign-off notifications
    return world


def app_forms(page: Any, kind: str = "") -> list[Any]:
    """The page's forms that post to the appraisal app (``kind``: a part of the action)."""
    return [
        f
        for f in page.find_all("form")
        if f.attrs.get("action", "").startswith("/appraisal/") and kind in f.attrs["action"]
    ]
