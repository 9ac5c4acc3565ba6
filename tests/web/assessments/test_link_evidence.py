"""Attaching documents the unit already uploaded to a leaf (instead of uploading twice)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services

from .helpers import entry, fill_all, past_deadline, pdf

pytestmark = pytest.mark.django_db


def url(w, code="1.1.2"):
    return f"/assessments/{w.assessment.pk}/entries/{code}/evidence"


@pytest.fixture
def doc(w):
    """A document uploaded for leaf 1.1.1."""
    e = entry(w.assessment, "1.1.1")
    return services.add_evidence(w.officer, w.assessment, pdf(), doc_number="12/KH-UBND", entry=e)


def test_the_officer_attaches_a_document_of_another_leaf(client, w, doc):
    client.force_login(w.officer)
    r = client.post(url(w), {"documents": [doc.pk]})
    assert r["Location"] == f"/assessments/{w.assessment.pk}/entries/1.1.2/#documents"
    assert list(entry(w.assessment, "1.1.2").evidence.all()) == [doc]
    assert list(entry(w.assessment, "1.1.1").evidence.all()) == [doc]
    assert AuditRecord.objects.filter(code="1.1.2", field="evidence").count() == 1


def test_the_officer_detaches_documents(client, w, doc):
    client.force_login(w.officer)
    client.post(url(w, "1.1.1"), {})
    assert entry(w.assessment, "1.1.1").evidence.count() == 0


def test_the_leaf_page_offers_the_units_documents(client, parse, w, doc):
    client.force_login(w.officer)
    page = parse(client.get(f"/assessments/{w.assessment.pk}/entries/1.1.2/").content)
    box = page.find("input", name="documents", value=str(doc.pk))
    assert "checked" not in box.attrs
    assert page.find("form", action=url(w))


def test_it_refuses_a_document_of_another_unit(client, w, doc):
    other = services.add_evidence(w.other_officer, w.other, pdf("khac.pdf", b"%PDF other"))
    client.force_login(w.officer)
    assert client.post(url(w), {"documents": [other.pk]}).status_code == 404
    assert entry(w.assessment, "1.1.2").evidence.count() == 0


def test_it_refuses_after_the_deadline(client, parse, w, doc):
    past_deadline(w)
    client.force_login(w.officer)
    r = client.post(url(w), {"documents": [doc.pk]}, follow=True)
    assert parse(r.content).find("li", class_="message message--error").text
    assert entry(w.assessment, "1.1.2").evidence.count() == 0


def test_it_refuses_after_sign_off(client, w, doc):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.officer)
    client.post(url(w), {"documents": [doc.pk]})
    assert entry(w.assessment, "1.1.2").evidence.count() == 0


def test_it_refuses_a_survey_leaf(client, parse, w, doc):
    client.force_login(w.officer)
    r = client.post(url(w, "4.1.2"), {"documents": [doc.pk]}, follow=True)
    message = parse(r.content).find("li", class_="message message--error").text
    assert "điều tra xã hội học" in message
    assert entry(w.assessment, "4.1.2").evidence.count() == 0
    assert not AuditRecord.objects.filter(code="4.1.2", field="evidence").exists()


def test_it_refuses_the_leader(client, w, doc):
    client.force_login(w.leader)
    assert client.post(url(w), {"documents": [doc.pk]}).status_code == 403
    assert entry(w.assessment, "1.1.2").evidence.count() == 0


def test_it_hides_the_action_from_another_units_officer(client, w, doc):
    client.force_login(w.other_officer)
    assert client.post(url(w), {"documents": [doc.pk]}).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w, doc):
    assert client.post(url(w), {})["Location"].startswith("/accounts/login/")


def test_the_history_names_the_documents(client, parse, w, doc):
    client.force_login(w.officer)
    client.post(url(w), {"documents": [doc.pk]})
    page = parse(client.get(f"/assessments/{w.assessment.pk}/entries/1.1.2/").content)
    assert "12/KH-UBND" in page.find("table", id="history").text


def test_the_leaf_page_reads_the_units_documents_once(client, parse, w, doc):
    # The leaf's documents, the choices, "are there any" and the history's document names come
    # from one read; Django's own choice iterator would read again (on PostgreSQL through a
    # server-side cursor).
    second = services.add_evidence(
        w.officer, w.assessment, pdf("b.pdf", b"%PDF b"), doc_number="7/QD"
    )
    services.link_evidence(w.officer, entry(w.assessment, "1.1.2"), [doc, second])
    client.force_login(w.officer)
    with CaptureQueriesContext(connection) as queries:
        page = parse(client.get(f"/assessments/{w.assessment.pk}/entries/1.1.2/").content)
    reads = [q["sql"] for q in queries if '"cycles_evidence"' in q["sql"]]
    assert len(reads) == 1  # the unit's documents, each marked whether the leaf cites it
    assert not any("CURSOR" in sql for sql in reads)
    boxes = page.find_all("input", name="documents")
    assert {(b.attrs["value"], "checked" in b.attrs) for b in boxes} == {
        (str(doc.pk), True),
        (str(second.pk), True),
    }
    history = page.find("table", id="history").text
    assert "12/KH-UBND, 7/QD" in history


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_the_leaf_lists_only_its_own_documents(client, parse, w, doc, who):
    # The unit has two documents; leaf 1.1.1 cites one: the list shows that one, to the
    # officer (who may attach the other) and to the leader (who only reads).
    services.add_evidence(w.officer, w.assessment, pdf("b.pdf", b"%PDF b"), doc_number="7/QD")
    client.force_login(getattr(w, who))
    page = parse(client.get(f"/assessments/{w.assessment.pk}/entries/1.1.1/").content)
    listed = page.find("ul", **{"class": "documents"}).text
    assert "12/KH-UBND" in listed
    assert "7/QD" not in listed
    boxes = page.find_all("input", name="documents")
    if who == "officer":
        assert {b.attrs["value"]: "checked" in b.attrs for b in boxes}[str(doc.pk)] is True
        assert sum("checked" in b.attrs for b in boxes) == 1
    else:
        assert boxes == []
