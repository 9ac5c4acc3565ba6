"""The leader sends the draft back to the officers with a comment instead of signing off."""

import pytest
from django.core import mail

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment

from .helpers import fill_all, past_deadline

pytestmark = pytest.mark.django_db

COMMENT = "Tiêu chí 1.1.2 thiếu tài liệu kiểm chứng, bổ sung trước thứ Sáu."


def url(w):
    return f"/assessments/{w.assessment.pk}/send-back"


def test_the_leader_sends_it_back_with_a_comment_audited_and_emailed(
    client, parse, w, django_capture_on_commit_callbacks
):
    client.force_login(w.leader)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        r = client.post(url(w), {"comment": COMMENT})
    assert r.status_code == 302
    assert r["Location"] == f"/assessments/{w.assessment.pk}/review/"
    record = AuditRecord.objects.get(action="assessment.sent_back")
    assert (record.reason, record.actor, record.unit_code) == (COMMENT, w.leader, "x01")
    assert [m.to for m in mail.outbox] == [["canbo@example.org"]]
    assert Assessment.objects.get(pk=w.assessment.pk).status == Assessment.Status.DRAFT


def test_the_officer_sees_the_comment_on_the_assessment_and_on_my_work(client, parse, w):
    client.force_login(w.leader)
    client.post(url(w), {"comment": COMMENT})
    client.force_login(w.officer)
    detail = parse(client.get(f"/assessments/{w.assessment.pk}/").content)
    assert COMMENT in detail.find("div", id="sent-back").text
    work = parse(client.get("/work/").content)
    assert COMMENT in work.find("div", id=f"sent-back-{w.assessment.pk}").text


def test_the_comment_goes_away_once_signed_off(client, parse, w):
    fill_all(w)
    services.send_back(w.leader, w.assessment, COMMENT)
    services.sign_off(w.leader, w.assessment)
    assert services.sent_back(Assessment.objects.get(pk=w.assessment.pk)) is None
    client.force_login(w.officer)
    assert COMMENT.encode() not in client.get("/work/").content


def test_it_needs_a_comment(client, parse, described, w):
    client.force_login(w.leader)
    r = client.post(url(w), {"comment": "  "})
    assert r.status_code == 400
    assert [e.attrs["name"] for e in described(parse(r.content))] == ["comment"]
    assert parse(r.content).find("span", class_="field-error").text
    assert not AuditRecord.objects.filter(action="assessment.sent_back").exists()


def test_it_refuses_after_the_deadline(client, w):
    past_deadline(w)
    client.force_login(w.leader)
    client.post(url(w), {"comment": COMMENT})
    assert not AuditRecord.objects.filter(action="assessment.sent_back").exists()
    assert mail.outbox == []


def test_the_service_refuses_an_officer(w):
    with pytest.raises(services.CycleError):
        services.send_back(w.officer, w.assessment, COMMENT)


def test_it_refuses_the_officer_the_secretariat_and_the_appraiser(client, w):
    for user in (w.officer, w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.post(url(w), {"comment": COMMENT}).status_code == 403
    assert not AuditRecord.objects.filter(action="assessment.sent_back").exists()


def test_it_hides_the_action_from_another_units_leader(client, w):
    client.force_login(w.other_leader)
    assert client.post(url(w), {"comment": COMMENT}).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.post(url(w), {"comment": COMMENT})["Location"].startswith("/accounts/login/")


def test_it_only_accepts_post(client, w):
    client.force_login(w.leader)
    assert client.get(url(w)).status_code == 405


def test_it_refuses_control_characters_in_the_comment(client, w):
    client.force_login(w.leader)
    assert client.post(url(w), {"comment": "Bổ sung\x00 tài liệu"}).status_code == 400
    assert not AuditRecord.objects.filter(action="assessment.sent_back").exists()
