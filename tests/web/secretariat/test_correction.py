"""Correcting a locked score after finalisation, then publishing a new version."""

from decimal import Decimal

import pytest

from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles.models import Entry, Phase, Publication

pytestmark = pytest.mark.django_db


def test_it_refuses_colleagues_and_outsiders(cycle, run_to, refused):
    run_to(cycle, Phase.PUBLISHED)
    refused(f"/cycles/{cycle.pk}/correction")


def test_it_corrects_a_score_with_its_reason_and_the_next_version_shows_it(
    client, cycle, run_to, secretariat
):
    run_to(cycle, Phase.PUBLISHED)
    first = Publication.objects.get()
    client.force_login(secretariat)
    r = client.post(
        f"/cycles/{cycle.pk}/correction",
        {"unit": "x-a", "code": "4.1.1", "points": "15", "reason": "Sửa điểm SIPAS"},
    )
    assert r.status_code == 302 and r["Location"] == f"/cycles/{cycle.pk}/publish"
    entry = Entry.objects.get(assessment__unit__code="x-a", code="4.1.1", assessment__cycle=cycle)
    assert entry.final_points == Decimal(15)
    rec = AuditRecord.objects.get(action="entry.final_points")
    assert rec.reason == "Sửa điểm SIPAS" and rec.new_value == "15" and rec.actor == secretariat
    client.post(f"/cycles/{cycle.pk}/publish", {"reason": "Sửa điểm SIPAS"})
    second = Publication.objects.get(version=2)
    assert "x-a,4.1.1,15" in second.scores_csv
    first.refresh_from_db()
    assert "x-a,4.1.1,15\n" not in first.scores_csv  # version 1 keeps its figures
    assert second.content_hash != first.content_hash
    assert verify() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unit": "x-a", "code": "4.1.1", "points": "99", "reason": "x"}, "Điểm phải từ 0 đến 15"),
        ({"unit": "x-a", "code": "4.1.1", "points": "1", "reason": " "}, "bắt buộc"),
    ],
)
def test_it_refuses_bad_corrections(client, cycle, run_to, secretariat, data, message):
    run_to(cycle, Phase.PUBLISHED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/correction", data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not AuditRecord.objects.filter(action="entry.final_points").exists()


def test_it_refuses_corrections_before_finalisation(client, cycle, run_to, secretariat):
    run_to(cycle, Phase.EXPLANATION)
    client.force_login(secretariat)
    r = client.post(
        f"/cycles/{cycle.pk}/correction",
        {"unit": "x-a", "code": "4.1.1", "points": "1", "reason": "x"},
    )
    assert r.status_code == 200
    assert not AuditRecord.objects.filter(action="entry.final_points").exists()
