"""The cycle's service tests over the web tests' shared world (tests/web/world.py: one body
with three communes, two in the cycle's scope, each with an officer and a leader; two
appraisers, one assigned to each; the example-commune methodology; a cycle in preparation):
another body's own commune and cycle, and ``flow``, which moves the cycle through its phases
the way people would.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from world import People, entry_of

from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

# Input for every appraisal leaf of the example methodology that gives full marks.
FULL_MARKS: dict[str, dict[str, object]] = {
    "1.1.1": {"level": "on_time"},
    "1.1.2": {"value": "yes"},
    "1.1.3": {"value": "yes"},
    "1.1.4": {"percent": "95"},
    "1.2.1": {"value": "yes"},
    "1.2.2": {"value": "yes"},
    "1.3.1": {"value": "yes"},
    "1.3.2": {"percent": "30"},
    "1.4.1": {"achieved": 5, "planned": 5},
    "1.4.2": {"level": "all"},
    "1.5.1": {"achieved": 10, "planned": 10},
    "1.5.2": {"count": 0},
    "2.1.1": {"count": 0},
    "2.1.2": {"value": "yes"},
    "3.1.1": {"level": "full"},
    "3.1.2": {"value": "yes"},
}
# Survey, SIPAS and service-data leaves: points the secretariat enters.
EXTERNAL = {
    "2.2.1": Decimal("8"),
    "2.2.2": Decimal("6"),
    "3.1.3": Decimal("7.5"),
    "4.1.1": Decimal("12.25"),
    "4.1.2": Decimal("13"),
}


@pytest.fixture
def other_cycle(other_body: AssessingBody, methodology: Methodology, people: People) -> Cycle:
    """Another body's cycle over its own commune."""
    unit = Unit.objects.create(
        code="xa-b1", name="Xã Khác", unit_type=Unit.Type.COMMUNE, body=other_body
    )
    cycle = Cycle.objects.create(
        body=other_body, year=2025, name="Chỉ số CCHC B", methodology=methodology
    )
    Assessment.objects.create(cycle=cycle, unit=unit)
    return cycle


class Flow:
    """Moves the cycle through its phases with the services, as its people would."""

    def __init__(self, cycle: Cycle, people: People, assessments: list[Assessment]) -> None:
        self.cycle, self.people, self.assessments = cycle, people, assessments

    def refresh(self) -> None:
        self.cycle.refresh_from_db()
        for a in self.assessments:
            a.refresh_from_db()

    def officer_of(self, assessment: Assessment) -> Any:
        return [self.people.officer, self.people.officer2][self.assessments.index(assessment)]

    def leader_of(self, assessment: Assessment) -> Any:
        return [self.people.leader, self.people.leader2][self.assessments.index(assessment)]

    def appraiser_of(self, assessment: Assessment) -> Any:
        return [self.people.appraiser, self.people.appraiser2][self.assessments.index(assessment)]

    def open(self) -> None:
        """Preparation → self-assessment (creates the entries)."""
        services.advance_phase(self.people.secretariat, self.cycle)

    def fill(self, assessment: Assessment, inputs: dict[str, dict[str, object]] | None = None):
        for code, values in (inputs or FULL_MARKS).items():
            entry = entry_of(assessment, code)
            services.save_self_assessment(
                self.officer_of(assessment), entry, inputs=values, note="", version=entry.version
            )

    def external(self) -> None:
        services.set_external_points(
            self.people.secretariat,
            self.cycle,
            {(a.unit.code, code): p for a in self.assessments for code, p in EXTERNAL.items()},
        )

    def submit(self, assessment: Assessment) -> None:
        self.fill(assessment)
        services.sign_off(self.leader_of(assessment), assessment)

    def to_appraisal(self) -> None:
        """Open, enter survey/data points, fill and sign off every unit, open the appraisal."""
        self.open()
        self.external()
        for a in self.assessments:
            self.submit(a)
        services.advance_phase(self.people.secretariat, self.cycle)
        self.refresh()

    def appraise_all(self, assessment: Assessment, lower: dict[str, Decimal] | None = None):
        """Appraise every appraisal leaf (as self-assessed, or lowered with a reason)."""
        lower = lower or {}
        for code in FULL_MARKS:
            entry = entry_of(assessment, code)
            points = lower.get(code, entry.self_points)
            reason = "Thiếu tài liệu kiểm chứng" if code in lower else ""
            services.appraise(
                self.appraiser_of(assessment),
                entry,
                points=points,
                reason=reason,
                version=entry.version,
            )
        services.complete_appraisal(self.appraiser_of(assessment), assessment)

    def to_explanation(self, lower: dict[str, Decimal] | None = None) -> None:
        """Through the appraisal (the first unit's ``lower`` leaves lowered) to explanations."""
        self.to_appraisal()
        self.appraise_all(self.assessments[0], lower)
        self.appraise_all(self.assessments[1])
        services.advance_phase(self.people.secretariat, self.cycle)
        self.refresh()

    def to_finalised(self, lower: dict[str, Decimal] | None = None) -> None:
        self.to_explanation(lower)
        services.finalise(self.people.secretariat, self.cycle)
        self.refresh()


@pytest.fixture
def flow(cycle: Cycle, people: People, assessment: Assessment, assessment2: Assessment) -> Flow:
    return Flow(cycle, people, [assessment, assessment2])


@pytest.fixture
def upload() -> Any:
    """A factory of uploaded files: ``upload(b"bytes", "name.pdf", "application/pdf")``.

    Evidence is checked by its bytes, so ``data`` that does not start as a PDF becomes the body
    of one (``b"1"`` is ``b"%PDF-1.4\\n1"``); ``raw=True`` uploads ``data`` exactly."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def _upload(
        data: bytes = b"%PDF-1.4 plan",
        name: str = "plan.pdf",
        content_type: str = "application/pdf",
        *,
        raw: bool = False,
    ) -> SimpleUploadedFile:
        if not raw and not data.startswith(b"%PDF-"):
            data = b"%PDF-1.4\n" + data
        return SimpleUploadedFile(name, data, content_type=content_type)

    return _upload
