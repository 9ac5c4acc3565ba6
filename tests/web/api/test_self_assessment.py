"""PUT /api/assessments/{id}/entries/{code}/self-assessment → services.save_self_assessment."""

from __future__ import annotations

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Phase

from .conftest import LEVEL_LEAF, SURVEY_LEAF, assert_error


def url(assessment, code=LEVEL_LEAF):
    return f"/api/assessments/{assessment.pk}/entries/{code}/self-assessment"


@pytest.fixture
def open_cycle(cycle, run_to):
    return run_to(cycle, Phase.SELF_ASSESSMENT)


BODY = {"inputs": {"level": "late"}, "note": "Ban hành ngày 20/01", "version": 0}


@pytest.mark.django_db
def test_the_officer_saves_and_the_rule_gives_the_points(api, people, open_cycle, assessment):
    r = api("put", url(assessment), people.officer, BODY)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["self_points"] == "0.5"
    assert data["inputs"] == {"level": "late"}
    assert data["note"] == "Ban hành ngày 20/01"
    assert data["version"] == 1
    entry = entry_of(assessment, LEVEL_LEAF)
    assert (entry.self_points, entry.version, entry.updated_by) == (0.5, 1, people.officer)
    audit = AuditRecord.objects.get(action="entry.self_points", code=LEVEL_LEAF)
    assert audit.actor == people.officer
    assert audit.new_value == "0.50"
    assert audit.unit_code == "xa-1"


@pytest.mark.django_db
def test_it_links_the_units_documents(api, people, open_cycle, assessment, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = services.add_evidence(
        people.officer, assessment, SimpleUploadedFile("kh.pdf", b"%PDF-1", "application/pdf")
    )
    r = api("put", url(assessment), people.officer, {**BODY, "evidence": [doc.pk]})
    assert r.status_code == 200
    assert r.json()["evidence"] == [doc.pk]


@pytest.mark.django_db
def test_a_document_not_the_units_is_refused_and_nothing_saved(api, people, open_cycle, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = services.add_evidence(
        people.officer, assessment, SimpleUploadedFile("kh.pdf", b"%PDF-1", "application/pdf")
    )
    r = api("put", url(assessment), people.officer, {**BODY, "evidence": [doc.pk, 999]})
    assert_error(r, 422, "invalid")
    assert "tài liệu kiểm chứng của chính đơn vị" in r.json()["error"]["message"]
    entry = entry_of(assessment, LEVEL_LEAF)
    assert (entry.version, entry.self_points, list(entry.evidence.all())) == (0, None, [])


@pytest.mark.parametrize("role", ["leader", "secretariat", "appraiser"])
@pytest.mark.django_db
def test_a_colleague_without_the_role_is_forbidden(api, people, open_cycle, assessment, role):
    r = api("put", url(assessment), getattr(people, role), BODY)
    assert_error(r, 403, "forbidden")
    assert entry_of(assessment, LEVEL_LEAF).version == 0


@pytest.mark.parametrize("role", ["foreign_secretariat", "officer2"])
@pytest.mark.django_db
def test_an_outsider_does_not_find_it(api, people, open_cycle, assessment, role):
    assert_error(api("put", url(assessment), getattr(people, role), BODY), 404, "not_found")


@pytest.mark.django_db
def test_an_anonymous_caller_is_refused(api, open_cycle, assessment):
    assert_error(api("put", url(assessment), None, BODY), 401, "unauthenticated")


@pytest.mark.django_db
def test_it_refuses_outside_the_self_assessment_phase(api, people, cycle, assessment, run_to):
    run_to(cycle, Phase.APPRAISAL)
    entry = entry_of(assessment, LEVEL_LEAF)
    body = {**BODY, "version": entry.version}
    error = assert_error(api("put", url(assessment), people.officer, body), 409, "cycle_rule")
    assert "giai đoạn" in error["message"]  # Vietnamese by default
    assert entry_of(assessment, LEVEL_LEAF).version == entry.version


@pytest.mark.django_db
def test_it_refuses_input_the_rule_does_not_accept(api, people, open_cycle, assessment):
    body = {**BODY, "inputs": {"level": "sometimes"}}
    assert_error(api("put", url(assessment), people.officer, body), 422, "invalid")


@pytest.mark.django_db
def test_it_refuses_a_survey_leaf(api, people, open_cycle, assessment):
    body = {**BODY, "inputs": {"points": "1"}}
    r = api("put", url(assessment, SURVEY_LEAF), people.officer, body)
    assert_error(r, 409, "cycle_rule")


@pytest.mark.django_db
def test_it_refuses_a_body_that_does_not_fit_the_schema(api, people, open_cycle, assessment):
    r = api("put", url(assessment), people.officer, {"inputs": {"level": "late"}})
    error = assert_error(r, 422, "invalid")
    assert ["body", "data", "version"] in [d["loc"] for d in error["details"]]
    r = api("put", url(assessment), people.officer, {**BODY, "version": -1})
    assert_error(r, 422, "invalid")


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_with_both_versions(api, people, open_cycle, assessment):
    assert api("put", url(assessment), people.officer, BODY).status_code == 200
    mine = {"inputs": {"level": "none"}, "note": "Chưa ban hành", "version": 0}
    error = assert_error(api("put", url(assessment), people.officer, mine), 409, "version_conflict")
    current, yours = error["details"]
    assert current["which"] == "current"
    assert current["entry"]["version"] == 1
    assert current["entry"]["inputs"] == {"level": "late"}
    assert current["entry"]["self_points"] == "0.5"
    assert yours == {"which": "yours", "entry": {**mine, "evidence": None}}
    assert entry_of(assessment, LEVEL_LEAF).inputs == {"level": "late"}
