"""A small world for the cycle's service tests, built inline with the models and services.

One provincial body with three communes (two in the cycle's scope, each with an officer and a
leader; two appraisers, one assigned to each), the example-commune methodology, a cycle in
preparation, and another body with its own secretariat, commune and cycle. ``flow`` moves the
cycle through its phases the way people would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry
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


def make_user(username: str) -> Any:
    """A user without a password (hashing one costs a second per user)."""
    return get_user_model().objects.create_user(username, email=f"{username}@example.org")


def entry_of(assessment: Assessment, code: str) -> Entry:
    return Entry.objects.select_related("assessment__cycle", "assessment__unit").get(
        assessment=assessment, code=code
    )


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def methodology(db: None) -> Methodology:
    path = parindex.shipped_methodologies()["example-commune"]
    m = Methodology.from_file(path)
    m.save()
    return m


@pytest.fixture
def body(db: None) -> AssessingBody:
    return AssessingBody.objects.create(
        code="snv-a", name="Sở Nội vụ A", kind=AssessingBody.Kind.PROVINCIAL
    )


@pytest.fixture
def other_body(db: None) -> AssessingBody:
    return AssessingBody.objects.create(
        code="snv-b", name="Sở Nội vụ B", kind=AssessingBody.Kind.PROVINCIAL
    )


@pytest.fixture
def units(body: AssessingBody) -> list[Unit]:
    names = [("xa-1", "Xã Một"), ("xa-2", "Xã Hai"), ("xa-3", "Xã Ba")]
    return [
        Unit.objects.create(code=c, name=n, unit_type=Unit.Type.COMMUNE, body=body)
        for c, n in names
    ]


@dataclass
class People:
    secretariat: Any
    appraiser: Any  # assigned to units[0]
    appraiser2: Any  # assigned to units[1]
    officer: Any  # units[0]
    leader: Any  # units[0]
    officer2: Any  # units[1]
    leader2: Any  # units[1]
    officer3: Any  # units[2], not in the cycle's scope
    foreign_secretariat: Any  # secretariat of the other body
    outsider: Any  # no role anywhere


@pytest.fixture
def people(body: AssessingBody, other_body: AssessingBody, units: list[Unit]) -> People:
    p = People(*(make_user(n) for n in People.__dataclass_fields__))
    Membership.objects.create(user=p.secretariat, role=Role.SECRETARIAT, body=body)
    Membership.objects.create(user=p.appraiser, role=Role.APPRAISER, body=body)
    Membership.objects.create(user=p.appraiser2, role=Role.APPRAISER, body=body)
    Membership.objects.create(user=p.foreign_secretariat, role=Role.SECRETARIAT, body=other_body)
    for user, role, unit in [
        (p.officer, Role.OFFICER, units[0]),
        (p.leader, Role.LEADER, units[0]),
        (p.officer2, Role.OFFICER, units[1]),
        (p.leader2, Role.LEADER, units[1]),
        (p.officer3, Role.OFFICER, units[2]),
    ]:
        Membership.objects.create(user=user, role=role, unit=unit)
    return p


@pytest.fixture
def cycle(
    body: AssessingBody, units: list[Unit], methodology: Methodology, people: People
) -> Cycle:
    """A cycle in preparation over the first two communes, one appraiser for each."""
    now = timezone.now()
    cycle = Cycle.objects.create(
        body=body,
        year=2025,
        name="Chỉ số CCHC cấp xã 2025",
        methodology=methodology,
        created_by=people.secretariat,
        self_assessment_due=now + timedelta(days=30),
        appraisal_due=now + timedelta(days=60),
        explanation_due=now + timedelta(days=75),
    )
    for unit in units[:2]:
        Assessment.objects.create(cycle=cycle, unit=unit)
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser, unit=units[0])
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser2, unit=units[1])
    return cycle


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


@pytest.fixture
def assessment(cycle: Cycle, units: list[Unit]) -> Assessment:
    """The first commune's assessment (officer, leader, appraiser), sharing ``cycle``."""
    a = cycle.assessments.select_related("unit").get(unit=units[0])
    a.cycle = cycle
    return a


@pytest.fixture
def assessment2(cycle: Cycle, units: list[Unit]) -> Assessment:
    """The second commune's assessment (officer2, leader2, appraiser2), sharing ``cycle``."""
    a = cycle.assessments.select_related("unit").get(unit=units[1])
    a.cycle = cycle
    return a


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
