"""Evidence downloads: an attachment for those who may see the unit's assessment, 404 else."""

import pytest

from parindex_web.cycles import services

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
    assert b"".join(r.streaming_content) == PDF


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
