import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import preflight
from parindex_web.cycles.models import Assessment, Phase

pytestmark = pytest.mark.django_db


def test_it_shows_the_current_and_the_next_phase(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/phase").content)
    facts = [dd.text for dd in page.find_all("dd")]
    assert facts == ["Chuẩn bị", "Tự đánh giá"]
    assert page.find("input", name="phase").attrs["value"] == "draft"
    assert "Tự đánh giá" in page.find("button", class_="button").text


def test_it_opens_the_next_phase(client, cycle, secretariat):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/phase", {"phase": "draft"})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/"
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT
    assert cycle.assessments.first().entries.count() == 21
    rec = AuditRecord.objects.get(action="cycle.phase")
    assert (rec.old_value, rec.new_value) == ("draft", "self_assessment")


def test_a_repeated_submission_does_not_move_two_steps(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    client.post(f"/cycles/{cycle.pk}/phase", {"phase": "draft"})
    r = client.post(f"/cycles/{cycle.pk}/phase", {"phase": "draft"})
    assert r.status_code == 200
    assert "đã thay đổi" in parse(r.content).find("div", role="alert").text
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT


def test_it_refuses_to_finalise_with_pending_explanations(
    client, parse, cycle, pending_explanation, secretariat
):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/phase", {"phase": "explanation"}, follow=True)
    assert "Còn 1 giải trình chờ quyết định." in parse(r.content).find("ul", class_="messages").text
    cycle.refresh_from_db()
    assert cycle.phase == Phase.EXPLANATION
    assert not cycle.assessments.filter(status=Assessment.Status.FINAL).exists()


def test_it_finalises_when_every_explanation_is_decided(client, cycle, run_to, secretariat):
    run_to(cycle, Phase.EXPLANATION)
    client.force_login(secretariat)
    # Before the explanation deadline, with a lowered score in each unit: confirmed for the three.
    token = preflight.check(cycle).token
    assert token.startswith("3-")
    client.post(f"/cycles/{cycle.pk}/phase", {"phase": "explanation", "confirm": token})
    cycle.refresh_from_db()
    assert cycle.phase == Phase.FINALISED
    assert set(cycle.assessments.values_list("status", flat=True)) == {"final"}


def test_it_sends_a_finalised_cycle_to_the_publication_page(
    client, parse, cycle, run_to, secretariat
):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/phase").content)
    assert page.find("a", href=f"/cycles/{cycle.pk}/publish")
    assert not page.find_all("input", name="phase")
    r = client.post(f"/cycles/{cycle.pk}/phase", {"phase": "finalised"}, follow=True)
    assert "công bố" in parse(r.content).find("ul", class_="messages").text
    cycle.refresh_from_db()
    assert cycle.phase == Phase.FINALISED


def test_it_refuses_everyone_else(cycle, refused):
    refused(f"/cycles/{cycle.pk}/phase")
    refused(f"/cycles/{cycle.pk}/phase", "post", {"phase": "draft"})
    cycle.refresh_from_db()
    assert cycle.phase == Phase.DRAFT
