"""A small world for the API tests, built inline with the models and services.

One provincial body with three communes on the example methodology: ``cycle`` (in
preparation, over the first two) and, on request, a published cycle of the year before.
People: the body's secretariat, an appraiser assigned to the first commune, another
appraiser of the body (not assigned), the first commune's officer and leader, the second
commune's officer, and another body's secretariat (an outsider). ``bearer(user)`` gives the
Authorization header of a fresh token of that user.
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.api.models import ApiToken
from parindex_web.cycles import services
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry, Phase
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

# Leaves of the example methodology: a levels rule, a yes/no rule, a survey leaf.
LEVEL_LEAF, YES_NO_LEAF, SURVEY_LEAF = "1.1.1", "1.1.2", "2.2.1"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _no_requests_counted() -> None:
    """Every test starts with no request counted against the API's rates (kept in the cache),
    so that the default rates apply to each test on its own."""
    cache.clear()


@pytest.fixture
def methodology(db: None) -> Methodology:
    m = Methodology.from_file(parindex.shipped_methodologies()["example-commune"])
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
    names = [("xa-1", "Xã Đông Hòa"), ("xa-2", "Xã Ái Quốc"), ("xa-3", "Phường Bình An")]
    return [
        Unit.objects.create(code=c, name=n, unit_type=Unit.Type.COMMUNE, body=body)
        for c, n in names
    ]


@dataclass
class People:
    secretariat: Any
    appraiser: Any  # assigned to units[0]
    appraiser2: Any  # the body's appraiser, not assigned to units[0]
    officer: Any  # units[0]
    leader: Any  # units[0]
    officer2: Any  # units[1]
    leader2: Any  # units[1]
    outsider: Any  # secretariat of another body


def make_user(username: str) -> Any:
    return get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="x"
    )


@pytest.fixture
def people(body: AssessingBody, other_body: AssessingBody, units: list[Unit]) -> People:
    p = People(*(make_user(n) for n in People.__dataclass_fields__))
    for user, role, where in [
        (p.secretariat, Role.SECRETARIAT, {"body": body}),
        (p.appraiser, Role.APPRAISER, {"body": body}),
        (p.appraiser2, Role.APPRAISER, {"body": body}),
        (p.outsider, Role.SECRETARIAT, {"body": other_body}),
        (p.officer, Role.OFFICER, {"unit": units[0]}),
        (p.leader, Role.LEADER, {"unit": units[0]}),
        (p.officer2, Role.OFFICER, {"unit": units[1]}),
        (p.leader2, Role.LEADER, {"unit": units[1]}),
    ]:
        Membership.objects.create(user=user, role=role, **where)
    return p


@pytest.fixture
def cycle(body: AssessingBody, units: list[Unit], methodology: Methodology, people: People):
    """A cycle in preparation over the first two communes."""
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
def assessment(cycle: Cycle, units: list[Unit]) -> Assessment:
    return cycle.assessments.select_related("cycle", "unit").get(unit=units[0])


def entry_of(assessment: Assessment, code: str) -> Entry:
    return Entry.objects.select_related("assessment__cycle", "assessment__unit").get(
        assessment=assessment, code=code
    )


def external_rows(cycle: Cycle) -> dict[tuple[str, str], Decimal]:
    core = cycle.core()
    return {
        (a.unit.code, leaf.code): (leaf.max_points * Decimal("0.8")).quantize(Decimal("0.01"))
        for a in cycle.assessments.select_related("unit")
        for leaf in core.leaves
        if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    }


def of_unit(people: People, assessment: Assessment) -> tuple[Any, Any, Any]:
    """The officer, leader and appraiser of the assessment's unit."""
    if assessment.unit.code == "xa-1":
        return people.officer, people.leader, people.appraiser
    return people.officer2, people.leader2, people.appraiser2


def advance_to(people: People, cycle: Cycle, phase: str) -> Cycle:
    """Moves a cycle to ``phase`` with the services (each unit filled, signed off, appraised)."""
    order = [p.value for p in Phase]
    target = order.index(phase)
    assessments = list(cycle.assessments.select_related("unit").order_by("pk"))
    if target >= order.index(Phase.SELF_ASSESSMENT):
        services.advance_phase(people.secretariat, cycle)
    if target >= order.index(Phase.APPRAISAL):
        services.set_external_points(people.secretariat, cycle, external_rows(cycle))
        core = cycle.core()
        for seed, a in enumerate(assessments):
            rnd = random.Random(seed)
            for entry in a.entries.order_by("pk"):
                if core.source_of(entry.code) is parindex.Source.APPRAISAL:
                    node = core.by_code[entry.code]
                    services.save_self_assessment(
                        of_unit(people, a)[0],
                        entry,
                        inputs=demo_inputs(node.rule, node.max_points, rnd),
                        note="",
                        version=entry.version,
                    )
            services.sign_off(of_unit(people, a)[1], a)
        services.advance_phase(people.secretariat, cycle)
    if target >= order.index(Phase.EXPLANATION):
        core = cycle.core()
        for a in assessments:
            appraiser = of_unit(people, a)[2]
            for entry in a.entries.order_by("pk"):
                if core.source_of(entry.code) is parindex.Source.APPRAISAL:
                    points, reason = entry.self_points, ""
                    if entry.code == YES_NO_LEAF:
                        points, reason = Decimal(0), "Thiếu tài liệu kiểm chứng"
                    services.appraise(
                        appraiser, entry, points=points, reason=reason, version=entry.version
                    )
            services.complete_appraisal(appraiser, a)
        services.advance_phase(people.secretariat, cycle)
    if target >= order.index(Phase.FINALISED):
        services.finalise(people.secretariat, cycle)
    if target >= order.index(Phase.PUBLISHED):
        services.publish(people.secretariat, cycle)
    cycle.refresh_from_db()
    return cycle


@pytest.fixture
def run_to(people: People):
    """Moves a cycle to ``phase`` with the services (each unit filled, signed off, appraised)."""
    return functools.partial(advance_to, people)


@pytest.fixture
def published_cycle(body, units, methodology, people, run_to) -> Cycle:
    """The year before's cycle, published (over the first two communes)."""
    cycle = Cycle.objects.create(
        body=body, year=2024, name="Chỉ số CCHC cấp xã 2024", methodology=methodology
    )
    for unit in units[:2]:
        Assessment.objects.create(cycle=cycle, unit=unit)
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser, unit=units[0])
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser2, unit=units[1])
    return run_to(cycle, Phase.PUBLISHED)


@pytest.fixture
def bearer(db: None):
    """The Authorization header of a new token of ``user``."""

    def make(user: Any) -> dict[str, str]:
        _token, secret = ApiToken.issue(user, "tests")
        return {"authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def api(client, bearer):
    """Calls the API as ``user`` (None: anonymous); JSON in, the response out."""

    def call(method: str, url: str, user: Any = None, body: Any = None, **extra: Any):
        headers = bearer(user) if user is not None else {}
        kwargs: dict[str, Any] = {"headers": headers, **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    return call


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the API's error object with ``status`` and ``code``."""
    assert response.status_code == status, response.content
    data = response.json()
    assert set(data) == {"error"}
    assert set(data["error"]) == {"code", "message", "details"}
    assert data["error"]["code"] == code
    assert isinstance(data["error"]["message"], str) and data["error"]["message"]
    assert isinstance(data["error"]["details"], list)
    return data["error"]
