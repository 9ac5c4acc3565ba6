"""The appraiser's decision on an explanation: accept with points, or reject."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Explanation, Phase

from .conftest import LOWERED

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    world.to_explanation_phase()
    x = services.explain(world.officer, world.entry(LOWERED), text="Đã ban hành kế hoạch")
    mail.outbox.clear()
    return x


def url(x):
    return f"/appraisal/explanations/{x.pk}/decide"


def post(client, x, **data):
    fields = {"decision": "accept", "points": "", "reason": "Tài liệu bổ sung hợp lệ", **data}
    payload = {f"x{x.pk}-{k}": v for k, v in fields.items()}
    return client.post(url(x), payload, HTTP_ACCEPT_LANGUAGE="en")


def counts(world):
    return world.entry(LOWERED).result_points(parindex.Source.APPRAISAL)


def test_it_shows_the_explanation_with_the_self_points_as_default(client, parse, world, pending):
    client.force_login(world.appraiser)
    r = client.get(url(pending))
    assert r.status_code == 200
    page = parse(r.content)
    assert (
        "Đã ban hành kế hoạch" in page.find("div", class_="explanation explanation--pending").text
    )
    assert page.find("input", name=f"x{pending.pk}-points").attrs["value"] == "1"


def test_accepting_makes_the_self_points_count(
    client, world, pending, django_capture_on_commit_callbacks
):
    client.force_login(world.appraiser)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        r = post(client, pending)
    assert r.status_code == 302
    assert r["Location"] == f"/appraisal/{world.assessment.pk}/#leaf-{world.entry(LOWERED).pk}"
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.ACCEPTED
    assert pending.decided_by == world.appraiser
    assert counts(world) == Decimal(1)
    assert world.entry(LOWERED).appraised_points == 0  # the appraisal itself is kept
    assert [m.to for m in mail.outbox] == [["canbo@example.org"]]  # the officer who explained


def test_accepting_with_other_points_makes_them_count(client, world, pending):
    client.force_login(world.appraiser)
    post(client, pending, points="0,5")
    assert counts(world) == Decimal("0.5")


def test_rejecting_keeps_the_appraised_points(client, world, pending):
    client.force_login(world.appraiser)
    post(client, pending, decision="reject", points="1")
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.REJECTED
    assert pending.decided_points is None
    assert counts(world) == Decimal(0)


def test_it_requires_a_reason(client, parse, world, pending):
    client.force_login(world.appraiser)
    r = post(client, pending, reason="")
    assert r.status_code == 200
    assert "required" in parse(r.content).find("form", class_="stacked-form decide-form").text
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.PENDING


def test_it_refuses_to_decide_twice(client, parse, world, pending):
    client.force_login(world.appraiser)
    post(client, pending)
    r = post(client, pending, decision="reject")
    assert (
        "already been decided"
        in parse(r.content).find("form", class_="stacked-form decide-form").text
    )
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.ACCEPTED
    assert counts(world) == Decimal(1)


def test_a_decided_explanation_shows_without_a_form(client, parse, world, pending):
    services.decide(world.appraiser, pending, accept=False, points=None, reason="Không đủ")
    client.force_login(world.appraiser)
    page = parse(client.get(url(pending), HTTP_ACCEPT_LANGUAGE="en").content)
    assert "Rejected" in page.find("div", class_="explanation explanation--rejected").text
    assert not page.find_all("form", action=url(pending))


def test_it_still_decides_after_the_units_deadline(client, world, pending):
    world.cycle.explanation_due = timezone.now() - timezone.timedelta(minutes=1)
    world.cycle.save()
    client.force_login(world.appraiser)
    assert post(client, pending).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.ACCEPTED


def test_it_refuses_outside_the_explanation_phase(client, parse, world, pending):
    Cycle.objects.filter(pk=world.cycle.pk).update(phase=Phase.FINALISED)
    client.force_login(world.appraiser)
    r = post(client, pending)
    assert "not possible in the current phase" in parse(r.content).find("main").text
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.PENDING


def test_the_appraisal_page_offers_the_decision_inline(client, parse, world, pending):
    client.force_login(world.appraiser)
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/").content)
    form = page.find("form", action=url(pending))
    assert "Đã ban hành kế hoạch" in page.find("section", id=f"leaf-{world.entry(LOWERED).pk}").text
    assert form.attrs["method"] == "post"


def test_it_refuses_the_unit_and_the_secretariat(client, world, pending):
    for user in (world.officer, world.leader, world.secretariat):
        client.force_login(user)
        assert client.get(url(pending)).status_code == 403
        assert post(client, pending).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.PENDING


def test_it_refuses_an_unassigned_appraiser_and_another_body(client, world, pending):
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        assert post(client, pending).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Explanation.Status.PENDING


def test_it_answers_404_for_an_unknown_explanation(client, world, pending):
    client.force_login(world.appraiser)
    assert client.get(f"/appraisal/explanations/{pending.pk + 1}/decide").status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, pending):
    r = client.get(url(pending))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
