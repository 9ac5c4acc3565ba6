"""Dates day first, dd/mm/yyyy, in both languages: the deadline on the self-assessment page,
a document's date in the evidence list, and the date box that reads them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from parindex_web.assessments.forms import EvidenceForm
from parindex_web.cycles.models import Cycle, Evidence

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_deadline_shows_day_first_in_both_languages(client, parse, w, language):
    due = datetime(2026, 12, 3, 17, 30, tzinfo=HANOI)
    Cycle.objects.filter(pk=w.cycle.pk).update(self_assessment_due=due)
    client.force_login(w.officer)
    page = parse(
        client.get(f"/assessments/{w.assessment.pk}/", HTTP_ACCEPT_LANGUAGE=language).content
    )
    facts = page.find("main").text
    assert "03/12/2026 17:30" in facts
    assert "12/03/2026" not in facts


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_documents_date_shows_day_first_in_both_languages(client, parse, w, language):
    Evidence.objects.create(
        assessment=w.assessment,
        file="evidence/x.pdf",
        original_name="ke-hoach.pdf",
        doc_number="12/KH-UBND",
        doc_date=date(2026, 12, 3),
        size=10,
        sha256="0" * 64,
        uploaded_by=w.officer,
    )
    client.force_login(w.officer)
    url = f"/assessments/{w.assessment.pk}/evidence/"
    main = parse(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content).find("main").text
    assert "03/12/2026" in main and "12/03/2026" not in main


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_document_date_box_reads_day_first_in_both_languages(language):
    from django.utils import translation

    with translation.override(language):
        form = EvidenceForm(data={"doc_date": "12/03/2026"}, files={})
        form.is_valid()
        assert form.cleaned_data["doc_date"] == date(2026, 3, 12)
        assert "12/31/2026" not in str(EvidenceForm(initial={"doc_date": date(2026, 12, 31)}))
        box = str(EvidenceForm(initial={"doc_date": date(2026, 12, 3)})["doc_date"])
        assert 'value="03/12/2026"' in box and 'type="text"' in box
        assert 'inputmode="numeric"' in box


def test_the_document_date_box_hints_the_order_in_the_pages_language():
    from django.utils import translation

    with translation.override("vi"):
        assert 'placeholder="nn/tt/nnnn"' in str(EvidenceForm()["doc_date"])
    with translation.override("en"):
        assert 'placeholder="dd/mm/yyyy"' in str(EvidenceForm()["doc_date"])
