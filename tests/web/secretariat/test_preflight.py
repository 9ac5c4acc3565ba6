"""The phase pre-flight: what the phase and publish pages show before a move, and the confirmation
they require (checked on the server, written to the audit trail) when a unit is unfinished."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from world import external_rows

from parindex.preflight import Issue
from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles import preflight, services
from parindex_web.cycles.models import Cycle, Evidence, Phase

from .conftest import fill

pytestmark = pytest.mark.django_db

CONFIRMED = "cycle.preflight_confirmed"


def required_codes(cycle: Cycle) -> list[str]:
    core = cycle.core()
    return [n.code for n in core.leaves if n.evidence.strip()]


@pytest.fixture
def one_signed(cycle, secretariat, officer, leader):
    """Self-assessment open; only Xã Bình An (x-b) filled in and signed off; no survey points."""
    services.advance_phase(secretariat, cycle)
    a = cycle.assessments.get(unit__code="x-b")
    fill(officer, a)
    services.sign_off(leader, a)
    cycle.refresh_from_db()
    return cycle


def issues(report) -> dict[str, tuple[Issue, ...]]:
    return {u.unit: u.issues for u in report.result.units}


def test_it_lists_what_each_unit_has_unfinished(one_signed):
    report = preflight.check(one_signed)
    assert report.result.early and report.count == 3
    assert issues(report) == {
        "x-a": (Issue.UNSIGNED, Issue.UNSCORED, Issue.EARLY),
        "x-b": (Issue.UNSCORED, Issue.NO_EVIDENCE),
        "x-d": (Issue.UNSIGNED, Issue.UNSCORED, Issue.EARLY),
    }
    by_unit = {u.unit: u.findings for u in report.result.units}
    assert by_unit["x-a"][1].count == 21  # nothing filled in: every criterion
    assert by_unit["x-b"][0].count == 5  # the survey and data criteria have no points yet
    assert list(by_unit["x-b"][1].codes) == required_codes(one_signed)
    assert [r.name for r in report.rows] == ["Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An"]


def test_linked_evidence_and_survey_points_clear_a_signed_unit(one_signed, secretariat):
    a = one_signed.assessments.get(unit__code="x-b")
    doc = Evidence.objects.create(
        assessment=a,
        file="evidence/aa/bb/x",
        sha256="a" * 64,
        size=1,
        content_type="application/pdf",
        original_name="kh.pdf",
    )
    for entry in a.entries.filter(code__in=required_codes(one_signed)):
        entry.evidence.add(doc)
    services.set_external_points(secretariat, one_signed, external_rows(one_signed))
    assert "x-b" not in issues(preflight.check(one_signed))


def test_after_the_deadline_the_move_is_not_early(one_signed):
    Cycle.objects.filter(pk=one_signed.pk).update(
        self_assessment_due=timezone.now() - timedelta(days=1)
    )
    one_signed.refresh_from_db()
    report = preflight.check(one_signed)
    assert not report.result.early
    assert Issue.EARLY not in issues(report)["x-a"]


def test_the_phase_page_shows_the_table_and_the_confirmation(
    client, parse, one_signed, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{one_signed.pk}/phase").content)
    table = page.find("table", id="preflight").text
    assert "Xã Ái Quốc" in table and "Chưa ký duyệt" in table
    assert "Bản tự đánh giá bị khóa ở trạng thái hiện tại." in table
    assert "không thể thẩm định" in table
    assert "21 tiêu chí chưa có điểm" in table and "tính 0 điểm" in table
    assert "Thiếu tài liệu kiểm chứng bắt buộc ở: 1.1.1" in table
    assert "Chưa đến hạn" in page.find("p", id="preflight-deadline").text
    box = page.find("input", name="confirm")
    assert box.attrs["type"] == "checkbox"
    assert box.attrs["value"] == preflight.check(one_signed).token
    assert box.attrs["value"].startswith("3-")
    label = page.find("p", class_="preflight__confirm").text
    assert "3 đơn vị chưa hoàn thành" in label and "Phường Đông Hà, Xã Ái Quốc, Xã Bình An" in label


@pytest.mark.parametrize("confirm", [None, "", "3", "2", "yes", "3-000000000000"])
def test_it_refuses_to_move_without_the_confirmation(
    client, parse, one_signed, secretariat, confirm
):
    client.force_login(secretariat)
    data = {"phase": "self_assessment"} | ({} if confirm is None else {"confirm": confirm})
    r = client.post(f"/cycles/{one_signed.pk}/phase", data)
    assert r.status_code == 302 and r["Location"] == f"/cycles/{one_signed.pk}/phase"
    text = parse(client.get(r["Location"]).content).find("ul", class_="messages").text
    assert "3 đơn vị chưa hoàn thành" in text
    one_signed.refresh_from_db()
    assert one_signed.phase == Phase.SELF_ASSESSMENT
    assert not AuditRecord.objects.filter(
        action__in=["cycle.phase", CONFIRMED], phase="self_assessment"
    ).exists()


def test_it_moves_with_the_confirmation_and_audits_it(client, one_signed, secretariat):
    client.force_login(secretariat)
    token = preflight.check(one_signed).token
    r = client.post(
        f"/cycles/{one_signed.pk}/phase", {"phase": "self_assessment", "confirm": token}
    )
    assert r["Location"] == f"/cycles/{one_signed.pk}/"
    one_signed.refresh_from_db()
    assert one_signed.phase == Phase.APPRAISAL
    rec = AuditRecord.objects.get(action=CONFIRMED)
    assert rec.actor == secretariat and rec.cycle_id == one_signed.pk
    assert rec.phase == "self_assessment"
    assert "3" in rec.reason and "Xã Ái Quốc" in rec.reason
    assert '"move": "appraisal"' in rec.new_value and '"early": true' in rec.new_value
    assert '"unit": "x-a"' in rec.new_value and '"issue": "unsigned"' in rec.new_value
    assert '"issue": "missing_evidence"' in rec.new_value
    assert verify() == []
    # On the dashboard, the units that never signed off now say so.
    text = client.get(f"/cycles/{one_signed.pk}/").content.decode()
    table = text[text.index('<table class="table table--progress">') :]
    assert table.count("Chưa ký duyệt") == 2


def test_nothing_unfinished_needs_no_confirmation(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.APPRAISAL)  # every unit signed off and appraised, survey points in
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/phase").content)
    assert page.find("p", id="preflight-clear")
    assert page.find_all("input", name="confirm") == []
    client.post(f"/cycles/{cycle.pk}/phase", {"phase": "appraisal"})
    cycle.refresh_from_db()
    assert cycle.phase == Phase.EXPLANATION
    assert not AuditRecord.objects.filter(action=CONFIRMED).exists()


def test_pending_explanations_are_shown_and_no_confirmation_is_offered(
    client, parse, cycle, pending_explanation, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/phase").content)
    table = page.find("table", id="preflight").text
    assert "1 giải trình chờ quyết định" in table and "Không thể chốt kết quả" in table
    assert page.find_all("input", name="confirm") == []


@pytest.fixture
def finalised_unsigned(cycle, secretariat):
    """Finalised with no unit ever signed off: the situation issue 15 found published at 5.00."""
    for _step in range(3):
        services.advance_phase(secretariat, cycle)
    services.finalise(secretariat, cycle)
    cycle.refresh_from_db()
    return cycle


def test_publishing_unfinished_units_needs_the_confirmation(
    client, parse, finalised_unsigned, secretariat
):
    cycle = finalised_unsigned
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/publish").content)
    assert "dù chưa từng hoàn thành thẩm định" in page.find("table", id="preflight").text
    token = page.find("input", name="confirm").attrs["value"]
    assert token.startswith("3-")
    r = client.post(f"/cycles/{cycle.pk}/publish", {})
    assert r["Location"] == f"/cycles/{cycle.pk}/publish"
    assert not cycle.publications.exists()
    r = client.post(f"/cycles/{cycle.pk}/publish", {"confirm": token})
    assert r["Location"] == f"/cycles/{cycle.pk}/publications/1/"
    rec = AuditRecord.objects.get(action=CONFIRMED)
    assert '"move": "published"' in rec.new_value and '"issue": "unsigned"' in rec.new_value


def test_a_confirmation_given_for_another_table_is_refused(client, one_signed, secretariat):
    """Between reading the page and pressing the button, a unit's state changed."""
    token = preflight.check(one_signed).token
    services.set_external_points(
        secretariat, one_signed, {("x-a", "4.1.2"): one_signed.core().by_code["4.1.2"].max_points}
    )
    assert preflight.check(one_signed).token != token
    client.force_login(secretariat)
    client.post(f"/cycles/{one_signed.pk}/phase", {"phase": "self_assessment", "confirm": token})
    one_signed.refresh_from_db()
    assert one_signed.phase == Phase.SELF_ASSESSMENT


def test_colleagues_and_outsiders_cannot_move_with_the_confirmation(one_signed, refused):
    token = preflight.check(one_signed).token
    refused(
        f"/cycles/{one_signed.pk}/phase", "post", {"phase": "self_assessment", "confirm": token}
    )
    one_signed.refresh_from_db()
    assert one_signed.phase == Phase.SELF_ASSESSMENT
    assert not AuditRecord.objects.filter(action=CONFIRMED).exists()


def test_colleagues_and_outsiders_cannot_publish_with_the_confirmation(finalised_unsigned, refused):
    token = preflight.check(finalised_unsigned).token
    refused(f"/cycles/{finalised_unsigned.pk}/publish", "post", {"confirm": token})
    assert not finalised_unsigned.publications.exists()
