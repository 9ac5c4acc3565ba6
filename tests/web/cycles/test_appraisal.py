"""appraise and complete_appraisal."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment
from parindex_web.cycles.services import Conflict, CycleError

from .conftest import FULL_MARKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraising(flow):
    flow.to_appraisal()
    return flow


def appraise(flow, assessment, code, points, reason="", version=None):
    entry = entry_of(assessment, code)
    return services.appraise(
        flow.appraiser_of(assessment),
        entry,
        points=Decimal(points),
        reason=reason,
        version=entry.version if version is None else version,
    )


def test_accepting_the_self_assessed_points_needs_no_reason(appraising, assessment):
    saved = appraise(appraising, assessment, "3.1.1", "5")
    assert saved.appraised_points == 5
    assert saved.appraised_by == appraising.people.appraiser
    assert saved.appraisal_reason == ""


def test_a_different_score_needs_a_reason(appraising, assessment):
    with pytest.raises(CycleError):
        appraise(appraising, assessment, "3.1.1", "2.5", " ")
    assert entry_of(assessment, "3.1.1").appraised_points is None
    saved = appraise(appraising, assessment, "3.1.1", "2.5", "Chưa cải tiến")
    assert (saved.appraised_points, saved.appraisal_reason) == (Decimal("2.5"), "Chưa cải tiến")
    rec = AuditRecord.objects.filter(action="entry.appraised_points").get()
    assert (rec.actor, rec.code, rec.phase) == (appraising.people.appraiser, "3.1.1", "appraisal")
    assert (rec.old_value, rec.new_value, rec.reason) == ("", "2.5", "Chưa cải tiến")


@pytest.mark.parametrize("points", ["-0.01", "5.01", "100"])
def test_points_outside_zero_to_the_maximum_are_refused(appraising, assessment, points):
    with pytest.raises(CycleError, match=r"\b5\b"):
        appraise(appraising, assessment, "3.1.1", points, "reason")


@pytest.mark.parametrize("points", ["0", "5"])
def test_zero_and_the_maximum_are_accepted(appraising, assessment, points):
    assert appraise(appraising, assessment, "3.1.1", points, "reason").appraised_points == Decimal(
        points
    )


def test_only_a_submitted_self_assessment_can_be_appraised(flow, assessment, assessment2):
    flow.open()
    flow.submit(assessment)
    services.advance_phase(flow.people.secretariat, flow.cycle)
    with pytest.raises(CycleError):
        appraise(flow, assessment2, "1.1.1", "0", "no input")
    with pytest.raises(CycleError):
        services.complete_appraisal(flow.people.appraiser2, assessment2)
    assert appraise(flow, assessment, "1.1.1", "1").appraised_points == 1


def test_it_is_refused_outside_the_appraisal_phase(flow, assessment):
    flow.open()
    flow.submit(assessment)
    with pytest.raises(CycleError):
        appraise(flow, assessment, "1.1.1", "1")


def test_it_is_refused_after_the_appraisal_deadline(appraising, assessment, cycle):
    cycle.appraisal_due = datetime(2025, 6, 30, 10, 0, tzinfo=UTC)
    cycle.save()
    with pytest.raises(CycleError, match="30/06/2025"):
        appraise(appraising, assessment, "1.1.1", "1")


def test_two_appraisers_saving_the_same_version_conflict(appraising, assessment):
    appraise(appraising, assessment, "1.1.1", "1", version=1)
    with pytest.raises(Conflict) as exc:
        appraise(appraising, assessment, "1.1.1", "0", "late plan", version=1)
    assert exc.value.entry.appraised_points == 1
    assert exc.value.mine["appraised_points"] == 0
    assert entry_of(assessment, "1.1.1").appraised_points == 1


def test_completing_needs_every_leaf_appraised(appraising, assessment):
    for code in list(FULL_MARKS)[:-2]:
        appraise(appraising, assessment, code, str(entry_of(assessment, code).self_points))
    with pytest.raises(CycleError) as exc:
        services.complete_appraisal(appraising.people.appraiser, assessment)
    assert str(exc.value).endswith("3.1.1, 3.1.2")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_completing_records_the_status_and_tells_the_unit(
    appraising, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        appraising.appraise_all(assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.APPRAISED
    assert assessment.appraised_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == ["leader@example.org", "officer@example.org"]
    with pytest.raises(CycleError):  # once only
        services.complete_appraisal(appraising.people.appraiser, assessment)
