"""The secretariat reminds a selection of late units: list, confirmation of who, send, audit."""

from __future__ import annotations

import json

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Assessment, Phase
from parindex_web.notifications.models import Event, Notice

from .conftest import recipients

pytestmark = pytest.mark.django_db


def url(cycle):
    return f"/cycles/{cycle.pk}/reminders"


@pytest.fixture
def late(cycle, run_to):
    """The self-assessment open, both units in draft (late)."""
    return run_to(cycle, Phase.SELF_ASSESSMENT)


def test_it_sends_a_visitor_to_the_login_page(client, late):
    r = client.get(url(late))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["officer", "leader", "appraiser", "officer2"])
def test_it_refuses_the_cycles_other_people(client, people, late, who):
    client.force_login(getattr(people, who))
    assert client.get(url(late)).status_code == 403
    assert client.post(url(late), {"units": [1], "confirm": "on"}).status_code == 403
    assert not Notice.objects.filter(event=Event.REMINDER).exists()


def test_another_bodys_secretariat_does_not_find_it(client, people, late):
    client.force_login(people.foreign_secretariat)
    assert client.get(url(late)).status_code == 404
    assert client.post(url(late), {"units": [1], "confirm": "on"}).status_code == 404
    assert client.get("/cycles/99999999999/reminders").status_code == 404


def test_it_lists_the_late_units_with_what_is_not_done_and_who_gets_it(client, parse, people, late):
    client.force_login(people.secretariat)
    page = parse(client.get(url(late)).content)
    rows = page.find("table", id="late-units").text
    assert "Xã Đông Hòa" in rows and "Xã Ái Quốc" in rows
    assert "Tự đánh giá chưa được ký duyệt" in rows
    assert "officer" in rows and "leader2" in rows
    boxes = page.find_all("input", type="checkbox", name="units")
    ids = sorted(a.pk for a in late.assessments.all())
    assert sorted(int(b.attrs["value"]) for b in boxes) == ids
    assert all("checked" not in b.attrs for b in boxes)


def test_choosing_units_shows_who_will_receive_it_and_sends_nothing(
    client, parse, people, late, assessment
):
    client.force_login(people.secretariat)
    r = client.post(url(late), {"units": [assessment.pk]})
    assert r.status_code == 200
    page = parse(r.content)
    table = page.find("table", id="recipients").text
    assert "officer <officer@example.org>" in table and "leader <leader@example.org>" in table
    assert "Xã Ái Quốc" not in table
    assert page.find("input", type="hidden", name="units").attrs["value"] == str(assessment.pk)
    assert not Notice.objects.filter(event=Event.REMINDER).exists()


def test_confirming_sends_to_the_chosen_units_people_and_audits_it(
    client, parse, people, late, assessment, sent
):
    client.force_login(people.secretariat)
    outbox = sent(client.post, url(late), {"units": [assessment.pk], "confirm": "on"})
    assert recipients(event=Event.REMINDER) == {"officer", "leader"}
    assert sorted(m.to[0] for m in outbox) == ["leader@example.org", "officer@example.org"]
    record = AuditRecord.objects.get(action="reminder.send")
    assert record.actor == people.secretariat and record.cycle_id == late.pk
    assert json.loads(record.new_value) == {"units": ["xa-1"], "recipients": ["leader", "officer"]}
    page = parse(client.get(url(late)).content)
    assert "Đã gửi lời nhắc cho 2 người." in page.find("ul", class_="messages").text


def test_sending_again_sends_again(client, people, late, assessment):
    """The secretariat's reminder is its decision: no sent log holds it back."""
    client.force_login(people.secretariat)
    for _ in range(2):
        client.post(url(late), {"units": [assessment.pk], "confirm": "on"})
    assert Notice.objects.filter(event=Event.REMINDER, recipient=people.officer).count() == 2


def test_no_unit_ticked_is_refused_with_a_message(client, parse, people, late):
    client.force_login(people.secretariat)
    r = client.post(url(late), {"confirm": "on"})
    assert r.status_code == 400
    alerts = " ".join(e.text for e in parse(r.content).find_all("div", role="alert"))
    assert "Hãy chọn ít nhất một đơn vị để nhắc." in alerts
    assert not AuditRecord.objects.filter(action="reminder.send").exists()


@pytest.mark.parametrize("value", ["999999", "x", ""])
def test_a_unit_that_is_not_late_or_not_a_unit_is_refused(client, people, late, value):
    client.force_login(people.secretariat)
    r = client.post(url(late), {"units": [value], "confirm": "on"})
    assert r.status_code == 400
    assert not Notice.objects.filter(event=Event.REMINDER).exists()


def test_a_unit_signed_off_meanwhile_is_left_out(client, people, late, assessment):
    client.force_login(people.secretariat)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    Assessment.objects.filter(pk=assessment.pk).update(signed_at="2026-12-01T00:00Z")
    r = client.post(url(late), {"units": [assessment.pk], "confirm": "on"})
    assert r.status_code == 400  # no longer one of the late units
    assert not Notice.objects.filter(event=Event.REMINDER).exists()


def test_a_cycle_with_nobody_late_says_so(client, parse, people, cycle):
    client.force_login(people.secretariat)  # in preparation: no phase work yet
    page = parse(client.get(url(cycle)).content)
    assert page.find("p", id="no-late-units").text.startswith("Không có đơn vị nào chậm")
