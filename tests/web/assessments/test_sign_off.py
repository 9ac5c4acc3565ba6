"""The leader signs off (submits) the self-assessment."""

import pytest
from django.core import mail

from parindex_web.cycles.models import Assessment

from .helpers import fill_all, past_deadline, refusal, save

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


def url(w):
    return f"/assessments/{w.assessment.pk}/sign-off"


def status(w):
    return Assessment.objects.get(pk=w.assessment.pk).status


def test_the_leader_signs_off_a_complete_self_assessment(
    client, parse, w, django_capture_on_commit_callbacks
):
    fill_all(w)
    client.force_login(w.leader)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        r = client.post(url(w), CONFIRM)
    assert r.status_code == 302
    assert r["Location"] == f"/assessments/{w.assessment.pk}/"
    a = Assessment.objects.get(pk=w.assessment.pk)
    assert (a.status, a.signed_by) == (Assessment.Status.SUBMITTED, w.leader)
    assert {m.to[0] for m in mail.outbox} >= {"thuky@example.org", "thamdinh@example.org"}
    page = parse(client.get(r["Location"]).content)
    assert page.find("li", class_="message message--success").text


def test_it_lists_the_missing_leaves_and_keeps_the_draft(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    client.force_login(w.leader)
    r = client.post(url(w), CONFIRM, follow=True)
    message = parse(r.content).find("li", class_="message message--error").text
    assert "1.1.2" in message and "1.1.1," not in message
    assert status(w) == Assessment.Status.DRAFT
    assert mail.outbox == []


def test_it_refuses_a_sign_off_after_the_deadline(client, parse, w):
    fill_all(w)
    past_deadline(w)
    client.force_login(w.leader)
    r = client.post(url(w), CONFIRM, follow=True)
    assert parse(r.content).find("li", class_="message message--error").text == refusal(
        w.assessment
    )
    assert status(w) == Assessment.Status.DRAFT


def test_it_refuses_a_second_sign_off(client, w):
    fill_all(w)
    client.force_login(w.leader)
    client.post(url(w), CONFIRM)
    before = Assessment.objects.get(pk=w.assessment.pk).signed_at
    client.post(url(w), CONFIRM)
    assert Assessment.objects.get(pk=w.assessment.pk).signed_at == before


def test_it_refuses_the_officer(client, w):
    fill_all(w)
    client.force_login(w.officer)
    assert client.post(url(w), CONFIRM).status_code == 403
    assert status(w) == Assessment.Status.DRAFT


def test_it_refuses_the_secretariat_and_the_appraiser(client, w):
    fill_all(w)
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.post(url(w), CONFIRM).status_code == 403
    assert status(w) == Assessment.Status.DRAFT


def test_it_hides_the_action_from_another_units_leader(client, w):
    fill_all(w)
    client.force_login(w.other_leader)
    assert client.post(url(w), CONFIRM).status_code == 404
    assert status(w) == Assessment.Status.DRAFT


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.post(url(w), CONFIRM)["Location"].startswith("/accounts/login/")


def test_it_shows_the_consequence_before_signing_off(client, parse, w):
    fill_all(w)
    client.force_login(w.leader)
    r = client.get(url(w), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    page = parse(r.content)
    assert "only the secretariat can reopen it" in page.find("section", id="confirm").text
    assert page.find("input", name="confirm").attrs["value"] == "yes"
    assert status(w) == Assessment.Status.DRAFT


def test_a_post_without_the_confirmation_only_shows_the_confirmation(client, parse, w):
    fill_all(w)
    client.force_login(w.leader)
    r = client.post(url(w))
    assert r.status_code == 400
    page = parse(r.content)
    assert page.find("section", id="confirm") and page.find("p", class_="error").text
    assert status(w) == Assessment.Status.DRAFT
    assert mail.outbox == []


def test_the_confirmation_step_refuses_the_officer_and_another_units_leader(client, w):
    client.force_login(w.officer)
    assert client.get(url(w)).status_code == 403
    client.force_login(w.other_leader)
    assert client.get(url(w)).status_code == 404
