"""The points that count are read with a fixed number of queries, whatever the number of leaves."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from world import entry_of

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Entry, Explanation

pytestmark = pytest.mark.django_db


@pytest.fixture
def explained(flow, assessment):
    """In the explanation phase; the first unit's 3.1.1 lowered to 2.5, then raised to 4 by an
    accepted explanation."""
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    explanation = services.explain(
        flow.people.officer, entry_of(assessment, "3.1.1"), text="Đã áp dụng ISO"
    )
    services.decide(
        flow.people.appraiser, explanation, accept=True, points=Decimal(4), reason="Đủ căn cứ"
    )
    return flow


def add_unit_with_explanations(flow, unit):
    """Another unit in scope, every appraisal leaf self-assessed and with an accepted
    explanation (made directly: only the number of rows matters here)."""
    assessment = Assessment.objects.create(cycle=flow.cycle, unit=unit)
    services.ensure_entries(assessment)
    core = flow.cycle.core()
    for entry in assessment.entries.all():
        if core.source_of(entry.code) is parindex.Source.APPRAISAL:
            Explanation.objects.create(
                entry=entry, text="…", status=Explanation.Status.ACCEPTED, decided_points=1
            )


def count(fn, *args):
    with CaptureQueriesContext(connection) as queries:
        fn(*args)
    return len(queries)


def test_final_scores_queries_do_not_grow_with_the_number_of_entries(explained, units):
    cycle = explained.cycle
    assert services.final_scores(cycle)["xa-1"]["3.1.1"] == 4  # warm (methodology loaded)
    small = count(services.final_scores, cycle)
    add_unit_with_explanations(explained, units[2])
    assert Entry.objects.filter(assessment__cycle=cycle).count() > 60
    large = count(services.final_scores, cycle)
    assert small == large <= 3
    assert services.final_scores(cycle)["xa-3"]["3.1.1"] == 1


def test_computing_results_reads_the_explanations_once(explained, units):
    add_unit_with_explanations(explained, units[2])
    with CaptureQueriesContext(connection) as queries:
        services.compute_results(explained.cycle)
    reads = [q["sql"] for q in queries if '"cycles_explanation"' in q["sql"]]
    assert len(reads) == 1


def test_finalise_reads_the_explanations_once(explained, units):
    with CaptureQueriesContext(connection) as queries:
        services.finalise(explained.people.secretariat, explained.cycle)
    reads = [
        q["sql"]
        for q in queries
        if '"cycles_explanation"' in q["sql"] and q["sql"].lstrip().startswith("SELECT")
    ]
    # the pending explanations; the points that count read them inside the UPDATE, no prefetch
    assert len(reads) == 1
    assert entry_of(explained.assessments[0], "3.1.1").final_points == 4


def test_result_points_uses_prefetched_explanations(
    explained, assessment, django_assert_num_queries
):
    entry = Entry.objects.prefetch_related("explanations").get(assessment=assessment, code="3.1.1")
    with django_assert_num_queries(0):
        assert entry.result_points(parindex.Source.APPRAISAL) == 4


def test_result_points_counts_the_last_accepted_explanation(explained, assessment):
    entry = entry_of(assessment, "3.1.1")
    Explanation.objects.create(
        entry=entry, text="later", status=Explanation.Status.ACCEPTED, decided_points=3
    )
    Explanation.objects.create(
        entry=entry, text="rejected", status=Explanation.Status.REJECTED, decided_points=None
    )
    assert entry_of(assessment, "3.1.1").result_points(parindex.Source.APPRAISAL) == 3
    prefetched = Entry.objects.prefetch_related("explanations").get(pk=entry.pk)
    assert prefetched.result_points(parindex.Source.APPRAISAL) == 3


def test_finalise_writes_in_batches_whatever_the_number_of_entries(explained, units):
    add_unit_with_explanations(explained, units[2])
    entries = Entry.objects.filter(assessment__cycle=explained.cycle).count()
    assert entries > 60
    with CaptureQueriesContext(connection) as queries:
        services.finalise(explained.people.secretariat, explained.cycle)
    updates = [q for q in queries if q["sql"].lstrip().startswith('UPDATE "cycles_entry"')]
    # one set-based UPDATE for the survey and data leaves, one for the appraisal leaves (a
    # batch of up to 500 units each), not one per entry
    assert len(updates) == 2
    final = dict(
        Entry.objects.filter(assessment__unit=units[2], code="3.1.1").values_list(
            "code", "final_points"
        )
    )
    assert final == {"3.1.1": 1}
    assert entry_of(explained.assessments[0], "3.1.1").final_points == 4
