"""Requests that cannot be read or name nothing are a 4xx in the API's error shape, never a 500:
ids beyond the database's 64-bit keys, a multipart body without its boundary or cut short, a
body that is not JSON, a body over the size limit."""

from __future__ import annotations

import pytest

from parindex_web.audit.models import AuditRecord

from .conftest import LEVEL_LEAF, assert_error

# 22 digits: more than a 64-bit key holds (the database would overflow, not answer "none").
HUGE = "1" + "0" * 21
PAST_THE_KEYS = str(2**63)


@pytest.fixture
def officer_headers(people, bearer):
    return bearer(people.officer)


@pytest.mark.django_db
@pytest.mark.parametrize("number", [HUGE, PAST_THE_KEYS, "-" + HUGE, "0"])
def test_an_id_outside_the_keys_is_invalid_not_a_server_error(client, officer_headers, number):
    urls = [
        f"/api/assessments?cycle={number}",
        f"/api/assessments/{number}",
        f"/api/assessments/{number}/entries",
        f"/api/assessments/{number}/entries/{LEVEL_LEAF}",
        f"/api/assessments/{number}/evidence",
        f"/api/cycles/{number}",
        f"/api/cycles/{number}/publications",
        f"/api/cycles/{number}/results",
        f"/api/cycles/{number}/results/xa-1",
        f"/api/cycles/1/results?version={number}",
        f"/api/cycles/1/results/xa-1?version={number}",
    ]
    for url in urls:
        error = assert_error(client.get(url, headers=officer_headers), 422, "invalid")
        assert error["details"], url


@pytest.mark.django_db
def test_the_largest_key_is_still_a_number_that_names_nothing(client, officer_headers):
    largest = 2**63 - 1
    assert_error(
        client.get(f"/api/assessments/{largest}", headers=officer_headers), 404, "not_found"
    )
    r = client.get(f"/api/assessments?cycle={largest}", headers=officer_headers)
    assert r.status_code == 200 and r.json()["count"] == 0


@pytest.mark.django_db
def test_evidence_ids_outside_the_keys_are_invalid(client, officer_headers, assessment):
    url = f"/api/assessments/{assessment.pk}/entries/{LEVEL_LEAF}/self-assessment"
    body = {"inputs": {}, "note": "", "version": 0, "evidence": [int(HUGE)]}
    r = client.put(url, data=body, content_type="application/json", headers=officer_headers)
    assert_error(r, 422, "invalid")


def upload(client, assessment, headers, body: bytes, content_type: str):
    return client.post(
        f"/api/assessments/{assessment.pk}/evidence",
        data=body,
        content_type=content_type,
        headers=headers,
    )


@pytest.mark.django_db
def test_multipart_without_a_boundary_is_a_bad_request_that_says_so(
    client, officer_headers, assessment
):
    before = AuditRecord.objects.count()
    r = upload(client, assessment, officer_headers, b"--x\r\n", "multipart/form-data")
    assert "boundary" in assert_error(r, 400, "bad_request")["message"]
    assert AuditRecord.objects.count() == before


@pytest.mark.django_db
def test_the_multipart_message_follows_the_requested_language(client, officer_headers, assessment):
    headers = {**officer_headers, "accept-language": "vi"}
    r = upload(client, assessment, headers, b"--x\r\n", "multipart/form-data")
    assert "Không đọc được nội dung multipart" in assert_error(r, 400, "bad_request")["message"]


@pytest.mark.django_db
def test_a_multipart_body_cut_short_is_refused_and_writes_nothing(
    client, officer_headers, assessment
):
    before = AuditRecord.objects.count()
    cut = (
        b'--zz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4 no end"
    )
    r = upload(client, assessment, officer_headers, cut, "multipart/form-data; boundary=zz")
    assert 400 <= r.status_code < 500
    assert r.json()["error"]["code"] in {"bad_request", "invalid"}
    assert AuditRecord.objects.count() == before


@pytest.mark.django_db
def test_a_json_body_that_is_not_json_is_a_bad_request(client, officer_headers, assessment):
    url = f"/api/assessments/{assessment.pk}/entries/{LEVEL_LEAF}/self-assessment"
    for body in (b"{not json", b"\xff\xfe{", b""):
        r = client.put(url, data=body, content_type="application/json", headers=officer_headers)
        assert r.status_code in {400, 422}, body
        assert r.json()["error"]["code"] in {"bad_request", "invalid"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "content_type", "template"),
    [
        ("put", "entries/1.1.1/self-assessment", "application/json", b'{"note": "%s"}'),
        ("post", "evidence", "application/x-www-form-urlencoded", b"doc_number=%s"),
        (
            "post",
            "evidence",
            "multipart/form-data; boundary=zz",
            b'--zz\r\nContent-Disposition: form-data; name="issuer"\r\n\r\n%s\r\n--zz--\r\n',
        ),
    ],
)
def test_a_body_over_the_limit_is_too_large(
    client, officer_headers, assessment, settings, method, path, content_type, template
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = AuditRecord.objects.count()
    r = getattr(client, method)(
        f"/api/assessments/{assessment.pk}/{path}",
        data=template.replace(b"%s", b"x" * 2000),
        content_type=content_type,
        headers=officer_headers,
    )
    assert "1000" in assert_error(r, 413, "too_large")["message"]
    assert AuditRecord.objects.count() == before


@pytest.mark.django_db
def test_too_many_fields_is_a_bad_request(client, officer_headers, assessment, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    body = "&".join(f"f{i}=x" for i in range(10))
    r = upload(
        client, assessment, officer_headers, body.encode(), "application/x-www-form-urlencoded"
    )
    assert_error(r, 400, "bad_request")


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0", "8.4e-45", "1700000000", "2024-1-5", "2024-02-30"])
def test_a_date_not_written_yyyy_mm_dd_is_invalid(client, units, day):
    assert_error(client.get(f"/api/units?valid_on={day}"), 422, "invalid")


@pytest.mark.django_db
def test_a_date_written_yyyy_mm_dd_filters_units(client, units):
    r = client.get("/api/units?valid_on=2024-01-05")
    assert r.status_code == 200 and r.json()["count"] == 3


@pytest.mark.django_db
def test_a_document_date_not_written_yyyy_mm_dd_is_invalid(client, officer_headers, assessment):
    before = AuditRecord.objects.count()
    r = client.post(
        f"/api/assessments/{assessment.pk}/evidence",
        data={"file": pdf(), "doc_date": "0"},
        headers=officer_headers,
    )
    assert_error(r, 422, "invalid")
    assert AuditRecord.objects.count() == before


def pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/openapi.json", "/api/docs"])
def test_the_schema_and_its_documentation_are_read_only(client, url):
    assert client.get(url).status_code == 200
    r = client.post(url, data={})
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET, HEAD"
