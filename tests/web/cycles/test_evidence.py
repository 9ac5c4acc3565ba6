"""add_evidence and link_evidence: content-addressed storage, limits, the unit's own documents."""

import hashlib
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from evidence_samples import PNG, REFUSED
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Evidence
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db

DATA = b"%PDF-1.4 ke hoach CCHC nam 2025"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def opened(flow):
    flow.open()
    return flow


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_it_stores_the_file_by_its_sha256(opened, assessment, upload, settings):
    evidence = services.add_evidence(
        opened.people.officer,
        assessment,
        upload(DATA, "Kế hoạch.pdf"),
        doc_number="12/KH-UBND",
        issuer="UBND xã",
    )
    evidence.refresh_from_db()
    assert evidence.sha256 == SHA
    assert evidence.file.name == f"evidence/{SHA[:2]}/{SHA[2:4]}/{SHA}"
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == DATA
    assert (evidence.size, evidence.content_type) == (len(DATA), "application/pdf")
    assert (evidence.original_name, evidence.doc_number, evidence.issuer) == (
        "Kế hoạch.pdf",
        "12/KH-UBND",
        "UBND xã",
    )
    assert evidence.uploaded_by == opened.people.officer
    assert evidence.assessment == assessment


def test_the_same_bytes_twice_are_one_document(opened, assessment, upload, settings):
    first = services.add_evidence(opened.people.officer, assessment, upload(DATA, "a.pdf"))
    second = services.add_evidence(opened.people.officer, assessment, upload(DATA, "b.pdf"))
    assert first.pk == second.pk
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    assert len(stored_files(settings)) == 1


def test_the_same_bytes_in_another_assessment_share_the_stored_file(
    opened, assessment, assessment2, upload, settings
):
    mine = services.add_evidence(opened.people.officer, assessment, upload(DATA))
    theirs = services.add_evidence(opened.people.officer2, assessment2, upload(DATA))
    assert theirs.pk != mine.pk
    assert theirs.assessment == assessment2
    assert theirs.file.name == mine.file.name
    assert Evidence.objects.count() == 2
    assert len(stored_files(settings)) == 1


def pdf_of_size(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"x" * (size - 9)


def test_a_file_over_the_size_limit_is_refused(opened, assessment, upload, settings):
    settings.PARINDEX_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(CycleError, match="1 MB"):
        services.add_evidence(
            opened.people.officer, assessment, upload(pdf_of_size(1024 * 1024 + 1), raw=True)
        )
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def test_a_file_at_the_size_limit_is_accepted(opened, assessment, upload, settings):
    settings.PARINDEX_EVIDENCE_MAX_BYTES = 1024 * 1024
    data = pdf_of_size(1024 * 1024)
    services.add_evidence(opened.people.officer, assessment, upload(data, raw=True))
    assert Evidence.objects.get().size == len(data) == 1024 * 1024


def test_a_file_is_stored_with_the_type_its_bytes_are_not_the_declared_one(
    opened, assessment, upload
):
    evidence = services.add_evidence(
        opened.people.officer, assessment, upload(PNG, "bao-cao.pdf", "application/pdf", raw=True)
    )
    assert evidence.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "declared", "named"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_file_of_another_type_is_refused_and_nothing_is_stored(
    opened, assessment, upload, settings, name, data, declared, named
):
    records = AuditRecord.objects.count()
    with pytest.raises(services.EvidenceRefused) as caught:
        services.add_evidence(
            opened.people.officer, assessment, upload(data, name, declared, raw=True)
        )
    assert named in str(caught.value)
    assert (Evidence.objects.count(), AuditRecord.objects.count()) == (0, records)
    assert stored_files(settings) == []


def test_an_empty_file_is_refused(opened, assessment, upload, settings):
    with pytest.raises(services.EvidenceRefused, match="rỗng"):
        services.add_evidence(opened.people.officer, assessment, upload(b"", raw=True))
    assert not Evidence.objects.exists()


def test_a_damaged_archive_is_refused(opened, assessment, upload, settings):
    with pytest.raises(services.EvidenceRefused, match="ZIP"):
        services.add_evidence(
            opened.people.officer, assessment, upload(b"PK\x03\x04 cut", "a.docx", raw=True)
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "“Graphics interchange format file (GIF89a)”"),
        (b"plain text", "một tệp không rõ loại"),
    ],
)
def test_the_refusal_names_other_types_as_the_bytes_tell(opened, assessment, upload, data, found):
    with pytest.raises(services.EvidenceRefused, match=re.escape(found)):
        services.add_evidence(opened.people.officer, assessment, upload(data, "a.png", raw=True))


def test_the_accepted_types_come_from_the_settings(opened, assessment, upload, settings):
    settings.PARINDEX_EVIDENCE_TYPES = ["image/png"]
    services.add_evidence(opened.people.officer, assessment, upload(PNG, "a.png", raw=True))
    with pytest.raises(CycleError, match=r"application/pdf.*: PNG\.$"):
        services.add_evidence(opened.people.officer, assessment, upload())
    assert Evidence.objects.get().content_type == "image/png"


def test_the_upload_is_read_in_chunks(opened, assessment, settings):
    """The bytes are read once for the hash and once to store them, never whole at once."""
    reads: list[int] = []

    class Counted(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            assert size is not None and size >= 0, "a read of the whole file"
            data = super().read(size)
            reads.append(len(data))
            return data

    data = pdf_of_size(3 * 1024 * 1024)
    upload = UploadedFile(Counted(data), "big.pdf", "application/pdf", len(data))
    services.add_evidence(opened.people.officer, assessment, upload)
    assert sum(reads) <= 2 * len(data) + 4096
    assert max(reads) <= 64 * 1024
    assert (Path(settings.MEDIA_ROOT) / Evidence.objects.get().file.name).read_bytes() == data


def test_a_document_added_on_a_leaf_is_linked_to_it(opened, assessment, upload):
    entry = entry_of(assessment, "1.1.1")
    first = services.add_evidence(opened.people.officer, assessment, upload(b"1"), entry=entry)
    second = services.add_evidence(opened.people.officer, assessment, upload(b"2"), entry=entry)
    assert set(entry_of(assessment, "1.1.1").evidence.all()) == {first, second}


def test_a_document_added_on_a_leaf_is_audited_with_the_leafs_new_list(opened, assessment, upload):
    entry = entry_of(assessment, "1.1.1")
    first = services.add_evidence(opened.people.officer, assessment, upload(b"1"), entry=entry)
    second = services.add_evidence(opened.people.officer, assessment, upload(b"2"), entry=entry)
    again = services.add_evidence(opened.people.officer, assessment, upload(b"2"), entry=entry)
    assert again == second
    trail = [
        (r.action, r.old_value, r.new_value)
        for r in AuditRecord.objects.filter(action__startswith="e").order_by("pk")
        if r.action in {"evidence.add", "entry.evidence"}
    ]
    assert [(a, old, new) for a, old, new in trail if a == "entry.evidence"] == [
        ("entry.evidence", "[]", f"[{first.pk}]"),
        ("entry.evidence", f"[{first.pk}]", f"[{first.pk}, {second.pk}]"),
    ]  # the same bytes again: neither a new document nor a change of the leaf
    assert [a for a, _, _ in trail] == ["evidence.add", "entry.evidence"] * 2


def test_a_document_for_a_leaf_of_another_unit_is_refused(opened, assessment, assessment2, upload):
    with pytest.raises(CycleError, match="chính đơn vị"):
        services.add_evidence(
            opened.people.officer, assessment, upload(), entry=entry_of(assessment2, "1.1.1")
        )
    assert not Evidence.objects.exists()
    assert not entry_of(assessment2, "1.1.1").evidence.exists()


def test_link_evidence_attaches_the_documents_given(opened, assessment, upload):
    first = services.add_evidence(opened.people.officer, assessment, upload(b"1"))
    second = services.add_evidence(opened.people.officer, assessment, upload(b"2"))
    entry = entry_of(assessment, "1.1.2")
    services.link_evidence(opened.people.officer, entry, [first, second])
    assert set(entry_of(assessment, "1.1.2").evidence.all()) == {first, second}
    rec = AuditRecord.objects.get(action="entry.evidence")
    assert (rec.code, rec.field, rec.new_value) == (
        "1.1.2",
        "evidence",
        f"[{first.pk}, {second.pk}]",
    )


def test_link_evidence_refuses_another_units_document(opened, assessment, assessment2, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    foreign = services.add_evidence(opened.people.officer2, assessment2, upload(b"foreign"))
    entry = entry_of(assessment, "1.1.2")
    with pytest.raises(CycleError, match="của chính đơn vị"):
        services.link_evidence(opened.people.officer, entry, [own, foreign])
    assert entry_of(assessment, "1.1.2").evidence.count() == 0
    assert not AuditRecord.objects.filter(action="entry.evidence").exists()


def test_link_evidence_refuses_an_unknown_document(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    entry = entry_of(assessment, "1.1.2")
    with pytest.raises(CycleError):
        services.link_evidence(opened.people.officer, entry, [own.pk, 999999])
    assert entry_of(assessment, "1.1.2").evidence.count() == 0


def test_link_evidence_refused_after_self_assessment_closes(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    opened.cycle.self_assessment_due = datetime(2025, 1, 1, tzinfo=UTC)
    opened.cycle.save()
    entry = entry_of(assessment, "1.1.2")
    with pytest.raises(CycleError, match="01/01/2025"):
        services.link_evidence(opened.people.officer, entry, [own])
    assert entry_of(assessment, "1.1.2").evidence.count() == 0


def test_link_evidence_refused_once_the_appraisal_opens(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    services.advance_phase(opened.people.secretariat, opened.cycle)
    with pytest.raises(CycleError, match="giai đoạn hiện tại"):
        services.link_evidence(opened.people.officer, entry_of(assessment, "1.1.2"), [own])
    assert entry_of(assessment, "1.1.2").evidence.count() == 0


def test_link_evidence_refused_after_sign_off(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    opened.submit(assessment)
    with pytest.raises(CycleError, match="đã được gửi"):
        services.link_evidence(opened.people.officer, entry_of(assessment, "1.1.2"), [own])
    assert entry_of(assessment, "1.1.2").evidence.count() == 0


def test_link_evidence_refuses_a_survey_leaf(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    with pytest.raises(CycleError, match="điều tra xã hội học"):
        services.link_evidence(opened.people.officer, entry_of(assessment, "4.1.2"), [own])
    assert entry_of(assessment, "4.1.2").evidence.count() == 0


@pytest.mark.parametrize("stranger", ["foreign", "unknown"])
def test_saving_a_leaf_with_documents_not_the_units_is_refused_and_saves_nothing(
    opened, assessment, assessment2, upload, stranger
):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    foreign = services.add_evidence(opened.people.officer2, assessment2, upload(b"foreign"))
    entry = entry_of(assessment, "1.1.2")
    with pytest.raises(services.CycleError):
        services.save_self_assessment(
            opened.people.officer,
            entry,
            inputs={"value": "yes"},
            note="",
            version=entry.version,
            evidence_ids=[own.pk, foreign.pk if stranger == "foreign" else 999999],
        )
    stored = entry_of(assessment, "1.1.2")
    assert (stored.version, stored.self_points, list(stored.evidence.all())) == (0, None, [])


def test_saving_a_leaf_with_the_units_documents_attaches_them(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    entry = entry_of(assessment, "1.1.2")
    with CaptureQueriesContext(connection) as queries:
        services.save_self_assessment(
            opened.people.officer,
            entry,
            inputs={"value": "yes"},
            note="ok",
            version=entry.version,
            evidence_ids=[own.pk],
        )
    assert list(entry_of(assessment, "1.1.2").evidence.all()) == [own]
    # The documents' record goes into the chain with the fields' records, in one INSERT.
    sqls = [q["sql"] for q in queries]
    assert sum(s.startswith('INSERT INTO "audit_auditrecord"') for s in sqls) == 1
    last = AuditRecord.objects.order_by("-pk")[:4]
    assert [r.field for r in reversed(last)] == ["inputs", "self_points", "note", "evidence"]


def test_linking_is_audited_only_when_it_changes(opened, assessment, upload):
    own = services.add_evidence(opened.people.officer, assessment, upload(b"own"))
    entry = entry_of(assessment, "1.1.2")
    services.link_evidence(opened.people.officer, entry, [own.pk])
    services.link_evidence(opened.people.officer, entry, [own.pk])
    records = AuditRecord.objects.filter(action="entry.evidence")
    assert [(r.old_value, r.new_value) for r in records] == [("[]", f"[{own.pk}]")]
    services.link_evidence(opened.people.officer, entry, [])
    assert list(entry.evidence.all()) == []


def test_documents_are_refused_before_the_self_assessment_opens(cycle, assessment, upload):
    with pytest.raises(CycleError):
        services.add_evidence(None, assessment, upload())


def test_documents_are_refused_after_sign_off(opened, assessment, upload):
    opened.submit(assessment)
    with pytest.raises(CycleError):
        services.add_evidence(opened.people.officer, assessment, upload())


def test_documents_for_an_explanation_are_accepted_in_the_explanation_phase(flow, upload):
    flow.to_explanation()
    assessment = flow.assessments[0]
    evidence = services.add_evidence(flow.people.officer, assessment, upload(b"more"))
    assert evidence.assessment == assessment
    with pytest.raises(CycleError):  # not on a leaf: the self-assessment is closed
        services.add_evidence(
            flow.people.officer, assessment, upload(b"more"), entry=entry_of(assessment, "1.1.1")
        )


def test_the_units_own_copy_is_found_before_another_units(
    opened, assessment, assessment2, upload, settings
):
    theirs = services.add_evidence(opened.people.officer2, assessment2, upload(DATA))
    mine = services.add_evidence(opened.people.officer, assessment, upload(DATA))
    again = services.add_evidence(opened.people.officer, assessment, upload(DATA))
    assert again.pk == mine.pk != theirs.pk
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    assert len(stored_files(settings)) == 1


def test_an_upload_looks_for_stored_bytes_once(opened, assessment, assessment2, upload):
    services.add_evidence(opened.people.officer2, assessment2, upload(DATA))
    with CaptureQueriesContext(connection) as queries:
        services.add_evidence(opened.people.officer, assessment, upload(DATA))
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "cycles_evidence"' in s for s in reads) == 1


def test_replacing_a_leafs_documents_is_audited_as_one_change(opened, assessment, upload):
    one = services.add_evidence(opened.people.officer, assessment, upload(b"one"))
    two = services.add_evidence(opened.people.officer, assessment, upload(b"two"))
    entry = entry_of(assessment, "1.1.2")
    services.link_evidence(opened.people.officer, entry, [one])
    services.link_evidence(opened.people.officer, entry, [two])
    assert list(entry_of(assessment, "1.1.2").evidence.all()) == [two]
    records = AuditRecord.objects.filter(action="entry.evidence").order_by("pk")
    assert [(r.old_value, r.new_value) for r in records] == [
        ("[]", f"[{one.pk}]"),
        (f"[{one.pk}]", f"[{two.pk}]"),
    ]


def test_the_check_refuses_a_setting_with_types_the_bytes_are_never_found_to_be(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.PARINDEX_EVIDENCE_TYPES = ["application/pdf", "text/plain", "image/gif"]
    with pytest.raises(SystemCheckError, match="text/plain, image/gif"):
        call_command("check")
    settings.PARINDEX_EVIDENCE_TYPES = ["application/pdf", "image/png"]
    call_command("check")
