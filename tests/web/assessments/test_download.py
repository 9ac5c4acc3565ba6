"""Evidence downloads: an attachment for those who may see the unit's assessment, 404 else."""

import pytest

from parindex_web.cycles import services
from parindex_web.cycles.models import Evidence

from .helpers import PDF, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(w):
    return services.add_evidence(w.officer, w.assessment, pdf("Kế hoạch CCHC.pdf"), doc_number="12")


def url(doc):
    return f"/assessments/evidence/{doc.pk}/download"


@pytest.mark.parametrize("role", ["officer", "leader", "secretariat", "appraiser"])
def test_it_serves_the_file_as_an_attachment(client, w, doc, role):
    client.force_login(getattr(w, role))
    r = client.get(url(doc))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC.pdf" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF


@pytest.mark.parametrize(
    ("stored_type", "stored_name", "content_type", "filename"),
    [
        # stored before the bytes were checked: an HTML page the browser called a PDF
        ("application/pdf", "trang.html", "application/pdf", "trang.html.pdf"),
        ("text/html", "trang.html", "application/octet-stream", "trang.html.bin"),
        ("image/svg+xml", "logo.svg", "application/octet-stream", "logo.svg.bin"),
        ("application/pdf", "invoice.pdf.exe", "application/pdf", "invoice.pdf.exe.pdf"),
    ],
)
def test_a_document_stored_with_a_wrong_type_is_still_only_an_attachment(
    client, w, doc, stored_type, stored_name, content_type, filename
):
    Evidence.objects.filter(pk=doc.pk).update(content_type=stored_type, original_name=stored_name)
    client.force_login(w.officer)
    r = client.get(url(doc))
    assert r["Content-Type"] == content_type
    assert r["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["appraiser2", "other_officer", "other_leader", "outsider"])
def test_it_hides_the_file_from_everyone_else(client, w, doc, role):
    client.force_login(getattr(w, role))
    assert client.get(url(doc)).status_code == 404


def test_it_answers_404_for_an_unknown_document(client, w, doc):
    client.force_login(w.officer)
    assert client.get(f"/assessments/evidence/{doc.pk + 100}/download").status_code == 404


def test_it_answers_404_when_the_file_is_gone(client, w, doc):
    doc.file.delete(save=False)
    client.force_login(w.officer)
    assert client.get(url(doc)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w, doc):
    r = client.get(url(doc))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
