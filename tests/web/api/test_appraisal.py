"""PUT /api/assessments/{id}/entries/{code}/appraisal → services.appraise."""

from __future__ import annotations

from decimal import Decimal

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Phase

from .conftest import SURVEY_LEAF, YES_NO_LEAF, assert_error


def url(assessment, code=YES_NO_LEAF):
    return f"/api/assessments/{assessment.pk}/entries/{code}/appraisal"


@pytest.fixture
def in_appraisal(cycle, run_to):
    return run_to(cycle, Phase.APPRAISAL)


@pytest.fixture
def payload(in_appraisal, assessment):
    return {"points": "0", "reason": "Thiếu tài liệu kiểm chứng", "version": 1}


@pytest.mark.django_db
def test_the_assigned_appraiser_sets_the_score(api, people, assessment, payload):
    entry = entry_of(assessment, YES_NO_LEAF)
    payload["version"] = entry.version
    r = api("put", url(assessment), people.appraiser, payload)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["appraised_points"] == "0"
    assert data["appraisal_reason"] == "Thiếu tài liệu kiểm chứng"
    assert data["version"] == entry.version + 1
    entry = entry_of(assessment, YES_NO_LEAF)
    assert entry.appraised_points == Decimal(0) and entry.appraised_by == people.appraiser
    audit = AuditRecord.objects.get(action="entry.appraised_points", code=YES_NO_LEAF)
    assert audit.actor == people.appraiser
    assert audit.reason == "Thiếu tài liệu kiểm chứng"


@pytest.mark.django_db
def test_accepting_the_self_assessment_needs_no_reason(api, people, assessment, payload):
    entry = entry_of(assessment, YES_NO_LEAF)
    same = {"points": int(entry.self_points), "reason": "", "version": entry.version}
    r = api("put", url(assessment), people.appraiser, same)  # a whole JSON number is accepted
    assert r.status_code == 200, r.content
    assert r.json()["appraised_points"] == f"{entry.self_points.normalize():f}"


@pytest.mark.parametrize("role", ["secretariat", "officer", "leader"])
@pytest.mark.django_db
def test_a_colleague_without_the_role_is_forbidden(api, people, assessment, payload, role):
    payload["version"] = entry_of(assessment, YES_NO_LEAF).version
    assert_error(api("put", url(assessment), getattr(people, role), payload), 403, "forbidden")
    assert entry_of(assessment, YES_NO_LEAF).appraised_points is None


@pytest.mark.parametrize("role", ["appraiser2", "foreign_secretariat"])
@pytest.mark.django_db
def test_an_appraiser_not_assigned_does_not_find_it(api, people, assessment, payload, role):
    assert_error(api("put", url(assessment), getattr(people, role), payload), 404, "not_found")


@pytest.mark.django_db
def test_an_anonymous_caller_is_refused(api, assessment, payload):
    assert_error(api("put", url(assessment), None, payload), 401, "unauthenticated")


@pytest.mark.django_db
def test_it_refuses_outside_the_appraisal_phase(api, people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    payload = {"points": "0", "reason": "x", "version": 0}
    assert_error(api("put", url(assessment), people.appraiser, payload), 409, "cycle_rule")


@pytest.mark.django_db
def test_it_refuses_points_over_the_maximum_and_a_missing_reason(api, people, assessment, payload):
    entry = entry_of(assessment, YES_NO_LEAF)
    over = {**payload, "points": "1.5", "version": entry.version}
    assert_error(api("put", url(assessment), people.appraiser, over), 422, "invalid")
    differs = "0" if entry.self_points != 0 else "1"
    silent = {"points": differs, "reason": " ", "version": entry.version}
    assert_error(api("put", url(assessment), people.appraiser, silent), 422, "invalid")
    for bad in ("-1", "4,5", "0.12345", 4.5, "abc"):
        wrong = {**payload, "points": bad, "version": entry.version}
        assert_error(api("put", url(assessment), people.appraiser, wrong), 422, "invalid")


@pytest.mark.django_db
def test_it_refuses_a_survey_leaf(api, people, assessment, payload):
    payload["version"] = entry_of(assessment, SURVEY_LEAF).version
    r = api("put", url(assessment, SURVEY_LEAF), people.appraiser, payload)
    assert_error(r, 409, "cycle_rule")


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_with_both_versions(api, people, assessment, payload):
    stale = entry_of(assessment, YES_NO_LEAF).version
    payload["version"] = stale
    assert api("put", url(assessment), people.appraiser, payload).status_code == 200
    mine = {"points": "1", "reason": "Đủ", "version": stale}
    r = api("put", url(assessment), people.appraiser, mine)
    error = assert_error(r, 409, "version_conflict")
    current, yours = error["details"]
    assert current["which"] == "current" and current["entry"]["appraised_points"] == "0"
    assert current["entry"]["version"] == stale + 1
    assert yours == {"which": "yours", "entry": mine}
    assert entry_of(assessment, YES_NO_LEAF).appraised_points == 0
