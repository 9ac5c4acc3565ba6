"""The whole-cycle steps are set-based (issue 17, point 1): opening the self-assessment, the
survey and data import, the results preview, finalising and publishing work on a cycle with
more entries than SQLite's variable limit, in a number of queries that does not grow with the
number of units, and give the points the per-entry rules give.

The cycles are the scale demo's (:mod:`parindex_web.cycles.management.scale_demo`): example
communes on the generated 100-leaf methodology, 20 of its leaves from surveys and data.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parindex
from parindex_web.audit import models as audit
from parindex_web.audit.models import verify
from parindex_web.cycles import services
from parindex_web.cycles.management import scale_demo
from parindex_web.cycles.models import Assessment, Cycle, Entry, Explanation, Phase
from parindex_web.cycles.services import bulk, external

pytestmark = pytest.mark.django_db

#: Below this many variables a statement must stay (SQLite before 3.32 had no more).
LIMIT = 999


@pytest.fixture
def few_variables() -> Iterator[None]:
    """SQLite's variable limit lowered to 999 for the test (Python 3.11's ``setlimit``);
    nothing to lower on PostgreSQL, where the steps run unchanged."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw: Any = connection.connection
    old = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)


@pytest.fixture(autouse=True)
def _quiet_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def build(n: int) -> tuple[scale_demo.Scale, Cycle]:
    """A scale cycle of ``n`` example communes in preparation (units, people, assignments)."""
    scale = scale_demo.Scale(n, OutputWrapper(io.StringIO()))
    scale.people()
    return scale, scale.create()


def external_rows(cycle: Cycle, units: list[str]) -> dict[tuple[str, str], Decimal]:
    """Points for every survey and data leaf of ``units``: 0.01 × (unit number + leaf)."""
    core = cycle.core()
    codes = [n.code for n in core.leaves if core.source_of(n.code) is not parindex.Source.APPRAISAL]
    return {
        (unit, code): Decimal(int(unit[3:]) + i) / 100
        for unit in units
        for i, code in enumerate(codes)
    }


def fill(cycle: Cycle) -> None:
    """Every appraisal leaf self-assessed (1, or 0.5 for the units of even number), the first
    unit's first leaf appraised down to 0 and explained back up to 0.75 (accepted)."""
    core = cycle.core()
    own = [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]
    entries = Entry.objects.filter(assessment__cycle=cycle, code__in=own)
    entries.update(self_points=1)
    entries.filter(assessment__unit__code__regex=r"[02468]$").update(self_points=Decimal("0.5"))
    first = entries.filter(assessment__unit__code="vd-0001", code=own[0]).get()
    Entry.objects.filter(pk=first.pk).update(appraised_points=0)
    Explanation.objects.create(
        entry=first, text="…", status=Explanation.Status.REJECTED, decided_points=None
    )
    Explanation.objects.create(
        entry=first, text="…", status=Explanation.Status.ACCEPTED, decided_points=Decimal("0.75")
    )


def to_explanation(scale: scale_demo.Scale, cycle: Cycle) -> None:
    services.advance_phase(scale.secretariat, cycle)  # self-assessment: the entries
    rows = external_rows(cycle, [u.code for u in scale.units])
    services.set_external_points(scale.secretariat, cycle, rows)
    fill(cycle)
    services.advance_phase(scale.secretariat, cycle)  # appraisal
    services.advance_phase(scale.secretariat, cycle)  # explanation


def expected_points(cycle: Cycle) -> dict[tuple[str, str], Decimal | None]:
    """The points that count, by the per-entry rule (:meth:`Entry.result_points`)."""
    core = cycle.core()
    return {
        (e.assessment.unit.code, e.code): e.result_points(core.source_of(e.code))
        for e in Entry.objects.filter(assessment__cycle=cycle)
        .select_related("assessment__unit")
        .prefetch_related("explanations")
        .iterator(chunk_size=500)  # the prefetch in chunks: under the limit
    }


def test_a_cycle_larger_than_the_variable_limit_goes_from_opening_to_publication(
    few_variables: None, monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    scale, cycle = build(12)
    monkeypatch.setattr(external, "FEW_UNITS", 5)  # the import reads the whole cycle's entries
    services.advance_phase(scale.secretariat, cycle)
    assert Entry.objects.filter(assessment__cycle=cycle).count() == 1200 > LIMIT
    rows = external_rows(cycle, [u.code for u in scale.units])
    assert services.set_external_points(scale.secretariat, cycle, rows) == 240
    fill(cycle)
    services.advance_phase(scale.secretariat, cycle)
    services.advance_phase(scale.secretariat, cycle)
    expected = expected_points(cycle)

    preview = services.final_scores(cycle)
    assert {(u, c): p for u, leaves in preview.items() for c, p in leaves.items()} == {
        key: points for key, points in expected.items() if points is not None
    }
    assert preview["vd-0001"]["1.1.1"] == Decimal("0.75")  # the accepted explanation
    assert preview["vd-0002"]["1.1.2"] == Decimal("0.5")
    assert preview["vd-0003"]["5.1.1"] == Decimal("0.03")  # from the import
    client.force_login(scale.secretariat)
    page = client.get(reverse("secretariat:results", args=[cycle.pk]))
    assert page.status_code == 200
    assert "Xã ví dụ 0012" in page.content.decode()
    as_json = client.get(reverse("secretariat:results_json", args=[cycle.pk])).json()
    assert {u["unit_name"] for u in as_json["units"]} == {u.name for u in scale.units}
    as_csv = client.get(reverse("secretariat:results_csv", args=[cycle.pk])).content.decode()
    assert as_csv.count("Xã ví dụ") == 12

    services.finalise(scale.secretariat, cycle)
    final = {
        (unit, code): points
        for unit, code, points in Entry.objects.filter(assessment__cycle=cycle).values_list(
            "assessment__unit__code", "code", "final_points"
        )
    }
    assert final == expected
    assert set(Assessment.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
        Assessment.Status.FINAL
    }

    publication = services.publish(scale.secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.PUBLISHED
    recomputed = parindex.compute(cycle.core(), services.final_scores(cycle))
    assert publication.results_csv == parindex.results_to_csv(recomputed)
    assert publication.scores_csv.count("\n") == 1 + 1200
    assert verify() == []


def count(fn: Any, *args: Any) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        fn(*args)
    return len(queries), [q["sql"] for q in queries]


def step_queries(n: int) -> dict[str, int]:
    """How many queries each step takes on a cycle of ``n`` units."""
    scale, cycle = build(n)
    user = scale.secretariat
    counts: dict[str, int] = {}
    counts["open"], _sql = count(services.advance_phase, user, cycle)
    one_unit = external_rows(cycle, ["vd-0001"])
    counts["import"], _sql = count(services.set_external_points, user, cycle, one_unit)
    services.set_external_points(user, cycle, external_rows(cycle, [u.code for u in scale.units]))
    fill(cycle)
    services.advance_phase(user, cycle)
    services.advance_phase(user, cycle)
    cycle.core()  # the methodology parsed once, as a warm worker has it
    counts["preview"], _sql = count(services.compute_results, cycle)
    counts["finalise"], _sql = count(services.finalise, user, cycle)
    counts["publish"], _sql = count(services.publish, user, cycle)
    return counts


def test_the_steps_queries_do_not_grow_with_the_number_of_units() -> None:
    small, large = step_queries(5), step_queries(20)
    assert small == large
    # statements of the step itself, the audit chain's three and the transaction's savepoints;
    # publish also stores the per-unit rows and the notices, each in one statement
    bounds = {"open": 10, "import": 12, "preview": 1, "finalise": 12, "publish": 30}
    assert all(small[step] <= bound for step, bound in bounds.items()), small


def test_batches_report_progress_and_entries_follow_the_methodology(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "UNITS_PER_BATCH", 2)
    monkeypatch.setattr(bulk, "ROWS_PER_BATCH", 400)
    scale, cycle = build(5)
    user, calls = scale.secretariat, []
    services.advance_phase(user, cycle, lambda done, total: calls.append(("open", done, total)))
    assert calls == [("open", 2, 5), ("open", 4, 5), ("open", 5, 5)]
    leaves = [n.code for n in cycle.core().leaves]
    for assessment in cycle.assessments.all():
        assert list(assessment.entries.order_by("pk").values_list("code", flat=True)) == leaves
    rows = external_rows(cycle, [u.code for u in scale.units])  # 100 rows
    calls.clear()
    services.set_external_points(user, cycle, rows, lambda d, t: calls.append(("import", d, t)))
    assert calls == [("import", 100, 100)]
    fill(cycle)
    services.advance_phase(user, cycle)
    services.advance_phase(user, cycle)
    calls.clear()
    services.advance_phase(user, cycle, lambda d, t: calls.append(("finalise", d, t)))
    assert calls == [("finalise", 2, 5), ("finalise", 4, 5), ("finalise", 5, 5)]
    calls.clear()
    services.publish(user, cycle, progress=lambda d, t: calls.append(("publish", d, t)))
    assert calls == [("publish", 400, 500), ("publish", 500, 500)]


def test_opening_again_adds_only_the_missing_entries() -> None:
    scale, cycle = build(2)
    services.advance_phase(scale.secretariat, cycle)
    assessment = cycle.assessments.order_by("pk").first()
    assert assessment is not None
    kept = assessment.entries.get(code="1.1.1")
    Entry.objects.filter(pk=kept.pk).update(self_points=1)
    assessment.entries.exclude(code__in=["1.1.1", "1.1.2"]).delete()
    services.ensure_entries(assessment)
    codes = list(assessment.entries.order_by("pk").values_list("code", flat=True))
    assert sorted(codes) == sorted(n.code for n in cycle.core().leaves)
    assert len(codes) == 100
    assert assessment.entries.get(code="1.1.1").self_points == 1  # untouched
    fresh = assessment.entries.get(code="5.4.5")
    assert (fresh.inputs, fresh.note, fresh.version, fresh.self_points) == ({}, "", 0, None)
    assert fresh.updated_at is not None
    other = cycle.assessments.exclude(pk=assessment.pk).get()
    assert other.entries.count() == 100


def test_a_large_import_is_audited_in_order_with_prepared_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From :data:`audit.MANY` records on, the chain is written as prepared rows: the
    same records, in the rows' order, the chain intact."""
    monkeypatch.setattr(audit, "MANY", 2)
    scale, cycle = build(3)
    services.advance_phase(scale.secretariat, cycle)
    rows = external_rows(cycle, [u.code for u in scale.units])
    services.set_external_points(scale.secretariat, cycle, rows)
    written = list(audit.AuditRecord.objects.filter(action="entry.external_points").order_by("pk"))
    assert [(r.unit_code, r.code, r.new_value) for r in written] == [
        (unit, code, f"{points}") for (unit, code), points in rows.items()
    ]
    first = written[0]
    assert (first.actor_id, first.actor_name, first.cycle_id, first.old_value) == (
        scale.secretariat.pk,
        scale.secretariat.get_username(),
        cycle.pk,
        "",
    )
    assert first.at is not None and first.object_type == "cycles.entry"
    assert audit.ChainHead.objects.get().count == audit.AuditRecord.objects.count()
    assert verify() == []


POINTS = st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=2))
EXPLANATIONS = st.lists(
    st.tuples(
        st.sampled_from(list(Explanation.Status)),
        POINTS,
        st.integers(min_value=0, max_value=3),  # minutes after the first: ties included
    ),
    max_size=4,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(self_points=POINTS, appraised=POINTS, explanations=EXPLANATIONS)
def test_the_points_that_count_in_sql_are_the_per_entry_rule(
    flow: Any, assessment: Assessment, self_points: Any, appraised: Any, explanations: Any
) -> None:
    """The preview's read and finalising's UPDATE (:func:`bulk.counting_points`) give what
    :meth:`Entry.result_points` gives, whatever the explanations (the last accepted one by
    submission time, then by id, counts if it has points)."""
    if flow.cycle.phase == Phase.DRAFT:
        flow.open()
    entry = assessment.entries.get(code="3.1.1")  # an appraisal leaf worth 5
    entry.explanations.all().delete()
    Entry.objects.filter(pk=entry.pk).update(self_points=self_points, appraised_points=appraised)
    start = timezone.now()
    for status, points, minutes in explanations:
        made = Explanation.objects.create(
            entry=entry, text="…", status=status, decided_points=points
        )
        Explanation.objects.filter(pk=made.pk).update(
            submitted_at=start + timedelta(minutes=minutes)
        )
    expected = (
        Entry.objects.prefetch_related("explanations")
        .get(pk=entry.pk)
        .result_points(parindex.Source.APPRAISAL)
    )
    assert services.final_scores(flow.cycle)[assessment.unit.code].get("3.1.1") == expected
    Entry.objects.filter(pk=entry.pk).update(final_points=bulk.counting_points())
    assert Entry.objects.get(pk=entry.pk).final_points == expected
