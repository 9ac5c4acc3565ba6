"""Completing the appraisal of a unit: status changes and the unit is told by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail

from parindex_web.cycles.models import Assessment

pytestmark = pytest.mark.django_db


def url(world):
    return f"/appraisal/{world.assessment.pk}/complete"


def test_it_completes_and_notifies_the_unit(client, world, django_capture_on_commit_callbacks):
    world.appraise_all()
    client.force_login(world.appraiser)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        r = client.post(url(world))
    assert r.status_code == 302
    assert r["Location"] == f"/appraisal/{world.assessment.pk}/"
    world.refresh()
    assert world.assessment.status == Assessment.Status.APPRAISED
    assert world.assessment.appraised_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@example.org", "lanhdao@example.org"]
    assert all("Xã Thử" in m.subject for m in mail.outbox)


def test_the_page_then_says_it_is_complete_and_read_only(client, parse, world):
    world.appraise_all()
    client.force_login(world.appraiser)
    r = client.post(url(world), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    page = parse(r.content)
    assert "the unit has been notified" in page.find("ul", class_="messages").text
    assert "complete" in page.find("p", id="closed").text
    assert not [f for f in page.find_all("form") if "/appraise" in f.attrs.get("action", "")]


def test_it_names_the_leaves_not_yet_appraised(client, parse, world):
    client.force_login(world.appraiser)
    r = client.post(url(world), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    text = parse(r.content).find("ul", class_="messages").text
    assert "Appraise every criterion first" in text and "1.1.1" in text
    world.refresh()
    assert world.assessment.status == Assessment.Status.SUBMITTED
    assert mail.outbox == []


def test_it_cannot_complete_twice(client, world, django_capture_on_commit_callbacks):
    world.appraise_all()
    client.force_login(world.appraiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(world))
        r = client.post(url(world), follow=True)
    assert len(mail.outbox) == 2  # the officer and the leader, once
    assert r.status_code == 200


def test_it_refuses_the_unit_and_the_secretariat(client, world):
    world.appraise_all()
    for user in (world.officer, world.leader, world.secretariat):
        client.force_login(user)
        assert client.post(url(world)).status_code == 403
    world.refresh()
    assert world.assessment.status == Assessment.Status.SUBMITTED


def test_it_refuses_an_unassigned_appraiser_and_another_body(client, world):
    world.appraise_all()
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        assert client.post(url(world)).status_code == 404
    assert mail.outbox == []


def test_it_sends_anonymous_users_to_log_in(client, world):
    r = client.post(url(world))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
