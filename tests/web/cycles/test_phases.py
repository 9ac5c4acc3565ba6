"""advance_phase, ensure_entries and require_phase."""

from datetime import UTC, datetime

import pytest

from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry, Phase
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db


def test_it_moves_through_the_phases_in_order(cycle, people):
    seen = [cycle.phase]
    for _ in range(4):
        services.advance_phase(people.secretariat, cycle)
        cycle.refresh_from_db()
        seen.append(cycle.phase)
    services.publish(people.secretariat, cycle)
    cycle.refresh_from_db()
    seen.append(cycle.phase)
    assert seen == [
        Phase.DRAFT,
        Phase.SELF_ASSESSMENT,
        Phase.APPRAISAL,
        Phase.EXPLANATION,
        Phase.FINALISED,
        Phase.PUBLISHED,
    ]


def test_advancing_past_the_explanations_finalises(flow, cycle, assessment):
    flow.to_explanation()
    services.advance_phase(flow.people.secretariat, cycle)
    cycle.refresh_from_db()
    assessment.refresh_from_db()
    assert cycle.phase == Phase.FINALISED
    assert assessment.status == Assessment.Status.FINAL
    assert not Entry.objects.filter(assessment__cycle=cycle, final_points__isnull=True).exists()


@pytest.mark.parametrize("phase", [Phase.FINALISED, Phase.PUBLISHED])
def test_it_does_not_advance_into_or_past_publication(cycle, people, phase):
    cycle.phase = phase
    cycle.save()
    with pytest.raises(CycleError):
        services.advance_phase(people.secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.phase == phase


def test_opening_the_self_assessment_creates_every_leafs_entry(cycle, people):
    services.advance_phase(people.secretariat, cycle)
    leaves = [leaf.code for leaf in cycle.core().leaves]
    for a in cycle.assessments.all():
        assert sorted(a.entries.values_list("code", flat=True)) == sorted(leaves)
    assert Entry.objects.filter(assessment__cycle=cycle).count() == 2 * len(leaves) == 42


def test_ensure_entries_adds_only_what_is_missing(cycle, people, assessment):
    services.advance_phase(people.secretariat, cycle)
    assessment.entries.filter(code="1.1.1").delete()
    kept = set(assessment.entries.values_list("pk", flat=True))
    services.ensure_entries(assessment)
    assert kept < set(assessment.entries.values_list("pk", flat=True))
    assert assessment.entries.count() == len(cycle.core().leaves)


def test_it_refuses_to_open_the_self_assessment_without_units(cycle, people):
    cycle.assessments.all().delete()
    with pytest.raises(CycleError):
        services.advance_phase(people.secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.DRAFT


def test_require_phase_accepts_any_of_the_phases_given(cycle):
    services.require_phase(cycle, Phase.SELF_ASSESSMENT, Phase.DRAFT)


def test_require_phase_refuses_another_phase_and_names_the_current_one(cycle):
    with pytest.raises(CycleError, match=str(cycle.get_phase_display())):
        services.require_phase(cycle, Phase.SELF_ASSESSMENT)


def test_require_phase_refuses_after_the_deadline_and_gives_the_date(cycle, people):
    services.advance_phase(people.secretariat, cycle)
    cycle.self_assessment_due = datetime(2024, 3, 5, 10, 30, tzinfo=UTC)  # 17:30 in Hà Nội
    cycle.save()
    with pytest.raises(CycleError, match="05/03/2024 17:30"):
        services.require_phase(cycle, Phase.SELF_ASSESSMENT)


def test_a_phase_without_a_deadline_never_closes(cycle, people):
    services.advance_phase(people.secretariat, cycle)
    cycle.self_assessment_due = None
    cycle.save()
    services.require_phase(cycle, Phase.SELF_ASSESSMENT)
    assert not cycle.is_past_deadline()


def test_a_passed_deadline_stops_the_officers_saves(flow, cycle, assessment):
    flow.open()
    cycle.self_assessment_due = datetime(2024, 12, 31, 16, 0, tzinfo=UTC)
    cycle.save()
    entry = assessment.entries.get(code="1.1.2")
    entry.assessment.cycle = cycle
    with pytest.raises(CycleError, match="31/12/2024 23:00"):
        services.save_self_assessment(
            flow.people.officer, entry, inputs={"value": "yes"}, note="", version=0
        )
