"""save_self_assessment: points from the leaf's rule, bad input, optimistic locking."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.services import Conflict, CycleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(flow):
    flow.open()
    return flow


def save(officer, assessment, code, inputs, note="", version=None):
    entry = entry_of(assessment, code)
    return services.save_self_assessment(
        officer,
        entry,
        inputs=inputs,
        note=note,
        version=entry.version if version is None else version,
    )


# (leaf, rule, input, exact points) on the example methodology
CASES = [
    ("1.1.1", "levels", {"level": "on_time"}, "1"),
    ("1.1.1", "levels", {"level": "late"}, "0.5"),
    ("1.1.1", "levels, by label", {"level": "Ban hành không kịp thời"}, "0.5"),
    ("1.4.2", "levels", {"level": "one_online_and_traditional"}, "0.75"),
    ("3.1.1", "levels", {"level": "partial"}, "2.5"),
    ("1.1.2", "yes_no", {"value": "yes"}, "1"),
    ("1.1.2", "yes_no", {"value": "có"}, "1"),
    ("1.1.2", "yes_no", {"value": "no"}, "0"),
    ("2.1.2", "yes_no", {"value": True}, "5"),
    ("1.1.4", "thresholds, above 90", {"percent": "90"}, "1"),
    ("1.1.4", "thresholds, above 90", {"percent": "90.01"}, "2"),
    ("1.1.4", "thresholds, from achieved/planned", {"achieved": 7, "planned": 10}, "1"),
    ("1.1.4", "thresholds, below 70", {"percent": "69,9"}, "0"),
    ("1.3.2", "thresholds, from 30", {"percent": "30"}, "2"),
    ("1.4.1", "proportional, floor 90", {"achieved": 9, "planned": 10}, "0.9"),
    ("1.4.1", "proportional, below the floor", {"achieved": 4, "planned": 5}, "0"),
    ("1.5.1", "proportional, rounded half-up", {"achieved": 2, "planned": 3}, "2.67"),
    ("1.5.1", "proportional, capped", {"achieved": 12, "planned": 10}, "4"),
    ("1.5.2", "deduction 0.5 each", {"count": 3}, "2.5"),
    ("1.5.2", "deduction, not below 0", {"count": 10}, "0"),
    ("2.1.1", "deduction 0.5 each", {"count": "1"}, "4.5"),
]


@pytest.mark.parametrize(("code", "rule", "inputs", "points"), CASES)
def test_it_scores_the_input_with_the_leafs_rule(opened, assessment, code, rule, inputs, points):
    saved = save(opened.people.officer, assessment, code, inputs)
    assert saved.self_points == Decimal(points)
    assert entry_of(assessment, code).self_points == Decimal(points)
    assert services.score_input(assessment.cycle, code, inputs) == Decimal(points)


def test_score_input_gives_the_methodologys_places(cycle):
    assert str(services.score_input(cycle, "1.5.1", {"achieved": 2, "planned": 3})) == "2.67"


def test_it_stores_the_input_note_and_who_saved(opened, assessment):
    saved = save(opened.people.officer, assessment, "1.4.1", {"achieved": 9, "planned": 10}, "ok")
    assert saved.inputs == {"achieved": 9, "planned": 10}
    assert saved.note == "ok"
    assert saved.updated_by == opened.people.officer


def test_it_drops_empty_values_before_scoring(opened, assessment):
    saved = save(
        opened.people.officer,
        assessment,
        "1.1.4",
        {"percent": "", "achieved": 7, "planned": 10, "x": None},
    )
    assert saved.inputs == {"achieved": 7, "planned": 10}
    assert saved.self_points == 1


def test_it_stores_decimal_input_as_a_form_gives_it(opened, assessment):
    saved = save(opened.people.officer, assessment, "1.1.4", {"percent": Decimal("95.50")})
    assert saved.self_points == 2
    assert saved.inputs == {"percent": "95.50"}


BAD = [
    ("1.1.1", {"level": "soon"}, "level"),
    ("1.1.1", {}, "level"),
    ("1.1.2", {"value": "maybe"}, "value"),
    ("1.1.4", {"percent": "-1"}, "percent"),
    ("1.1.4", {"percent": "abc"}, "percent"),
    ("1.1.4", {}, "achieved"),
    ("1.4.1", {"achieved": 3, "planned": 0}, "planned"),
    ("1.4.1", {"achieved": -1, "planned": 3}, "achieved"),
    ("1.5.2", {"count": "1.5"}, "count"),
]


@pytest.mark.parametrize(("code", "inputs", "field"), BAD)
def test_bad_input_is_refused_naming_the_field(opened, assessment, code, inputs, field):
    with pytest.raises(CycleError) as exc:
        save(opened.people.officer, assessment, code, inputs)
    assert str(exc.value).startswith(f"{field}: ")
    entry = entry_of(assessment, code)
    assert (entry.version, entry.self_points, entry.inputs) == (0, None, {})


@pytest.mark.parametrize("code", ["2.2.1", "3.1.3", "4.1.1", "4.1.2"])
def test_survey_sipas_and_data_leaves_are_refused(opened, assessment, code):
    with pytest.raises(CycleError):
        save(opened.people.officer, assessment, code, {"points": "1"})
    assert entry_of(assessment, code).version == 0


def test_it_refuses_before_the_self_assessment_opens(cycle, people, assessment):
    services.ensure_entries(assessment)
    with pytest.raises(CycleError):
        save(people.officer, assessment, "1.1.2", {"value": "yes"})


def test_each_save_increments_the_version(opened, assessment):
    first = save(opened.people.officer, assessment, "1.1.2", {"value": "yes"})
    second = save(opened.people.officer, assessment, "1.1.2", {"value": "no"})
    assert (first.version, second.version) == (1, 2)


def test_a_save_returns_the_stored_row_without_reading_it_back(opened, assessment):
    entry = entry_of(assessment, "1.1.1")
    with CaptureQueriesContext(connection) as queries:
        saved = services.save_self_assessment(
            opened.people.officer, entry, inputs={"level": "on_time"}, note="ghi chú", version=0
        )
    reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "cycles_entry"')]
    assert reads == []
    stored = entry_of(assessment, "1.1.1")
    for field in ("inputs", "self_points", "note", "version", "updated_at", "updated_by"):
        assert getattr(saved, field) == getattr(stored, field), field


def test_a_save_of_an_entry_loaded_at_another_version_reads_the_row(opened, assessment):
    # The caller's entry is older than the version sent: what it holds is not the row.
    entry = entry_of(assessment, "1.1.1")
    save(opened.people.officer, assessment, "1.1.1", {"level": "on_time"}, note="first")
    saved = services.save_self_assessment(
        opened.people.leader, entry, inputs={"level": "late"}, note="second", version=1
    )
    stored = entry_of(assessment, "1.1.1")
    assert (saved.version, saved.note, saved.updated_by) == (2, "second", opened.people.leader)
    assert (stored.version, stored.note, stored.inputs) == (2, "second", {"level": "late"})


def test_a_save_with_a_stale_version_is_a_conflict_that_loses_nothing(opened, assessment):
    people = opened.people
    stale = entry_of(assessment, "1.1.1")
    services.save_self_assessment(
        people.officer, stale, inputs={"level": "on_time"}, note="first", version=0
    )
    records = AuditRecord.objects.count()
    with pytest.raises(Conflict) as exc:
        services.save_self_assessment(
            people.leader, stale, inputs={"level": "none"}, note="second", version=0
        )
    theirs, mine = exc.value.entry, exc.value.mine
    assert isinstance(exc.value, CycleError)
    assert (theirs.inputs, theirs.note, theirs.self_points) == ({"level": "on_time"}, "first", 1)
    assert theirs.version == 1
    assert theirs.updated_by == people.officer
    assert (mine["inputs"], mine["note"], mine["self_points"]) == ({"level": "none"}, "second", 0)
    stored = entry_of(assessment, "1.1.1")
    assert (stored.inputs, stored.note, stored.version) == ({"level": "on_time"}, "first", 1)
    assert AuditRecord.objects.count() == records
    # applied again on top of the fresh version, the second person's input is kept
    again = services.save_self_assessment(
        people.leader, stale, inputs=mine["inputs"], note=mine["note"], version=theirs.version
    )
    assert (again.version, again.self_points, again.note) == (2, 0, "second")


def test_saving_with_evidence_ids_links_the_documents(opened, assessment, upload):
    document = services.add_evidence(opened.people.officer, assessment, upload())
    saved = save(opened.people.officer, assessment, "1.1.1", {"level": "late"}, version=0)
    assert list(saved.evidence.all()) == []
    entry = entry_of(assessment, "1.1.1")
    saved = services.save_self_assessment(
        opened.people.officer,
        entry,
        inputs={"level": "late"},
        note="",
        version=entry.version,
        evidence_ids=[document.pk],
    )
    assert list(saved.evidence.all()) == [document]
