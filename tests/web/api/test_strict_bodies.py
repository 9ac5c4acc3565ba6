"""The API's write bodies are strict: an unknown field is a 422 naming it, a JSON operation sent
another content type is a 415, and free text with a control character is a 422, nothing saved."""

from __future__ import annotations

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Phase

from .conftest import LEVEL_LEAF, assert_error


@pytest.fixture
def officer_headers(people, bearer, cycle, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    return bearer(people.officer)


def put_self(client, assessment, headers, body, content_type="application/json"):
    url = f"/api/assessments/{assessment.pk}/entries/{LEVEL_LEAF}/self-assessment"
    return client.put(url, data=body, content_type=content_type, headers=headers)


@pytest.mark.django_db
def test_an_unknown_field_is_refused_by_name(client, officer_headers, assessment):
    before = AuditRecord.objects.count()
    body = {"inputs": {}, "note": "", "version": 0, "bogus": 1}
    error = assert_error(put_self(client, assessment, officer_headers, body), 422, "invalid")
    assert any(d["loc"][-1] == "bogus" for d in error["details"])
    assert AuditRecord.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_json_operation_sent_another_content_type_is_unsupported(
    client, officer_headers, assessment, content_type
):
    body = b'{"inputs": {}, "note": "", "version": 0}'
    r = put_self(client, assessment, officer_headers, body, content_type)
    error = assert_error(r, 415, "unsupported_media_type")
    assert "application/json" in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["ghi\x00chú", "ghi\x07chú", "ghi\u202echú", "x" * 10_001])
def test_a_note_with_a_control_character_or_too_long_is_refused(
    client, officer_headers, assessment, note
):
    body = {"inputs": {}, "note": note, "version": 0}
    error = assert_error(put_self(client, assessment, officer_headers, body), 422, "invalid")
    assert any(d["loc"][-1] == "note" for d in error["details"])
    assert entry_of(assessment, LEVEL_LEAF).note == ""


@pytest.mark.django_db
def test_a_note_keeps_its_line_ends_and_tabs(client, officer_headers, assessment):
    body = {"inputs": {"level": "late"}, "note": "a\tb\r\nc", "version": 0}
    assert put_self(client, assessment, officer_headers, body).status_code == 200
    assert entry_of(assessment, LEVEL_LEAF).note == "a\tb\r\nc"
