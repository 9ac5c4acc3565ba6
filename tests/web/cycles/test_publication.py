"""finalise, publish, and re-computing the published results from the published inputs."""

from decimal import Decimal

import pytest
from world import entry_of

import parindex
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry, Phase, Publication
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db


def recompute(publication: Publication, tmp_path) -> str:
    """What anyone gets from the published bundle with the core (as the CLI does)."""
    methodology = tmp_path / f"methodology.{publication.methodology_format}"
    methodology.write_text(publication.methodology_text, encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text(publication.scores_csv, encoding="utf-8")
    core = parindex.load_methodology(methodology)
    return parindex.results_to_csv(parindex.compute(core, parindex.read_scores(scores, core)))


def test_finalising_is_refused_while_explanations_are_pending(flow, assessment):
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    services.explain(flow.people.officer, entry_of(assessment, "3.1.1"), text="ISO đủ")
    with pytest.raises(CycleError, match="1"):
        services.finalise(flow.people.secretariat, flow.cycle)
    with pytest.raises(CycleError):
        services.advance_phase(flow.people.secretariat, flow.cycle)
    flow.cycle.refresh_from_db()
    assert flow.cycle.phase == Phase.EXPLANATION


def test_finalising_is_refused_outside_the_explanation_phase(flow):
    flow.to_appraisal()
    with pytest.raises(CycleError):
        services.finalise(flow.people.secretariat, flow.cycle)


def test_finalising_locks_the_points_that_count(flow, assessment):
    flow.to_explanation({"3.1.1": Decimal("2.5"), "1.1.1": Decimal("0.5")})
    explanation = services.explain(
        flow.people.officer, entry_of(assessment, "1.1.1"), text="Ban hành đúng hạn"
    )
    services.decide(
        flow.people.appraiser, explanation, accept=True, points=Decimal(1), reason="Đúng"
    )
    services.finalise(flow.people.secretariat, flow.cycle)
    final = dict(Entry.objects.filter(assessment=assessment).values_list("code", "final_points"))
    assert final["1.1.1"] == 1  # the accepted explanation
    assert final["3.1.1"] == Decimal("2.5")  # appraised
    assert final["1.5.1"] == 4  # appraised as self-assessed
    assert final["4.1.1"] == Decimal("12.25")  # survey
    assert set(Assessment.objects.values_list("status", flat=True)) == {"final"}
    # later edits do not move the locked figures
    Entry.objects.filter(assessment=assessment, code="3.1.1").update(appraised_points=5)
    assert services.final_scores(flow.cycle)["xa-1"]["3.1.1"] == Decimal("2.5")


def test_results_before_finalisation_use_the_points_that_count_now(flow):
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    rows = parindex.results_to_csv(services.compute_results(flow.cycle)).splitlines()
    # 40 appraisal points (3.1.1 lowered by 2.5) + 46.75 survey and data points
    assert rows[1].startswith("xa-2,86.75,")
    assert rows[2].startswith("xa-1,84.25,")


def test_the_first_publication_needs_a_finalised_cycle(flow):
    flow.to_explanation()
    with pytest.raises(CycleError):
        services.publish(flow.people.secretariat, flow.cycle)
    assert not Publication.objects.exists()


def test_publishing_freezes_methodology_inputs_and_results(flow, methodology):
    flow.to_finalised({"3.1.1": Decimal("2.5")})
    publication = services.publish(flow.people.secretariat, flow.cycle)
    flow.cycle.refresh_from_db()
    assert flow.cycle.phase == Phase.PUBLISHED
    assert (publication.version, publication.published_by) == (1, flow.people.secretariat)
    assert publication.methodology_text == methodology.source_text
    assert publication.methodology_format == "yaml"
    lines = publication.scores_csv.splitlines()
    assert lines[0] == "unit,code,points"
    assert "xa-1,3.1.1,2.5" in lines
    assert "xa-1,1.1.1,1" in lines
    assert "xa-1,4.1.1,12.25" in lines
    assert len(lines) == 1 + 2 * 21
    assert publication.results_csv.splitlines()[1].startswith("xa-2,86.75,")
    assert len(publication.content_hash) == 64


def test_the_published_results_can_be_recomputed_byte_for_byte(flow, tmp_path):
    flow.to_finalised({"3.1.1": Decimal("2.5"), "1.5.1": Decimal("2.67")})
    publication = services.publish(flow.people.secretariat, flow.cycle)
    assert recompute(publication, tmp_path) == publication.results_csv


def test_a_unit_with_no_points_at_all_is_published_and_recomputed_alike(flow, tmp_path):
    flow.open()
    for _ in range(3):
        services.advance_phase(flow.people.secretariat, flow.cycle)
    publication = services.publish(flow.people.secretariat, flow.cycle)
    assert [r.split(",")[0] for r in publication.results_csv.splitlines()[1:]] == ["xa-1", "xa-2"]
    assert recompute(publication, tmp_path) == publication.results_csv


def test_a_correction_needs_a_reason_and_is_a_new_version(flow):
    flow.to_finalised()
    first = services.publish(flow.people.secretariat, flow.cycle)
    with pytest.raises(CycleError):
        services.publish(flow.people.secretariat, flow.cycle, " ")
    same = services.publish(flow.people.secretariat, flow.cycle, "Bản sao")
    assert same.version == 2
    assert same.content_hash == first.content_hash
    Entry.objects.filter(assessment__unit__code="xa-1", code="1.1.1").update(
        final_points=Decimal("0.5")
    )
    corrected = services.publish(flow.people.secretariat, flow.cycle, "Sửa điểm 1.1.1")
    assert (corrected.version, corrected.reason) == (3, "Sửa điểm 1.1.1")
    assert corrected.content_hash != first.content_hash
    assert "xa-1,1.1.1,0.5" in corrected.scores_csv
    assert list(flow.cycle.publications.values_list("version", flat=True)) == [3, 2, 1]
    rec = AuditRecord.objects.filter(action="cycle.publish").last()
    assert (rec.old_value, rec.new_value, rec.reason) == ("2", "3", "Sửa điểm 1.1.1")


def test_scores_csv_writes_leaves_in_methodology_order_and_plain_numbers(methodology):
    core = methodology.core()
    text = services.scores_csv(
        {"b": {"3.1.1": Decimal("2.5000"), "1.1.1": Decimal("10.0000")}}, core
    )
    assert text == "unit,code,points\nb,1.1.1,10\nb,3.1.1,2.5\n"


def test_scores_csv_writes_a_unit_without_points_as_zero_on_every_leaf(methodology):
    core = methodology.core()
    lines = services.scores_csv({"b": {"1.1.1": Decimal(1)}, "a": {}}, core).splitlines()
    assert lines[1:3] == ["a,1.1.1,0", "a,1.1.2,0"]
    assert len(lines) == 1 + len(core.leaves) + 1
    assert lines[-1] == "b,1.1.1,1"
