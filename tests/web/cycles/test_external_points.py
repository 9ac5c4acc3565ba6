"""set_external_points: survey, SIPAS and service-data points, all or nothing."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Entry
from parindex_web.cycles.services import CycleError, bulk, external

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(flow):
    flow.open()
    return flow


def test_it_stores_the_points_and_counts_the_rows(opened, assessment, assessment2):
    rows = {("xa-1", "4.1.1"): Decimal("12.5"), ("xa-2", "2.2.1"): Decimal("10")}
    assert services.set_external_points(opened.people.secretariat, opened.cycle, rows) == 2
    first, second = entry_of(assessment, "4.1.1"), entry_of(assessment2, "2.2.1")
    assert (first.external_points, first.version) == (Decimal("12.5"), 1)
    assert (second.external_points, second.version) == (10, 1)
    rec = AuditRecord.objects.filter(action="entry.external_points", unit_code="xa-1").get()
    assert (rec.code, rec.old_value, rec.new_value) == ("4.1.1", "", "12.5")


def test_every_problem_is_listed_and_nothing_is_stored(opened):
    rows = {
        ("xa-1", "4.1.1"): Decimal("12"),  # fine on its own
        ("xa-9", "4.1.1"): Decimal("1"),  # no such unit in the cycle
        ("xa-3", "4.1.1"): Decimal("1"),  # a unit outside the cycle
        ("xa-1", "9.9.9"): Decimal("1"),  # no such leaf
        ("xa-1", "1.1.1"): Decimal("1"),  # an appraisal leaf
        ("xa-2", "4.1.2"): Decimal("15.01"),  # above the maximum
        ("xa-2", "2.2.2"): Decimal("-1"),  # below zero
    }
    with pytest.raises(CycleError) as exc:
        services.set_external_points(opened.people.secretariat, opened.cycle, rows)
    message = str(exc.value)
    for fragment in ["xa-9 / 4.1.1", "xa-3 / 4.1.1", "xa-1 / 9.9.9", "1.1.1", "xa-2 / 4.1.2"]:
        assert fragment in message
    assert "xa-2 / 2.2.2" in message
    assert len(message.split("; ")) == 6
    assert not Entry.objects.filter(external_points__isnull=False).exists()


def test_it_is_refused_in_preparation_and_after_finalisation(flow):
    with pytest.raises(CycleError):
        services.set_external_points(flow.people.secretariat, flow.cycle, {})
    flow.to_finalised()
    with pytest.raises(CycleError):
        services.set_external_points(
            flow.people.secretariat, flow.cycle, {("xa-1", "4.1.1"): Decimal(1)}
        )
    assert entry_of(flow.assessments[0], "4.1.1").final_points == Decimal("12.25")


def test_the_secretariat_can_enter_points_after_a_phases_deadline(opened, assessment):
    opened.cycle.self_assessment_due = datetime(2025, 1, 1, tzinfo=UTC)
    opened.cycle.save()
    services.set_external_points(
        opened.people.secretariat, opened.cycle, {("xa-1", "4.1.1"): Decimal(9)}
    )
    assert entry_of(assessment, "4.1.1").external_points == 9


def test_concurrent_external_imports_both_count(opened, assessment, monkeypatch):
    """A second import that runs while the first is writing (here: between its write and its
    audit) must not be lost: every write moves the leaf's version on, so an open form sees a
    conflict, and each import audits what it found and what it wrote."""
    rows = {("xa-1", "4.1.1"): Decimal("10"), ("xa-1", "4.1.2"): Decimal("11")}
    other = {("xa-1", "4.1.1"): Decimal("7"), ("xa-1", "4.1.2"): Decimal("8")}
    audit = external._audit  # where set_external_points looks it up

    def meanwhile(records):
        if len(calls) == 0:
            calls.append("the other import")
            services.set_external_points(opened.people.secretariat, opened.cycle, other)
        audit(records)

    calls: list[str] = []
    monkeypatch.setattr(external, "_audit", meanwhile)
    services.set_external_points(opened.people.secretariat, opened.cycle, rows)
    first, second = entry_of(assessment, "4.1.1"), entry_of(assessment, "4.1.2")
    assert (first.version, second.version) == (2, 2)
    assert (first.external_points, second.external_points) == (Decimal("7"), Decimal("8"))
    changes = AuditRecord.objects.filter(action="entry.external_points").order_by("pk")
    assert [(r.code, r.old_value, r.new_value) for r in changes] == [
        ("4.1.1", "10.0000", "7"),  # as stored: the field's four places
        ("4.1.2", "11.0000", "8"),
        ("4.1.1", "", "10"),
        ("4.1.2", "", "11"),
    ]


def test_an_import_that_fails_halfway_stores_nothing(opened, assessment, monkeypatch):
    rows = {("xa-1", "4.1.1"): Decimal("10"), ("xa-1", "4.1.2"): Decimal("11")}

    def fail(records):
        raise RuntimeError("disk full")

    monkeypatch.setattr(external, "_audit", fail)
    with pytest.raises(RuntimeError):
        services.set_external_points(opened.people.secretariat, opened.cycle, rows)
    first = entry_of(assessment, "4.1.1")
    assert (first.external_points, first.version) == (None, 0)
    assert not AuditRecord.objects.filter(action="entry.external_points").exists()


def test_each_record_names_the_entry_as_a_save_would(opened, assessment):
    services.set_external_points(
        opened.people.secretariat, opened.cycle, {("xa-1", "4.1.1"): Decimal("3.5")}
    )
    rec = AuditRecord.objects.get(action="entry.external_points")
    entry = entry_of(assessment, "4.1.1")
    assert (rec.object_type, rec.object_id) == ("cycles.entry", str(entry.pk))
    assert (rec.cycle_id, rec.phase, rec.actor_name) == (
        opened.cycle.pk,
        "self_assessment",
        opened.people.secretariat.get_username(),
    )
    assert rec.hash == rec.compute_hash()


def test_points_equal_to_the_stored_ones_move_the_version_but_are_not_audited_again(
    opened, assessment
):
    rows = {("xa-1", "4.1.1"): Decimal("3.5")}
    services.set_external_points(opened.people.secretariat, opened.cycle, rows)
    services.set_external_points(opened.people.secretariat, opened.cycle, rows)
    assert entry_of(assessment, "4.1.1").version == 2
    assert AuditRecord.objects.filter(action="entry.external_points").count() == 1


def test_progress_is_reported_per_batch_of_rows(opened, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_BATCH", 3)
    rows = {
        (unit, code): Decimal(1)
        for unit in ("xa-1", "xa-2")
        for code in ("2.2.1", "2.2.2", "3.1.3", "4.1.1")
    }
    calls: list[tuple[int, int]] = []
    services.set_external_points(
        opened.people.secretariat, opened.cycle, rows, progress=lambda *a: calls.append(a)
    )
    assert calls == [(3, 8), (6, 8), (8, 8)]
