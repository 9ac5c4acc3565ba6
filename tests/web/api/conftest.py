"""The API tests' helpers over the web tests' shared world (tests/web/world.py: one body with
three communes on the example methodology, its people, ``cycle`` in preparation over the first
two): on request, a published cycle of the year before; ``run_to`` moves a cycle through its
phases with the services; ``bearer(user)`` gives the Authorization header of a fresh token of
that user.
"""

from __future__ import annotations

import functools
import json
import random
from decimal import Decimal
from typing import Any

import pytest
from world import People, external_rows, make_cycle

import parindex
from parindex_web.api.models import ApiToken
from parindex_web.cycles import services
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Cycle, Phase

# Leaves of the example methodology: a levels rule, a yes/no rule, a survey leaf.
LEVEL_LEAF, YES_NO_LEAF, SURVEY_LEAF = "1.1.1", "1.1.2", "2.2.1"


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
    return run_to(make_cycle(body, units, methodology, people, 2024, dated=False), Phase.PUBLISHED)


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
