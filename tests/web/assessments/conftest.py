"""A small world for the self-assessment pages: one body, two communes, a user of every role,
one cycle open for self-assessment on the example methodology."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from world import example_methodology

from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Assignment, Cycle
from parindex_web.units.models import AssessingBody, Unit


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def w(db, django_user_model):
    """The world: ``w.officer`` etc., ``w.cycle``, ``w.assessment`` (unit x01), ``w.other``."""
    methodology = example_methodology()
    body = AssessingBody.objects.create(
        code="snv-thu", name="Sở Nội vụ (thử)", kind=AssessingBody.Kind.PROVINCIAL
    )
    unit = Unit.objects.create(code="x01", name="Xã Một", unit_type=Unit.Type.COMMUNE, body=body)
    other_unit = Unit.objects.create(
        code="x02", name="Xã Hai", unit_type=Unit.Type.COMMUNE, body=body
    )

    def user(name, role, **scope):
        u = django_user_model.objects.create_user(name, f"{name}@example.org")
        if role is not None:
            Membership.objects.create(user=u, role=role, **scope)
        return u

    ns = SimpleNamespace(
        body=body,
        unit=unit,
        other_unit=other_unit,
        officer=user("canbo", Role.OFFICER, unit=unit),
        leader=user("lanhdao", Role.LEADER, unit=unit),
        secretariat=user("thuky", Role.SECRETARIAT, body=body),
        appraiser=user("thamdinh", Role.APPRAISER, body=body),
        appraiser2=user("thamdinh2", Role.APPRAISER, body=body),
        other_officer=user("canbo2", Role.OFFICER, unit=other_unit),
        other_leader=user("lanhdao2", Role.LEADER, unit=other_unit),
        outsider=user("nguoingoai", None),
    )
    ns.cycle = Cycle.objects.create(
        body=body,
        year=2026,
        name="Chỉ số CCHC 2026 (thử)",
        methodology=methodology,
        self_assessment_due=timezone.now() + timedelta(days=30),
    )
    ns.assessment = Assessment.objects.create(cycle=ns.cycle, unit=unit)
    ns.other = Assessment.objects.create(cycle=ns.cycle, unit=other_unit)
    Assignment.objects.create(cycle=ns.cycle, appraiser=ns.appraiser, unit=unit)
    Assignment.objects.create(cycle=ns.cycle, appraiser=ns.appraiser2, unit=other_unit)
    services.advance_phase(ns.secretariat, ns.cycle)
    return ns
