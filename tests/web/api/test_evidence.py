"""GET and POST /api/assessments/{id}/evidence → services.add_evidence (multipart upload)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from evidence_samples import ACCEPTED, REFUSED
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Evidence, Phase

from .conftest import LEVEL_LEAF, assert_error

PDF = b"%PDF-1.4 ke hoach CCHC"


def upload(client, bearer, assessment, user=None, **fields):
    data = {
        "file": SimpleUploadedFile("Kế hoạch.pdf", PDF, "application/pdf"),
        "doc_number": "12/KH-UBND",
        "doc_date": "2025-01-20",
        "issuer": "UBND xã Đông Hòa",
        **fields,
    }
    headers = bearer(user) if user is not None else {}
    return client.post(f"/api/assessments/{assessment.pk}/evidence", data, headers=headers)


@pytest.fixture
def open_cycle(cycle, run_to):
    return run_to(cycle, Phase.SELF_ASSESSMENT)


@pytest.mark.django_db
def test_the_officer_uploads_a_document_for_a_leaf(client, bearer, people, open_cycle, assessment):
    r = upload(client, bearer, assessment, people.officer, entry=LEVEL_LEAF)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["original_name"] == "Kế hoạch.pdf"
    assert data["doc_number"] == "12/KH-UBND"
    assert data["doc_date"] == "2025-01-20"
    assert data["issuer"] == "UBND xã Đông Hòa"
    assert data["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert data["size"] == len(PDF) and data["content_type"] == "application/pdf"
    assert data["entries"] == [LEVEL_LEAF]
    document = Evidence.objects.get()
    assert document.uploaded_by == people.officer
    assert list(entry_of(assessment, LEVEL_LEAF).evidence.all()) == [document]
    assert AuditRecord.objects.filter(action="evidence.add", actor=people.officer).exists()


@pytest.mark.django_db
def test_every_role_lists_the_documents(api, client, bearer, people, open_cycle, assessment):
    upload(client, bearer, assessment, people.officer)
    for user in (people.officer, people.leader, people.appraiser, people.secretariat):
        data = api("get", f"/api/assessments/{assessment.pk}/evidence", user).json()
        assert data["count"] == 1
        assert data["items"][0]["doc_number"] == "12/KH-UBND"


@pytest.mark.parametrize("role", ["leader", "secretariat", "appraiser"])
@pytest.mark.django_db
def test_a_colleague_without_the_role_is_forbidden(
    client, bearer, people, open_cycle, assessment, role
):
    r = upload(client, bearer, assessment, getattr(people, role))
    assert_error(r, 403, "forbidden")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("role", ["foreign_secretariat", "officer2"])
@pytest.mark.django_db
def test_an_outsider_does_not_find_it(client, bearer, people, open_cycle, assessment, role):
    assert_error(upload(client, bearer, assessment, getattr(people, role)), 404, "not_found")


@pytest.mark.django_db
def test_an_anonymous_caller_is_refused(client, bearer, open_cycle, assessment):
    assert_error(upload(client, bearer, assessment), 401, "unauthenticated")


@pytest.mark.django_db
def test_it_refuses_outside_the_self_assessment_phase(client, bearer, people, cycle, assessment):
    r = upload(client, bearer, assessment, people.officer)  # the cycle is in preparation
    assert_error(r, 409, "cycle_rule")


def stored(settings) -> tuple[int, int, int]:
    """Files under MEDIA_ROOT, evidence rows, audit records."""
    files = sum(1 for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    return files, Evidence.objects.count(), AuditRecord.objects.count()


@pytest.mark.parametrize(
    ("name", "data", "declared", "expected"),
    [c[1:] for c in ACCEPTED],
    ids=[c[0] for c in ACCEPTED],
)
@pytest.mark.django_db
def test_an_upload_is_stored_with_the_type_its_bytes_are(
    client, bearer, people, open_cycle, assessment, name, data, declared, expected
):
    file = SimpleUploadedFile(name, data, declared)
    r = upload(client, bearer, assessment, people.officer, file=file)
    assert r.status_code == 201, r.content
    assert (r.json()["content_type"], r.json()["size"]) == (expected, len(data))
    assert Evidence.objects.get().content_type == expected


@pytest.mark.parametrize(
    ("name", "data", "declared", "named"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
@pytest.mark.django_db
def test_a_refused_upload_is_422_naming_the_type_and_stores_nothing(
    client, bearer, people, open_cycle, assessment, settings, name, data, declared, named
):
    before = stored(settings)
    file = SimpleUploadedFile(name, data, declared)
    error = assert_error(
        upload(client, bearer, assessment, people.officer, file=file), 422, "invalid"
    )
    assert named in error["message"]
    assert "PDF, JPEG, PNG" in error["message"]
    assert stored(settings) == before


@pytest.mark.django_db
def test_it_refuses_an_unknown_leaf_and_a_missing_file(
    client, bearer, people, open_cycle, assessment
):
    r = upload(client, bearer, assessment, people.officer, entry="9.9.9")
    assert_error(r, 404, "not_found")
    headers = bearer(people.officer)
    url = f"/api/assessments/{assessment.pk}/evidence"
    error = assert_error(client.post(url, {"doc_number": "1"}, headers=headers), 422, "invalid")
    assert error["details"][0]["loc"] == ["file", "file"]
    assert not Evidence.objects.exists()
