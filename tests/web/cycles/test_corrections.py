"""correct_final_points: a locked score corrected after finalisation, with a reason."""

from decimal import Decimal

import pytest
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalised(flow):
    flow.to_finalised()
    return flow


def correct(flow, unit_code="xa-1", code="1.1.1", points="0.5", reason="Sai số liệu"):
    return services.correct_final_points(
        flow.people.secretariat,
        flow.cycle,
        unit_code=unit_code,
        code=code,
        points=Decimal(points),
        reason=reason,
    )


def test_it_corrects_the_locked_score_and_records_why(finalised, assessment):
    before = entry_of(assessment, "1.1.1").version
    entry = correct(finalised)
    assert entry.final_points == Decimal("0.5")
    stored = entry_of(assessment, "1.1.1")
    assert (stored.final_points, stored.version) == (Decimal("0.5"), before + 1)
    rec = AuditRecord.objects.get(action="entry.final_points")
    assert (rec.actor, rec.unit_code, rec.code, rec.phase) == (
        finalised.people.secretariat,
        "xa-1",
        "1.1.1",
        "finalised",
    )
    assert (rec.old_value, rec.new_value, rec.reason) == ("1.0000", "0.5", "Sai số liệu")


def test_a_correction_after_publication_becomes_a_new_version(finalised):
    first = services.publish(finalised.people.secretariat, finalised.cycle)
    correct(finalised)
    second = services.publish(finalised.people.secretariat, finalised.cycle, "Sửa 1.1.1")
    assert second.version == 2
    assert second.content_hash != first.content_hash
    assert "xa-1,1.1.1,0.5" in second.scores_csv
    assert "xa-1,1.1.1,1" in first.scores_csv


def test_it_is_refused_before_finalisation(flow):
    flow.to_explanation()
    with pytest.raises(CycleError):
        correct(flow)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"reason": " "}, None),
        ({"code": "1.1"}, "1.1"),
        ({"code": "9.9"}, "9.9"),
        ({"points": "1.5"}, "1"),
        ({"points": "-0.5"}, "1"),
        ({"unit_code": "xa-3"}, None),
    ],
)
def test_bad_corrections_are_refused(finalised, assessment, changes, fragment):
    with pytest.raises(CycleError) as exc:
        correct(finalised, **changes)
    if fragment:
        assert fragment in str(exc.value)
    assert entry_of(assessment, "1.1.1").final_points == 1
    assert not AuditRecord.objects.filter(action="entry.final_points").exists()
