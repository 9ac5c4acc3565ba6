"""The service behind "accept all remaining": which leaves it accepts (never an appraised one),
its refusals (phase, deadline, assignment, a stale list) and its audit trail (one record per leaf,
shaped as a single accept's, and one for the bulk action)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services

from .conftest import LOWERED

pytestmark = pytest.mark.django_db

ACCEPTED = "1.1.1"  # a leaf the appraiser accepts one by one before the bulk action


def codes(entries):
    return [e.code for e in entries]


def appraise(world, code, points=None, reason=""):
    entry = world.entry(code)
    points = entry.self_points if points is None else points
    services.appraise(world.appraiser, entry, points=points, reason=reason, version=entry.version)


def accept(world, user=None):
    """Accept what the appraiser would be shown now, as a confirmed page does."""
    shown = services.remaining_to_accept(world.assessment)
    return services.accept_remaining(
        user or world.appraiser, world.assessment, services.remaining_fingerprint(shown)
    )


def appraised(world):
    return {e.code: e.appraised_points for e in world.appraisal_entries()}


@pytest.mark.parametrize(
    ("before", "kept"),
    [
        pytest.param([], {}, id="none appraised"),
        pytest.param(
            [(ACCEPTED, None, ""), (LOWERED, Decimal(0), "Thiếu tài liệu")],
            {ACCEPTED: Decimal(1), LOWERED: Decimal(0)},
            id="some appraised",
        ),
    ],
)
def test_it_accepts_every_leaf_not_yet_appraised_and_keeps_the_appraised_ones(world, before, kept):
    for code, points, reason in before:
        appraise(world, code, points, reason)
    every = codes(world.appraisal_entries())
    accepted = accept(world)
    assert codes(accepted) == [c for c in every if c not in kept]
    after = {e.code: e for e in world.appraisal_entries()}
    for code, entry in after.items():
        expected = kept.get(code, entry.self_points)
        assert entry.appraised_points == expected, code
    assert after[LOWERED].appraisal_reason == ("Thiếu tài liệu" if kept else "")
    assert all(after[c].appraised_by == world.appraiser for c in codes(accepted))


def test_the_leaves_are_in_methodology_order_with_their_points(world):
    shown = services.remaining_to_accept(world.assessment)
    core = world.cycle.core()
    assert codes(shown) == [c for c in (n.code for n in core.leaves) if c in set(codes(shown))]
    assert services.points_total(shown) == sum((e.self_points for e in shown), Decimal(0))


def test_with_everything_appraised_nothing_is_left_and_it_says_so(world):
    world.appraise_all()
    assert services.remaining_to_accept(world.assessment) == []
    before = AuditRecord.objects.count()
    with translation.override("en"), pytest.raises(services.CycleError, match="already appraised"):
        accept(world)
    assert AuditRecord.objects.count() == before


def test_one_audit_record_per_leaf_shaped_as_a_single_accept_plus_one_for_the_bulk(world):
    appraise(world, ACCEPTED)  # a single accept, for the shape
    single = AuditRecord.objects.get(action="entry.appraised_points", code=ACCEPTED)
    before = AuditRecord.objects.count()
    accepted = accept(world)
    new = list(AuditRecord.objects.filter(pk__gt=single.pk).order_by("pk"))
    assert len(new) == AuditRecord.objects.count() - before == len(accepted) + 1
    per_leaf, bulk = new[:-1], new[-1]
    shape = ("action", "object_type", "cycle_id", "unit_code", "phase", "field", "reason")
    for record, entry in zip(per_leaf, accepted, strict=True):
        assert [getattr(record, k) for k in shape] == [getattr(single, k) for k in shape]
        assert (record.code, record.object_id) == (entry.code, str(entry.pk))
        assert (record.old_value, record.new_value) == ("", str(entry.self_points))
        assert record.actor == world.appraiser
    assert bulk.action == "assessment.accept_remaining"
    assert bulk.object_id == str(world.assessment.pk)
    assert json.loads(bulk.new_value) == {
        "count": len(accepted),
        "codes": codes(accepted),
        "total": f"{services.points_total(accepted):f}",
    }


def test_each_accepted_leaf_gets_a_new_version_and_can_still_be_changed(world):
    versions = {e.code: e.version for e in world.appraisal_entries()}
    accept(world)
    entry = world.entry(LOWERED)
    assert entry.version == versions[LOWERED] + 1
    services.appraise(
        world.appraiser, entry, points=Decimal(0), reason="Thiếu", version=entry.version
    )
    assert world.entry(LOWERED).appraised_points == 0


def test_a_list_that_changed_since_it_was_shown_is_refused_and_nothing_is_saved(world):
    shown = services.remaining_to_accept(world.assessment)
    confirmed = services.remaining_fingerprint(shown)
    appraise(world, LOWERED, Decimal(0), "Thiếu")  # someone appraises one meanwhile
    before = AuditRecord.objects.count()
    with translation.override("en"), pytest.raises(services.StaleList, match="have changed"):
        services.accept_remaining(world.appraiser, world.assessment, confirmed)
    assert AuditRecord.objects.count() == before
    assert [c for c, p in appraised(world).items() if p is not None] == [LOWERED]


def test_a_changed_self_assessed_score_also_makes_the_list_stale(world):
    shown = services.remaining_to_accept(world.assessment)
    assert services.remaining_fingerprint(shown) == services.remaining_fingerprint(
        services.remaining_to_accept(world.assessment)
    )
    entry = shown[0]
    entry.self_points = Decimal(0)
    assert services.remaining_fingerprint(shown) != services.remaining_fingerprint(
        services.remaining_to_accept(world.assessment)
    )


@pytest.mark.parametrize("confirmed", ["", "0-000000000000", "garbage"])
def test_a_confirmation_for_another_list_is_refused(world, confirmed):
    with pytest.raises(services.StaleList):
        services.accept_remaining(world.appraiser, world.assessment, confirmed)
    assert set(appraised(world).values()) == {None}


def test_it_is_refused_outside_the_appraisal_phase(world):
    world.to_explanation_phase()
    with translation.override("en"), pytest.raises(services.CycleError, match="current phase"):
        services.accept_remaining(world.appraiser, world.assessment, "0-x")


def test_it_is_refused_after_the_appraisal_deadline(world):
    world.cycle.appraisal_due = timezone.now() - timezone.timedelta(hours=1)
    world.cycle.save()
    with translation.override("en"), pytest.raises(services.CycleError, match="deadline"):
        accept(world)
    assert set(appraised(world).values()) == {None}


@pytest.mark.parametrize("who", ["colleague", "outsider", "secretariat", "officer", "leader"])
def test_only_the_units_assigned_appraiser_may_accept(world, who):
    with translation.override("en"), pytest.raises(services.CycleError, match="assigned"):
        accept(world, getattr(world, who))
    assert set(appraised(world).values()) == {None}


def test_it_is_refused_once_the_appraisal_is_completed(world):
    world.appraise_all()
    services.complete_appraisal(world.appraiser, world.assessment)
    world.refresh()
    with translation.override("en"), pytest.raises(services.CycleError, match="submitted"):
        accept(world)


def test_a_fingerprint_is_the_count_and_a_digest_of_the_list():
    first = services.fingerprint([[1, 0, "1"], [2, 3, "0.5"]])
    count, digest = first.split("-")
    assert count == "2" and len(digest) == 12 and int(digest, 16) >= 0
    assert services.fingerprint([[1, 0, "1"], [2, 3, "0.5"]]) == first
    assert services.fingerprint([[1, 0, "1"], [2, 4, "0.5"]]) != first
    assert services.fingerprint([]).startswith("0-")
