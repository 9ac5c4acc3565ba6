from datetime import UTC, datetime

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Phase
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db

DATA = {
    "self_assessment_due": "2099-03-31T17:00",
    "appraisal_due": "2099-05-31T17:00",
    "explanation_due": "2099-06-30T17:00",
}


def test_it_shows_the_form_with_the_current_deadlines(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/deadlines").content)
    field = page.find("input", name="appraisal_due")
    assert field.attrs["type"] == "datetime-local"
    assert field.attrs["value"].startswith(f"{cycle.appraisal_due.astimezone().year}-")
    assert page.find("label", for_="id_appraisal_due").text == "Hạn thẩm định:"


def test_it_saves_the_deadlines_and_records_each_change(client, cycle, run_to, secretariat):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/deadlines", DATA)
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/"
    cycle.refresh_from_db()
    assert cycle.explanation_due == datetime(2099, 6, 30, 10, tzinfo=UTC)
    records = AuditRecord.objects.filter(action="cycle.deadline").order_by("pk")
    assert [r.field for r in records] == ["self_assessment_due", "appraisal_due", "explanation_due"]
    assert records[2].new_value == "2099-06-30T17:00:00+07:00"
    assert records[2].phase == "self_assessment"


def test_it_rejects_deadlines_out_of_order(client, parse, described, cycle, secretariat):
    before = cycle.appraisal_due
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/deadlines", {**DATA, "appraisal_due": "2099-01-01T00:00"})
    assert r.status_code == 200
    assert [e.attrs["name"] for e in described(parse(r.content))] == ["appraisal_due"]
    assert "Phải muộn hơn hạn tự đánh giá" in parse(r.content).find("ul", class_="errorlist").text
    cycle.refresh_from_db()
    assert cycle.appraisal_due == before
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()


def test_it_refuses_changes_after_finalisation(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/deadlines", DATA)
    assert r.status_code == 200
    assert "sau khi chốt" in parse(r.content).find("div", role="alert").text
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()


def test_it_refuses_everyone_else(cycle, refused):
    refused(f"/cycles/{cycle.pk}/deadlines")
    refused(f"/cycles/{cycle.pk}/deadlines", "post", DATA)
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()


def test_it_shows_a_refusal_of_the_service_above_the_form(
    client, parse, cycle, secretariat, monkeypatch
):
    def refuse(user, refused_cycle, **deadlines):
        assert (user, refused_cycle.pk) == (secretariat, cycle.pk)
        assert set(deadlines) == set(DATA)
        raise CycleError("Hạn bị từ chối")

    monkeypatch.setattr(services, "set_deadlines", refuse)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/deadlines", DATA)
    assert r.status_code == 200
    assert "Hạn bị từ chối" in parse(r.content).find("div", role="alert").text
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()
