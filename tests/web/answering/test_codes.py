"""One-time codes: their shape, their generation by the cycle's secretariat, hashed storage and
the printable sheet that shows them once, with a QR code each."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from parindex_web.answering import codes, services
from parindex_web.answering.models import AnswerCode, CodeBatch
from parindex_web.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

SHAPE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def test_a_code_is_twelve_unambiguous_symbols_in_groups_of_four():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(SHAPE.fullmatch(c) for c in made)
    assert not set("".join(made)) & set("01OI")
    assert set("".join(made)) - {"-"} == set(codes.ALPHABET)  # every symbol drawn


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("7KQM-3XH9-PWRA", "7KQM3XH9PWRA"),
        (" 7kqm 3xh9 pwra ", "7KQM3XH9PWRA"),
        ("7kqm3xh9pwra", "7KQM3XH9PWRA"),
        ("7KQM-3XH9-PWR0", None),  # 0 is no symbol
        ("7KQM-3XH9-PWRO", None),  # nor O
        ("7KQM-3XH9", None),
        ("", None),
        ("../../etc/passwd", None),
    ],
)
def test_a_typed_code_is_read_without_case_spaces_or_hyphens(typed, kept):
    assert codes.normal(typed) == kept


def test_a_batch_keeps_only_the_digests_of_its_distinct_codes(make_codes, questionnaire, units):
    made = make_codes(size=50)
    assert len(set(made)) == 50
    batch = CodeBatch.objects.get()
    assert (batch.questionnaire, batch.unit, batch.size) == (questionnaire, units[0], 50)
    digests = set(AnswerCode.objects.values_list("digest", flat=True))
    expected = {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in made}
    assert digests == expected
    stored = repr(list(AnswerCode.objects.values())) + repr(list(CodeBatch.objects.values()))
    assert not any(c in stored or c.replace("-", "") in stored for c in made)
    assert AnswerCode.objects.filter(used_on__isnull=False).count() == 0


def test_generating_leaves_an_audit_record_without_the_codes(make_codes, people, units):
    made = make_codes(size=2)
    (rec,) = AuditRecord.objects.filter(action="answer_codes.generate")
    assert (rec.actor, rec.unit_code) == (people.secretariat, units[0].code)
    assert '"codes": 2' in rec.new_value
    assert not any(c in rec.new_value for c in made)


@pytest.fixture
def signed_in(client, people):
    client.force_login(people.secretariat)
    return client


def batches_url(questionnaire):
    return reverse("answering:batches", args=[questionnaire.cycle_id, questionnaire.pk])


def test_the_secretariat_generates_codes_and_sees_them_once_on_the_sheet(
    signed_in, questionnaire, units, parse
):
    response = signed_in.post(batches_url(questionnaire), {"unit": units[0].code, "size": "3"})
    batch = CodeBatch.objects.get()
    sheet = reverse("answering:sheet", args=[questionnaire.cycle_id, questionnaire.pk, batch.pk])
    assert response.status_code == 302 and response["Location"] == sheet
    first = signed_in.get(sheet)
    page = parse(first.content)
    printed = [e.text for e in page.find_all("p", class_="receipt__code")]
    assert len(printed) == 3 and all(SHAPE.fullmatch(c) for c in printed)
    digests = set(AnswerCode.objects.values_list("digest", flat=True))
    assert {codes.digest(c.replace("-", "")) for c in printed} == digests
    qrs = page.find_all("div", class_="receipt__qr")
    assert len(qrs) == 3 and all(q.attrs["role"] == "img" and q.attrs["aria-label"] for q in qrs)
    assert first.content.count(b"<svg") == 3
    assert "no-store" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    again = signed_in.get(sheet)
    assert again.status_code == 200
    assert parse(again.content).find_all("p", class_="receipt__code") == []
    assert not any(c.encode() in again.content for c in printed)
    listing = signed_in.get(batches_url(questionnaire))
    assert units[0].name.encode() in listing.content


def test_the_qr_code_reads_as_the_forms_address_with_the_code(signed_in, questionnaire, units):
    import segno

    signed_in.post(batches_url(questionnaire), {"unit": units[0].code, "size": "1"})
    batch = CodeBatch.objects.get()
    sheet = reverse("answering:sheet", args=[questionnaire.cycle_id, questionnaire.pk, batch.pk])
    html = signed_in.get(sheet).content.decode()
    (code,) = re.findall(r'receipt__code">([^<]+)<', html)
    url = "http://testserver" + reverse("answering:form", args=[code])
    assert segno.make(url, error="m").svg_inline(scale=4, omitsize=True) in html


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"size": "0"}, "size"),
        ({"size": str(services.MAX_CODES + 1)}, "size"),
        ({"size": "tám"}, "size"),
        ({"unit": "not-a-unit"}, "unit"),
        ({"service": "q24=7"}, "service"),  # not a choice offered
    ],
)
def test_a_bad_batch_is_refused_with_the_field_named_and_nothing_made(
    signed_in, questionnaire, units, parse, described, fields, field
):
    data = {"unit": units[0].code, "size": "3", **fields}
    response = signed_in.post(batches_url(questionnaire), data)
    assert response.status_code == 400
    invalid = described(parse(response.content))
    assert field in [e.attrs.get("name") for e in invalid]
    assert not CodeBatch.objects.exists() and not AnswerCode.objects.exists()


def test_a_unit_outside_the_cycle_is_no_choice(signed_in, questionnaire, units):
    response = signed_in.post(batches_url(questionnaire), {"unit": units[2].code, "size": "3"})
    assert response.status_code == 400 and not CodeBatch.objects.exists()


def test_a_batch_may_be_for_a_service_a_choice_of_the_form(signed_in, questionnaire, units):
    data = {"unit": units[0].code, "size": "2", "service": "don_vi=phuong_b"}
    assert signed_in.post(batches_url(questionnaire), data).status_code == 302
    batch = CodeBatch.objects.get()
    assert (batch.service_question, batch.service) == ("don_vi", "phuong_b")
    sheet = reverse("answering:sheet", args=[questionnaire.cycle_id, questionnaire.pk, batch.pk])
    receipts = signed_in.get(sheet).content.decode()
    assert receipts.count("VÍ DỤ – Phường B") == 2  # the service on each receipt
    assert receipts.count(units[0].name) >= 2
