"""Every service action writes audit records: actor, phase, field, old → new, reason."""

import inspect
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from world import entry_of

from parindex_web.audit.models import AuditRecord, ChainHead, append, record, verify
from parindex_web.audit.models import entry as unchained
from parindex_web.cycles import services

pytestmark = pytest.mark.django_db


def rows(**filters):
    return [
        (r.actor_name, r.action, r.unit_code, r.code, r.phase, r.field, r.old_value, r.new_value)
        for r in AuditRecord.objects.filter(**filters)
    ]


def test_opening_a_phase_is_recorded(flow, cycle):
    flow.open()
    rec = AuditRecord.objects.get(action="cycle.phase")
    assert (rec.actor, rec.actor_name, rec.action) == (
        flow.people.secretariat,
        "secretariat",
        "cycle.phase",
    )
    assert (rec.object_type, rec.object_id, rec.cycle_id) == (
        "cycles.cycle",
        str(cycle.pk),
        cycle.pk,
    )
    assert (rec.phase, rec.field, rec.old_value, rec.new_value) == (
        "draft",
        "phase",
        "draft",
        "self_assessment",
    )


def test_a_self_assessment_save_records_each_changed_field(flow, assessment):
    flow.open()
    entry = entry_of(assessment, "1.5.1")
    services.save_self_assessment(
        flow.people.officer, entry, inputs={"achieved": 2, "planned": 3}, note="Ghi chú", version=0
    )
    assert rows(action__startswith="entry.") == [
        ("officer", "entry.inputs", "xa-1", "1.5.1", "self_assessment", "inputs", "{}",
         '{"achieved": 2, "planned": 3}'),
        ("officer", "entry.self_points", "xa-1", "1.5.1", "self_assessment", "self_points", "",
         "2.67"),
        ("officer", "entry.note", "xa-1", "1.5.1", "self_assessment", "note", "", "Ghi chú"),
    ]  # fmt: skip
    entry = entry_of(assessment, "1.5.1")
    services.save_self_assessment(
        flow.people.officer, entry, inputs={"achieved": 3, "planned": 3}, note="Ghi chú", version=1
    )
    assert rows(action="entry.self_points")[-1][-2:] == ("2.6700", "4.00")


def test_evidence_is_recorded_with_its_hash(flow, assessment, upload):
    flow.open()
    evidence = services.add_evidence(
        flow.people.officer,
        assessment,
        upload(b"abc", "kh.pdf"),
        entry=entry_of(assessment, "1.1.1"),
    )
    assert rows(action="evidence.add") == [
        ("officer", "evidence.add", "xa-1", "", "self_assessment", "file", "",
         f"kh.pdf sha256:{evidence.sha256}"),
    ]  # fmt: skip
    assert rows(action="entry.evidence") == [
        ("officer", "entry.evidence", "xa-1", "1.1.1", "self_assessment", "evidence", "[]",
         f"[{evidence.pk}]"),
    ]  # fmt: skip


def test_sign_off_and_reopening_are_recorded_with_the_reason(flow, assessment):
    flow.open()
    flow.submit(assessment)
    services.reopen(flow.people.secretariat, assessment, "Thiếu tài liệu")
    assert [(r.actor_name, r.old_value, r.new_value, r.reason) for r in
            AuditRecord.objects.filter(action="assessment.status")] == [
        ("leader", "draft", "submitted", ""),
        ("secretariat", "submitted", "draft", "Thiếu tài liệu"),
    ]  # fmt: skip


def test_the_whole_cycle_leaves_an_intact_trail_of_every_action(flow, assessment):
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    explanation = services.explain(
        flow.people.officer, entry_of(assessment, "3.1.1"), text="Đã áp dụng ISO"
    )
    services.decide(flow.people.appraiser, explanation, accept=True, points=None, reason="Đủ")
    services.finalise(flow.people.secretariat, flow.cycle)
    services.publish(flow.people.secretariat, flow.cycle)
    # (the fixture's people and roles are recorded too: tests/web/audit/test_permissions.py)
    actions = set(
        AuditRecord.objects.exclude(action__startswith="membership.").values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "cycle.phase",
        "cycle.publish",
        "assessment.status",
        "entry.inputs",
        "entry.self_points",
        "entry.external_points",
        "entry.appraised_points",
        "entry.explanation",
        "entry.explanation_decision",
    }
    assert rows(action="entry.appraised_points", code="3.1.1", unit_code="xa-1") == [
        ("appraiser", "entry.appraised_points", "xa-1", "3.1.1", "appraisal", "appraised_points",
         "", "2.5"),
    ]  # fmt: skip
    assert AuditRecord.objects.get(
        action="entry.appraised_points", code="3.1.1", unit_code="xa-1"
    ).reason
    assert rows(action="entry.explanation") == [
        ("officer", "entry.explanation", "xa-1", "3.1.1", "explanation", "explanation", "",
         "Đã áp dụng ISO"),
    ]  # fmt: skip
    decision = AuditRecord.objects.get(action="entry.explanation_decision")
    assert (decision.old_value, decision.new_value, decision.reason) == ("2.5000", "5.0000", "Đủ")
    phases = [(r.old_value, r.new_value) for r in AuditRecord.objects.filter(action="cycle.phase")]
    assert phases == [
        ("draft", "self_assessment"),
        ("self_assessment", "appraisal"),
        ("appraisal", "explanation"),
        ("explanation", "finalised"),
        ("finalised", "published"),  # publish changes phase as every phase change does
    ]
    publication = AuditRecord.objects.get(action="cycle.publish")
    assert (publication.phase, publication.old_value, publication.new_value) == (
        "published",
        "",
        "1",
    )
    # every action of the cycle has its actor (roles were given by the fixture, as "system")
    assert not AuditRecord.objects.filter(actor__isnull=True).exclude(
        action__startswith="membership."
    )
    assert verify() == []


def test_a_record_without_a_person_is_by_the_system(db):
    rec = record(None, "import", field="units", old=None, new=["a", "b"], reason="cron")
    assert (rec.actor, rec.actor_name, rec.object_type, rec.object_id) == (None, "system", "", "")
    assert (rec.old_value, rec.new_value, rec.reason) == ("", '["a", "b"]', "cron")
    assert str(rec).endswith("system import")


def test_a_save_appends_its_records_together_and_keeps_the_chain(flow, assessment):
    # One lock of the chain head and one INSERT for the three changed fields: every writer
    # waits for that lock, so a save holds it for as few statements as possible.
    flow.open()
    before = AuditRecord.objects.count()
    entry = entry_of(assessment, "1.5.1")
    with CaptureQueriesContext(connection) as queries:
        services.save_self_assessment(
            flow.people.officer, entry, inputs={"achieved": 1, "planned": 3}, note="x", version=0
        )
    sqls = [q["sql"] for q in queries]
    assert sum(s.startswith('INSERT INTO "audit_auditrecord"') for s in sqls) == 1
    assert sum('FROM "audit_chainhead"' in s for s in sqls) == 1
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.field for r in new] == ["inputs", "self_points", "note"]
    assert [r.prev_hash for r in new[1:]] == [r.hash for r in new[:-1]]
    assert ChainHead.objects.get().last_hash == new[-1].hash
    assert verify() == []


def test_appending_nothing_writes_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert append([]) == []
    assert verify() == []


def test_record_takes_the_same_arguments_as_entry(db):
    assert inspect.signature(record) == inspect.signature(unchained)
    with pytest.raises(TypeError, match="feild"):
        record(None, "import", feild="units")
    assert AuditRecord.objects.count() == 0
