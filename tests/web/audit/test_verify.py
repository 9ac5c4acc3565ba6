"""verify(): the hash chain shows an edited, deleted or inserted record."""

import pytest

from parindex_web.audit.models import GENESIS, AuditRecord, ChainHead, record, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    """Five records, as the services write them."""
    return [
        record(None, "entry.self_points", code=f"1.1.{i}", field="self_points", old=i, new=i + 1)
        for i in range(5)
    ]


def test_an_empty_trail_is_intact(db):
    assert verify() == []


def test_an_intact_chain_has_no_findings(chain):
    assert verify() == []
    assert chain[0].prev_hash == GENESIS
    assert [r.prev_hash for r in chain[1:]] == [r.hash for r in chain[:-1]]
    head = ChainHead.objects.get()
    assert (head.last_hash, head.count) == (chain[-1].hash, 5)


def test_it_catches_an_edited_record(chain):
    AuditRecord.objects.filter(pk=chain[2].pk).update(old_value="0")
    findings = verify()
    assert [f.record_id for f in findings] == [chain[2].pk]
    assert "edited" in findings[0].message


def test_it_catches_an_edited_hash_too(chain):
    forged = AuditRecord.objects.get(pk=chain[2].pk)
    forged.old_value = "0"
    AuditRecord.objects.filter(pk=forged.pk).update(old_value="0", hash=forged.compute_hash())
    assert [f.record_id for f in verify()] == [chain[3].pk]  # its successor no longer links


def test_it_catches_a_record_deleted_in_the_middle(chain):
    AuditRecord.objects.filter(pk=chain[2].pk).delete()
    findings = verify()
    assert [f.record_id for f in findings] == [chain[3].pk, None]
    assert "deleted" in findings[0].message
    assert "4 records" in findings[1].message


def test_it_catches_the_last_record_deleted(chain):
    AuditRecord.objects.filter(pk=chain[-1].pk).delete()
    findings = verify()
    assert [f.record_id for f in findings] == [None]
    assert "holds 4 records" in findings[0].message
    assert "expects 5" in findings[0].message


def test_it_catches_every_record_deleted(chain):
    AuditRecord.objects.all().delete()
    assert [f.record_id for f in verify()] == [None]


def test_it_catches_a_forged_record_added_at_the_end(chain):
    forged = AuditRecord(action="entry.self_points", prev_hash=chain[-1].hash, new_value="9")
    forged.hash = forged.compute_hash()
    forged.save()
    findings = verify()
    assert [f.record_id for f in findings] == [None]
    assert "holds 6 records" in findings[0].message


def test_it_catches_a_forged_record_inserted_in_the_chain(chain):
    forged = AuditRecord(action="entry.self_points", prev_hash=chain[1].hash, new_value="9")
    forged.hash = forged.compute_hash()
    forged.save()
    AuditRecord.objects.filter(pk=chain[2].pk).update(prev_hash=forged.hash)
    findings = verify()
    # chain[2] now points at the forgery (edited), the forgery breaks the order, the head counts
    assert {f.record_id for f in findings} == {chain[2].pk, forged.pk, None}


def test_records_keep_their_hash_through_the_database(chain):
    for stored in AuditRecord.objects.all():
        assert stored.compute_hash() == stored.hash
