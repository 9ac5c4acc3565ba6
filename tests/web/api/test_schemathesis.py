"""Property-based tests of the API against its own OpenAPI schema (schemathesis).

The schema is loaded from the Django app through WSGI; for every operation schemathesis
generates requests (valid ones, and invalid ones) and checks each answer: no server error, a
status the operation declares, a body and headers that fit the schema. Path parameters are
generated freely and also pinned to real objects (a published cycle, an assessment open for
self-assessment) so that requests reach the code behind the 404s. A few examples per operation
keep it well under a minute. Rate limits are off here, so that no 429 depends on timing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from parindex_web.api.models import ApiToken
from parindex_web.cycles.models import Phase

from .conftest import LEVEL_LEAF

BOUNDED = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Hundreds of generated requests in a few seconds: no rate limit here (tested on its own).
    settings.PARINDEX_API_ANON_RATE = settings.PARINDEX_API_USER_RATE = "off"
    # Raw WSGI calls send request_started/finished, which close the test's database connection (fatal
    # on PostgreSQL inside a test transaction); Django's test client switches it off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def exercise(
    schema: Any,
    mode: GenerationMode,
    pinned: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Run every operation of ``schema`` with generated cases; returns how many ran."""
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        names = set(re.findall(r"\{(\w+)\}", operation.path))
        fixed = {k: v for k, v in (pinned or {}).items() if k in names}

        @BOUNDED
        @given(case=operation.as_strategy(mode, path_parameters=fixed or None))
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers)

        try:
            check()
        except Unsatisfiable:
            # Nothing to make invalid (e.g. a free-text path parameter and no others).
            if mode is not GenerationMode.NEGATIVE:
                raise
            continue
        count += 1
    return count


@pytest.mark.django_db
def test_public_endpoints_conform_to_the_schema(api_schema, published_cycle):
    public = api_schema.include(tag="public")
    assert exercise(public, GenerationMode.POSITIVE) == 9
    exercise(public, GenerationMode.NEGATIVE)
    real = {"cycle_id": published_cycle.pk, "unit_code": "xa-1", "slug": "example-commune"}
    exercise(public, GenerationMode.POSITIVE, real)


@pytest.mark.django_db
def test_token_endpoints_conform_to_the_schema(api_schema, people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    headers = {"Authorization": f"Bearer {ApiToken.issue(people.officer, 'st')[1]}"}
    private = api_schema.include(tag="assessments")
    assert exercise(private, GenerationMode.POSITIVE, headers=headers) == 8
    exercise(private, GenerationMode.NEGATIVE, headers=headers)
    real = {"assessment_id": assessment.pk, "code": LEVEL_LEAF}
    exercise(private, GenerationMode.POSITIVE, real, headers)
