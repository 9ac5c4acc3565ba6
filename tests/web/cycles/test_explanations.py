"""explain, decide, and which points count (Entry.result_points)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from world import entry_of

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Explanation
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db

APPRAISAL = parindex.Source.APPRAISAL


@pytest.fixture
def explaining(flow):
    """In the explanation phase; the first unit's 3.1.1 lowered from 5 to 2.5."""
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    return flow


def explain(flow, assessment, code="3.1.1", text="Đã áp dụng ISO đầy đủ", evidence_ids=()):
    return services.explain(
        flow.people.officer, entry_of(assessment, code), text=text, evidence_ids=evidence_ids
    )


def test_an_explanation_awaits_a_decision_and_tells_the_appraiser(
    explaining, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        explanation = explain(explaining, assessment)
    assert explanation.status == Explanation.Status.PENDING
    assert explanation.submitted_by == explaining.people.officer
    assert [m.to for m in mailoutbox] == [["appraiser@example.org"]]


def test_an_explanation_carries_the_units_documents(explaining, assessment, upload):
    own = services.add_evidence(explaining.people.officer, assessment, upload(b"iso"))
    explanation = explain(explaining, assessment, evidence_ids=[own.pk])
    assert list(explanation.evidence.all()) == [own]


def test_an_explanation_with_another_units_document_is_refused(
    explaining, assessment, assessment2, upload
):
    own = services.add_evidence(explaining.people.officer, assessment, upload(b"iso"))
    foreign = services.add_evidence(explaining.people.officer2, assessment2, upload(b"x"))
    with pytest.raises(CycleError, match="tài liệu kiểm chứng của chính đơn vị"):
        explain(explaining, assessment, evidence_ids=[own.pk, foreign.pk])
    assert not Explanation.objects.exists()


def test_one_pending_explanation_per_leaf(explaining, assessment):
    explain(explaining, assessment)
    with pytest.raises(CycleError):
        explain(explaining, assessment, text="again")


def test_an_explanation_needs_text(explaining, assessment):
    with pytest.raises(CycleError):
        explain(explaining, assessment, text="   ")


def test_a_leaf_without_an_appraisal_cannot_be_explained(explaining, assessment):
    with pytest.raises(CycleError):
        explain(explaining, assessment, code="4.1.1")


def test_explanations_are_refused_outside_their_phase_and_after_the_deadline(flow, assessment):
    flow.to_appraisal()
    flow.appraise_all(assessment)
    with pytest.raises(CycleError):
        explain(flow, assessment)
    services.advance_phase(flow.people.secretariat, flow.cycle)
    flow.cycle.explanation_due = datetime(2025, 8, 1, tzinfo=UTC)
    flow.cycle.save()
    with pytest.raises(CycleError, match="01/08/2025"):
        explain(flow, assessment)


def test_accepting_with_points_makes_them_count(explaining, assessment):
    explanation = explain(explaining, assessment)
    services.decide(
        explaining.people.appraiser, explanation, accept=True, points=Decimal("4"), reason="Đủ"
    )
    explanation.refresh_from_db()
    assert explanation.status == Explanation.Status.ACCEPTED
    assert (explanation.decided_points, explanation.decided_by) == (4, explaining.people.appraiser)
    assert explanation.decided_at is not None
    assert entry_of(assessment, "3.1.1").result_points(APPRAISAL) == 4


def test_accepting_without_points_restores_the_self_assessment(explaining, assessment):
    explanation = explain(explaining, assessment)
    services.decide(explaining.people.appraiser, explanation, accept=True, points=None, reason="Ok")
    assert entry_of(assessment, "3.1.1").result_points(APPRAISAL) == 5


def test_rejecting_keeps_the_appraised_points_and_allows_another_try(
    explaining, assessment, mailoutbox, django_capture_on_commit_callbacks
):
    explanation = explain(explaining, assessment)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves on commit
        services.decide(
            explaining.people.appraiser,
            explanation,
            accept=False,
            points=Decimal("5"),
            reason="Không",
        )
    explanation.refresh_from_db()
    assert (explanation.status, explanation.decided_points) == (Explanation.Status.REJECTED, None)
    assert entry_of(assessment, "3.1.1").result_points(APPRAISAL) == Decimal("2.5")
    assert [m.to for m in mailoutbox] == [["officer@example.org"]]  # who explained
    assert explain(explaining, assessment, text="Bổ sung").status == Explanation.Status.PENDING


def test_a_decision_needs_a_reason(explaining, assessment):
    explanation = explain(explaining, assessment)
    with pytest.raises(CycleError):
        services.decide(
            explaining.people.appraiser, explanation, accept=True, points=None, reason=""
        )


@pytest.mark.parametrize("points", ["-1", "5.5"])
def test_accepted_points_must_be_within_the_maximum(explaining, assessment, points):
    explanation = explain(explaining, assessment)
    with pytest.raises(CycleError):
        services.decide(
            explaining.people.appraiser,
            explanation,
            accept=True,
            points=Decimal(points),
            reason="r",
        )
    explanation.refresh_from_db()
    assert explanation.status == Explanation.Status.PENDING


def test_an_explanation_is_decided_once(explaining, assessment):
    explanation = explain(explaining, assessment)
    services.decide(explaining.people.appraiser, explanation, accept=False, points=None, reason="r")
    with pytest.raises(CycleError):
        services.decide(
            explaining.people.appraiser, explanation, accept=True, points=None, reason="r"
        )


def test_a_pending_explanation_can_be_decided_after_the_explanation_deadline(
    explaining, assessment, cycle
):
    explanation = explain(explaining, assessment)
    cycle.explanation_due = datetime(2025, 8, 1, tzinfo=UTC)
    cycle.save()
    explanation.entry.assessment.cycle = cycle
    services.decide(explaining.people.appraiser, explanation, accept=True, points=None, reason="r")
    services.finalise(explaining.people.secretariat, cycle)
    assert entry_of(assessment, "3.1.1").final_points == 5


def test_the_points_that_count_follow_the_precedence(flow, assessment):
    """accepted explanation > appraised > self-assessed; survey and data: the external points."""
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    entry = entry_of(assessment, "3.1.1")
    entry.appraised_points = None
    assert entry.result_points(APPRAISAL) == 5  # self
    entry.appraised_points = Decimal("2.5")
    assert entry.result_points(APPRAISAL) == Decimal("2.5")  # appraised
    rejected = Explanation.objects.create(
        entry=entry, text="a", status=Explanation.Status.REJECTED, decided_points=Decimal(1)
    )
    assert entry.result_points(APPRAISAL) == Decimal("2.5")
    Explanation.objects.create(
        entry=entry, text="b", status=Explanation.Status.ACCEPTED, decided_points=Decimal(4)
    )
    assert entry.result_points(APPRAISAL) == 4  # the accepted explanation
    rejected.delete()
    data = entry_of(assessment, "2.2.1")
    data.self_points = Decimal(1)
    assert data.result_points(parindex.Source.DATA) == 8  # external, never self
    assert data.result_points(parindex.Source.SURVEY) == 8
