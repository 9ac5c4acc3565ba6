import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Assessment, Cycle, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cycle, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    return cycle.assessments.get(unit__code="x-b")


def url(assessment: Assessment) -> str:
    return f"/cycles/{assessment.cycle_id}/assessments/{assessment.pk}/reopen"


def test_it_shows_the_form(client, parse, submitted, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(url(submitted)).content)
    assert "Xã Bình An" in page.find("h1").text
    assert page.find("textarea", name="reason")


def test_it_reopens_a_submitted_self_assessment_with_the_reason(client, submitted, secretariat):
    client.force_login(secretariat)
    r = client.post(url(submitted), {"reason": "Thiếu tài liệu kiểm chứng"})
    assert r.status_code == 302 and r["Location"] == f"/cycles/{submitted.cycle_id}/"
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT
    assert submitted.signed_by is None
    rec = AuditRecord.objects.filter(action="assessment.status").last()
    assert (rec.old_value, rec.new_value, rec.reason) == (
        "submitted",
        "draft",
        "Thiếu tài liệu kiểm chứng",
    )


def test_it_requires_a_reason(client, parse, submitted, secretariat):
    client.force_login(secretariat)
    r = client.post(url(submitted), {"reason": "  "})
    assert r.status_code == 200
    assert "Hãy nêu lý do." in parse(r.content).find("ul", class_="errorlist").text
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_it_refuses_an_assessment_that_is_not_submitted(client, parse, submitted, secretariat):
    client.force_login(secretariat)
    client.post(url(submitted), {"reason": "Lần đầu"})
    r = client.post(url(submitted), {"reason": "Lần hai"}, follow=True)
    assert (
        "Chỉ có thể mở lại bản tự đánh giá đã gửi."
        in parse(r.content).find("ul", class_="messages").text
    )
    assert AuditRecord.objects.filter(action="assessment.status", reason="Lần hai").count() == 0


def test_it_refuses_outside_its_phases(client, parse, cycle, secretariat):
    draft = cycle.assessments.first()
    client.force_login(secretariat)
    r = client.post(url(draft), {"reason": "Lý do"}, follow=True)
    assert "Không thể thực hiện" in parse(r.content).find("ul", class_="messages").text


def test_it_is_404_for_an_assessment_of_another_cycle(
    client, submitted, secretariat, methodology, body
):
    other = Cycle.objects.create(body=body, year=2024, name="Khác", methodology=methodology)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{other.pk}/assessments/{submitted.pk}/reopen", {"reason": "x"})
    assert r.status_code == 404


def test_it_refuses_everyone_else(submitted, refused):
    refused(url(submitted))
    refused(url(submitted), "post", {"reason": "Mở lại"})
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
