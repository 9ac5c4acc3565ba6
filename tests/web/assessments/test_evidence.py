"""The unit's evidence documents: the list, and the officer's upload (optionally for a leaf)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from evidence_samples import ACCEPTED, ELF, PNG, REFUSED

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Evidence

from .helpers import entry, fill_all, past_deadline, pdf, refusal

pytestmark = pytest.mark.django_db


def url(w):
    return f"/assessments/{w.assessment.pk}/evidence/"


def upload(**extra):
    return {"file": pdf(), "doc_number": "12/KH-UBND", "doc_date": "2026-01-15", **extra}


def test_the_officer_uploads_a_document_with_its_number_date_and_issuer(client, w):
    client.force_login(w.officer)
    r = client.post(url(w), upload(issuer="UBND xã Một"))
    assert r.status_code == 302
    assert r["Location"] == url(w)
    doc = Evidence.objects.get(assessment=w.assessment)
    assert (doc.doc_number, str(doc.doc_date), doc.issuer) == (
        "12/KH-UBND",
        "2026-01-15",
        "UBND xã Một",
    )
    assert (doc.original_name, doc.content_type, doc.uploaded_by) == (
        "ke-hoach.pdf",
        "application/pdf",
        w.officer,
    )
    assert doc.file.read().startswith(b"%PDF")
    assert AuditRecord.objects.filter(action="evidence.add", unit_code="x01").count() == 1


def test_it_reads_a_vietnamese_date(client, w):
    client.force_login(w.officer)
    client.post(url(w), upload(doc_date="15/01/2026"))
    assert str(Evidence.objects.get().doc_date) == "2026-01-15"


def test_an_upload_for_a_leaf_is_attached_to_it(client, w):
    client.force_login(w.officer)
    r = client.post(url(w), upload(code="1.1.1"))
    assert r["Location"] == f"/assessments/{w.assessment.pk}/entries/1.1.1/#documents"
    assert list(entry(w.assessment, "1.1.1").evidence.values_list("doc_number", flat=True)) == [
        "12/KH-UBND"
    ]


def test_the_same_file_twice_is_one_document(client, w):
    client.force_login(w.officer)
    client.post(url(w), upload(code="1.1.1"))
    client.post(url(w), upload(code="1.1.2", doc_number="khác"))
    assert Evidence.objects.filter(assessment=w.assessment).count() == 1
    assert entry(w.assessment, "1.1.2").evidence.count() == 1


def stored(settings) -> tuple[int, int, int]:
    """Files under MEDIA_ROOT, evidence rows, audit records."""
    files = sum(1 for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    return files, Evidence.objects.count(), AuditRecord.objects.count()


@pytest.mark.parametrize(
    ("name", "data", "declared", "expected"),
    [c[1:] for c in ACCEPTED],
    ids=[c[0] for c in ACCEPTED],
)
def test_an_upload_is_stored_with_the_type_its_bytes_are(client, w, name, data, declared, expected):
    client.force_login(w.officer)
    r = client.post(url(w), upload(file=SimpleUploadedFile(name, data, declared)))
    assert r.status_code == 302
    doc = Evidence.objects.get()
    assert (doc.original_name, doc.content_type, doc.size) == (name, expected, len(data))
    assert doc.file.read() == data


@pytest.mark.parametrize(
    ("name", "data", "declared", "named"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_refused_upload_shows_the_form_again_naming_the_type_and_stores_nothing(
    client, parse, settings, w, name, data, declared, named
):
    client.force_login(w.officer)
    before = stored(settings)
    r = client.post(url(w), upload(file=SimpleUploadedFile(name, data, declared)))
    assert r.status_code == 400
    error = parse(r.content).find("span", class_="field-error").text
    assert named in error
    assert "PDF, JPEG, PNG" in error
    assert parse(r.content).find("input", type="file") is not None  # the form, shown again
    assert stored(settings) == before


def test_the_refusal_says_in_vietnamese_what_the_file_is(client, parse, w):
    client.force_login(w.officer)
    elf = SimpleUploadedFile("invoice.pdf", ELF, "application/pdf")
    r = client.post(url(w), upload(file=elf))
    assert parse(r.content).find("span", class_="field-error").text == (
        "Tệp này là một chương trình chạy được (application/x-executable), không phải loại được "
        "chấp nhận: PDF, JPEG, PNG, Word (.doc), Word (.docx), Excel (.xls), Excel (.xlsx), ZIP."
    )


def test_the_refusal_lists_only_the_types_the_settings_accept(client, parse, settings, w):
    settings.PARINDEX_EVIDENCE_TYPES = ["application/pdf"]
    client.force_login(w.officer)
    png = SimpleUploadedFile("anh.png", PNG, "image/png")
    r = client.post(url(w), upload(file=png))
    assert parse(r.content).find("span", class_="field-error").text == (
        "Tệp này là một tệp PNG (image/png), không phải loại được chấp nhận: PDF."
    )
    assert not Evidence.objects.exists()


def test_it_refuses_a_file_over_the_limit(client, settings, w):
    settings.PARINDEX_EVIDENCE_MAX_BYTES = 10
    client.force_login(w.officer)
    assert client.post(url(w), upload()).status_code == 400
    assert not Evidence.objects.exists()


def test_it_refuses_an_upload_after_the_deadline(client, parse, w):
    past_deadline(w)
    client.force_login(w.officer)
    r = client.post(url(w), upload())
    assert parse(r.content).find("span", class_="field-error").text == refusal(w.assessment)
    assert not Evidence.objects.exists()


def test_it_refuses_an_upload_after_sign_off(client, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.officer)
    assert client.post(url(w), upload()).status_code == 400
    assert not Evidence.objects.exists()


def test_it_lists_the_units_documents_and_their_leaves(client, parse, w):
    e = entry(w.assessment, "1.1.4")
    doc = services.add_evidence(w.officer, w.assessment, pdf(), doc_number="5/BC-UBND", entry=e)
    client.force_login(w.appraiser)
    page = parse(client.get(url(w)).content)
    table = page.find("table", id="documents")
    assert "5/BC-UBND" in table.text and "1.1.4" in table.text
    assert page.find("a", href=f"/assessments/evidence/{doc.pk}/download")
    assert page.find_all("form", enctype="multipart/form-data") == []


def test_the_officer_gets_the_upload_form(client, parse, w):
    client.force_login(w.officer)
    page = parse(client.get(url(w)).content)
    assert page.find("form", enctype="multipart/form-data")
    box = page.find("input", name="doc_date").attrs
    assert (box["type"], box["placeholder"]) == ("text", "nn/tt/nnnn")  # day first, as typed


def test_it_refuses_an_upload_by_the_leader(client, w):
    client.force_login(w.leader)
    assert client.get(url(w)).status_code == 200
    assert client.post(url(w), upload()).status_code == 403
    assert not Evidence.objects.exists()


def test_it_hides_the_documents_from_other_units_and_unassigned_appraisers(client, w):
    for user in (w.other_officer, w.appraiser2, w.outsider):
        client.force_login(user)
        assert client.get(url(w)).status_code == 404
        assert client.post(url(w), upload()).status_code == 404
    assert not Evidence.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.get(url(w))["Location"].startswith("/accounts/login/")


def test_a_refused_upload_from_a_leaf_is_shown_on_that_leafs_page(client, parse, settings, w):
    client.force_login(w.officer)
    before = stored(settings)
    refused = SimpleUploadedFile("ke-hoach.pdf", ELF, "application/pdf")
    r = client.post(url(w), upload(file=refused, code="1.1.1"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    page = parse(r.content)
    assert page.find("h1").text.startswith("1.1.1")  # the leaf's page, not the documents list
    errors = [e.text for e in page.find_all("span", class_="field-error") if e.text]
    assert len(errors) == 1 and "application/x-executable" in errors[0]
    assert page.find("input", name="code").attrs["value"] == "1.1.1"
    assert page.find("input", name="doc_number").attrs["value"] == "12/KH-UBND"
    assert stored(settings) == before


def test_an_upload_from_a_leaf_without_a_file_stays_on_the_leafs_page(client, parse, w):
    client.force_login(w.officer)
    r = client.post(url(w), {"code": "1.1.1", "doc_number": "12/KH-UBND"})
    assert r.status_code == 400
    assert parse(r.content).find("h1").text.startswith("1.1.1")
    assert Evidence.objects.count() == 0


def test_an_upload_for_another_units_leaf_code_that_does_not_exist_is_not_found(client, w):
    client.force_login(w.officer)
    assert client.post(url(w), upload(code="9.9.9")).status_code == 404
