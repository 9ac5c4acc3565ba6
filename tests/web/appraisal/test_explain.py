"""A unit officer explains (giải trình) the appraisal of a leaf, optionally with a document."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex_web.cycles import services
from parindex_web.cycles.models import Evidence, Explanation

from .conftest import LOWERED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(client, world, code=LOWERED, **data):
    entry = world.entry(code)
    fields = {"text": "Đơn vị đã ban hành kế hoạch", **data}
    payload = {f"e{entry.pk}-{k}": v for k, v in fields.items()}
    return client.post(
        f"/appraisal/{world.assessment.pk}/explanations/{entry.pk}/",
        payload,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def pdf(name="kh.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 ke hoach", content_type="application/pdf")


def test_it_saves_the_explanation_and_tells_the_appraiser(
    client, world, django_capture_on_commit_callbacks
):
    world.to_explanation_phase()
    mail.outbox.clear()
    client.force_login(world.officer)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        r = post(client, world)
    entry = world.entry(LOWERED)
    assert r.status_code == 302
    assert r["Location"] == f"/appraisal/{world.assessment.pk}/explanations/#leaf-{entry.pk}"
    x = entry.explanations.get()
    assert x.status == Explanation.Status.PENDING
    assert x.text == "Đơn vị đã ban hành kế hoạch"
    assert x.submitted_by == world.officer
    assert [m.to for m in mail.outbox] == [["thamdinh@example.org"]]


def test_it_attaches_a_new_document(client, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    r = post(
        client, world, file=pdf(), doc_number="15/KH-UBND", doc_date="2025-03-05", issuer="UBND xã"
    )
    assert r.status_code == 302
    x = world.entry(LOWERED).explanations.get()
    evidence = x.evidence.get()
    assert (evidence.doc_number, evidence.issuer) == ("15/KH-UBND", "UBND xã")
    assert evidence.doc_date.isoformat() == "2025-03-05"
    assert evidence.original_name == "kh.pdf"


def test_it_refuses_a_file_type_that_is_not_accepted(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    r = post(client, world, file=exe)
    assert r.status_code == 400
    assert "not accepted" in parse(r.content).find("form", class_="stacked-form explain-form").text
    assert not Explanation.objects.exists()
    assert not Evidence.objects.exists()


def test_it_requires_the_text(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    r = post(client, world, text="  ")
    assert r.status_code == 400
    assert "required" in parse(r.content).find("form", class_="stacked-form explain-form").text
    assert not Explanation.objects.exists()


def test_it_refuses_a_second_explanation_while_one_is_pending(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    post(client, world)
    r = post(client, world, text="Lần hai", file=pdf("b.pdf"))
    assert "already awaiting a decision" in parse(r.content).find("main").text
    assert Explanation.objects.count() == 1
    assert not Evidence.objects.exists()  # the document of the refused reply is not kept


def test_it_refuses_in_the_appraisal_phase(client, parse, world):
    world.appraise_all()
    services.complete_appraisal(world.appraiser, world.assessment)
    client.force_login(world.officer)
    r = post(client, world)
    assert "not possible in the current phase" in parse(r.content).find("main").text
    assert not Explanation.objects.exists()


def test_it_refuses_after_the_deadline(client, parse, world):
    world.to_explanation_phase()
    world.cycle.explanation_due = timezone.now() - timezone.timedelta(minutes=5)
    world.cycle.save()
    client.force_login(world.officer)
    r = post(client, world, file=pdf())
    form = parse(r.content).find("form", class_="stacked-form explain-form")
    assert "The deadline of this phase passed" in form.text
    assert not Explanation.objects.exists()
    assert not Evidence.objects.exists()


def test_it_refuses_the_appraiser_leader_and_secretariat(client, world):
    world.to_explanation_phase()
    for user in (world.appraiser, world.leader, world.secretariat):
        client.force_login(user)
        assert post(client, world).status_code == 403
    assert not Explanation.objects.exists()


def test_it_refuses_another_body(client, world):
    world.to_explanation_phase()
    for user in (world.outsider, world.colleague):
        client.force_login(user)
        assert post(client, world).status_code == 404
    assert not Explanation.objects.exists()


def test_it_sends_anonymous_users_to_log_in(client, world):
    world.to_explanation_phase()
    r = post(client, world)
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
