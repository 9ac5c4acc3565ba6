"""A small assessing body for the secretariat's pages (the web tests' shared ``methodology``,
``body`` and ``other_body``): three communes whose names sort differently in Vietnamese than
by code, a secretariat member, an appraiser, an officer and a leader of one commune, and the
secretariat of another body (an outsider). ``run_to`` moves a cycle through its phases with the
services."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from world import external_rows

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Phase
from parindex_web.units.models import Unit


@pytest.fixture
def units(body):
    names = [("x-b", "Xã Bình An"), ("x-a", "Xã Ái Quốc"), ("x-d", "Phường Đông Hà")]
    return [
        Unit.objects.create(code=code, name=name, unit_type=Unit.Type.COMMUNE, body=body)
        for code, name in names
    ]


@pytest.fixture
def foreign_unit(other_body):
    return Unit.objects.create(
        code="y-1", name="Xã Ngoài", unit_type=Unit.Type.COMMUNE, body=other_body
    )


def _user(django_user_model, username: str, **membership: Any):
    user = django_user_model.objects.create_user(
        username, email=f"{username}@example.org", password="x", first_name=username.title()
    )
    Membership.objects.create(user=user, **membership)
    return user


@pytest.fixture
def secretariat(django_user_model, body):
    return _user(django_user_model, "thuky", role=Role.SECRETARIAT, body=body)


@pytest.fixture
def appraiser(django_user_model, body):
    return _user(django_user_model, "thamdinh", role=Role.APPRAISER, body=body)


@pytest.fixture
def officer(django_user_model, units):
    return _user(django_user_model, "canbo", role=Role.OFFICER, unit=units[0])


@pytest.fixture
def leader(django_user_model, units):
    return _user(django_user_model, "lanhdao", role=Role.LEADER, unit=units[0])


@pytest.fixture
def outsider(django_user_model, other_body):
    return _user(django_user_model, "thuky-khac", role=Role.SECRETARIAT, body=other_body)


@pytest.fixture
def cycle(body, methodology, units, secretariat, appraiser):
    """A cycle in preparation over the three units, each assigned to the appraiser."""
    now = timezone.now()
    cycle = Cycle.objects.create(
        body=body,
        year=2025,
        name="Chỉ số CCHC 2025",
        methodology=methodology,
        created_by=secretariat,
        self_assessment_due=now + timedelta(days=30),
        appraisal_due=now + timedelta(days=60),
        explanation_due=now + timedelta(days=90),
    )
    for unit in units:
        Assessment.objects.create(cycle=cycle, unit=unit)
        Assignment.objects.create(cycle=cycle, unit=unit, appraiser=appraiser)
    return cycle


@pytest.fixture
def refused(client, appraiser, officer, outsider):
    """Asserts the refusals every secretariat page shares: colleague 403, outsider 404,
    anonymous to the login page."""

    def check(url: str, method: str = "get", data: dict | None = None) -> None:
        client.logout()
        r = getattr(client, method)(url, data or {})
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), url
        for colleague in (appraiser, officer):
            client.force_login(colleague)
            assert getattr(client, method)(url, data or {}).status_code == 403, colleague
        client.force_login(outsider)
        assert getattr(client, method)(url, data or {}).status_code == 404
        client.logout()

    return check


def fill(user: Any, assessment: Assessment, seed: int = 1) -> None:
    """The officer fills every appraisal leaf with plausible input."""
    rnd = random.Random(seed)
    core = assessment.cycle.core()
    for entry in assessment.entries.order_by("pk"):
        node = core.by_code[entry.code]
        if core.source_of(entry.code) is parindex.Source.APPRAISAL:
            inputs = demo_inputs(node.rule, node.max_points, rnd)
            services.save_self_assessment(
                user, entry, inputs=inputs, note="", version=entry.version
            )


def appraise_all(user: Any, assessment: Assessment, lower: str | None = None) -> None:
    """Accept every self-assessed score, except leaf ``lower`` which is set to 0."""
    core = assessment.cycle.core()
    for entry in assessment.entries.order_by("pk"):
        if core.source_of(entry.code) is parindex.Source.APPRAISAL:
            points, reason = entry.self_points, ""
            if entry.code == lower:
                points, reason = Decimal(0), "Thiếu tài liệu kiểm chứng"
            services.appraise(user, entry, points=points, reason=reason, version=entry.version)
    services.complete_appraisal(user, assessment)


@pytest.fixture
def run_to(secretariat, appraiser, officer, leader):
    """Moves a cycle to ``phase`` with the services (every unit filled, signed, appraised)."""

    def run(cycle: Cycle, phase: str) -> Cycle:
        order = [p.value for p in Phase]
        target = order.index(phase)
        if target >= order.index(Phase.SELF_ASSESSMENT):
            services.advance_phase(secretariat, cycle)
            services.set_external_points(secretariat, cycle, external_rows(cycle))
            for i, a in enumerate(cycle.assessments.select_related("unit").order_by("pk")):
                fill(officer, a, seed=i)
                services.sign_off(leader, a)
        if target >= order.index(Phase.APPRAISAL):
            services.advance_phase(secretariat, cycle)
            for a in cycle.assessments.order_by("pk"):
                appraise_all(appraiser, a, lower="1.1.2")
        if target >= order.index(Phase.EXPLANATION):
            services.advance_phase(secretariat, cycle)
        if target >= order.index(Phase.FINALISED):
            services.finalise(secretariat, cycle)
        if target >= order.index(Phase.PUBLISHED):
            services.publish(secretariat, cycle)
        cycle.refresh_from_db()
        return cycle

    return run


@pytest.fixture
def pending_explanation(cycle, run_to, officer):
    """The cycle in the explanation phase with one explanation awaiting a decision."""
    run_to(cycle, Phase.EXPLANATION)
    entry = cycle.assessments.get(unit__code="x-b").entries.get(code="1.1.2")
    return services.explain(officer, entry, text="Đã có kế hoạch")
