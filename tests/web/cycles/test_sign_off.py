"""sign_off and reopen."""

from datetime import UTC, datetime

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry
from parindex_web.cycles.services import CycleError

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(flow):
    flow.open()
    return flow


def test_it_refuses_until_every_appraisal_leaf_is_filled_and_lists_the_missing(opened, assessment):
    opened.fill(assessment, {c: v for c, v in FULL_MARKS.items() if c not in ("1.1.1", "3.1.2")})
    with pytest.raises(CycleError) as exc:
        services.sign_off(opened.people.leader, assessment)
    assert str(exc.value).endswith("1.1.1, 3.1.2")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_the_missing_are_listed_in_the_methodologys_order(opened, assessment):
    opened.fill(assessment)
    # saved last, so stored last on PostgreSQL; still listed first
    Entry.objects.filter(assessment=assessment, code__in=["1.1.1", "1.1.2"]).update(
        self_points=None
    )
    with pytest.raises(CycleError) as exc:
        services.sign_off(opened.people.leader, assessment)
    assert str(exc.value).endswith("1.1.1, 1.1.2")


def test_a_unit_added_after_opening_cannot_sign_off_without_entries(opened, units, cycle):
    late = Assessment.objects.create(cycle=cycle, unit=units[2])
    with pytest.raises(CycleError, match=r"1\.1\.1"):
        services.sign_off(opened.people.leader, late)


def test_survey_and_data_leaves_are_not_needed(opened, assessment):
    opened.fill(assessment)
    services.sign_off(opened.people.leader, assessment)
    assert entry_of(assessment, "4.1.1").external_points is None


def test_it_records_the_status_and_the_signature(opened, assessment):
    opened.fill(assessment)
    before = datetime.now(UTC)
    services.sign_off(opened.people.leader, assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.signed_by == opened.people.leader
    assert assessment.signed_at >= before
    rec = AuditRecord.objects.filter(action="assessment.status").get()
    assert (rec.actor, rec.old_value, rec.new_value) == (opened.people.leader, "draft", "submitted")


def test_it_tells_the_secretariat_and_the_assigned_appraisers(
    opened, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    opened.fill(assessment)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        services.sign_off(opened.people.leader, assessment)
    assert sorted(tuple(m.to) for m in mailoutbox) == [
        ("appraiser@example.org",),
        ("secretariat@example.org",),
    ]
    assert all("Xã Đông Hòa" in m.subject for m in mailoutbox)


def test_nobody_is_mailed_when_nobody_has_an_address(
    opened, assessment, mailoutbox, people, django_capture_on_commit_callbacks
):
    type(people.secretariat).objects.update(email="")
    opened.fill(assessment)
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off(opened.people.leader, assessment)
    assert mailoutbox == []


def test_after_sign_off_saving_is_refused(opened, assessment):
    opened.submit(assessment)
    entry = entry_of(assessment, "1.1.1")
    with pytest.raises(CycleError):
        services.save_self_assessment(
            opened.people.officer, entry, inputs={"level": "none"}, note="", version=entry.version
        )
    with pytest.raises(CycleError):
        services.sign_off(opened.people.leader, assessment)
    assert entry_of(assessment, "1.1.1").self_points == 1


def test_sign_off_is_refused_after_the_deadline(opened, assessment, cycle):
    opened.fill(assessment)
    cycle.self_assessment_due = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    cycle.save()
    with pytest.raises(CycleError, match="02/01/2025"):
        services.sign_off(opened.people.leader, assessment)


def test_reopening_with_a_reason_returns_to_draft(opened, assessment):
    opened.submit(assessment)
    services.reopen(opened.people.secretariat, assessment, "Thiếu chữ ký")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert (assessment.signed_by, assessment.signed_at) == (None, None)
    rec = AuditRecord.objects.filter(action="assessment.status").last()
    assert (rec.old_value, rec.new_value, rec.reason) == ("submitted", "draft", "Thiếu chữ ký")
    entry = entry_of(assessment, "1.1.1")
    services.save_self_assessment(
        opened.people.officer, entry, inputs={"level": "late"}, note="", version=entry.version
    )


def test_reopening_needs_a_reason(opened, assessment):
    opened.submit(assessment)
    with pytest.raises(CycleError):
        services.reopen(opened.people.secretariat, assessment, "  ")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_only_a_submitted_self_assessment_can_be_reopened(opened, assessment):
    with pytest.raises(CycleError):
        services.reopen(opened.people.secretariat, assessment, "why")


def test_it_can_be_reopened_during_the_appraisal(flow, assessment):
    flow.to_appraisal()
    services.reopen(flow.people.secretariat, assessment, "Sai số liệu")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
