"""create_cycle, set_deadlines and set_assignments: the secretariat sets up a cycle."""

from datetime import UTC, datetime, timedelta

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Assignment, Cycle
from parindex_web.cycles.services import CycleError

pytestmark = pytest.mark.django_db

MARCH, MAY, JUNE = (datetime(2026, m, 28, 10, tzinfo=UTC) for m in (3, 5, 6))


def create(people, body, methodology, all_units, **change):
    user = change.pop("user", people.secretariat)
    values = {
        "body": body,
        "year": 2026,
        "name": "Chỉ số CCHC 2026",
        "methodology": methodology,
        "units": all_units[:2],
        "self_assessment_due": MARCH,
        "appraisal_due": MAY,
        "explanation_due": JUNE,
        **change,
    }
    return services.create_cycle(user, **values)


# --- create_cycle -------------------------------------------------------------------------------


def test_create_cycle_makes_an_assessment_per_unit_and_records_it(people, body, methodology, units):
    cycle = create(people, body, methodology, units)
    cycle.refresh_from_db()
    assert (cycle.phase, cycle.created_by, cycle.year) == ("draft", people.secretariat, 2026)
    assert (cycle.self_assessment_due, cycle.explanation_due) == (MARCH, JUNE)
    assert sorted(cycle.assessments.values_list("unit__code", flat=True)) == ["xa-1", "xa-2"]
    rec = AuditRecord.objects.get(action="cycle.create")
    assert (rec.actor, rec.cycle_id, rec.new_value) == (
        people.secretariat,
        cycle.pk,
        '["xa-1", "xa-2"]',
    )


def test_create_cycle_refuses_deadlines_out_of_order(people, body, methodology, units):
    with pytest.raises(CycleError, match="Hạn thẩm định"):
        create(people, body, methodology, units, appraisal_due=MARCH - timedelta(days=1))
    with pytest.raises(CycleError, match="Hạn giải trình"):
        create(people, body, methodology, units, appraisal_due=None, explanation_due=MARCH)
    assert not Cycle.objects.exists()
    assert not AuditRecord.objects.filter(action="cycle.create").exists()


def test_create_cycle_accepts_deadlines_left_open(people, body, methodology, units):
    cycle = create(people, body, methodology, units, self_assessment_due=None, appraisal_due=None)
    assert (cycle.self_assessment_due, cycle.explanation_due) == (None, JUNE)


def test_create_cycle_refuses_a_second_cycle_of_the_same_name_and_year(
    people, body, methodology, units
):
    create(people, body, methodology, units)
    with pytest.raises(CycleError, match="đã có kỳ đánh giá"):
        create(people, body, methodology, units, name="  Chỉ số CCHC 2026 ")
    assert Cycle.objects.count() == 1
    create(people, body, methodology, units, year=2027)  # another year is another cycle
    assert Cycle.objects.count() == 2


def test_create_cycle_refuses_units_of_another_body(people, body, methodology, units, other_cycle):
    foreign = other_cycle.assessments.get().unit
    with pytest.raises(CycleError, match="Xã Khác"):
        create(people, body, methodology, units, units=[units[0], foreign])
    assert not Cycle.objects.filter(body=body).exists()


@pytest.mark.parametrize("year", [1999, datetime.now().year + 3])
def test_create_cycle_refuses_a_year_out_of_range(people, body, methodology, units, year):
    with pytest.raises(CycleError, match="2000"):
        create(people, body, methodology, units, year=year)
    assert not Cycle.objects.exists()


def test_create_cycle_refuses_a_blank_name(people, body, methodology, units):
    with pytest.raises(CycleError):
        create(people, body, methodology, units, name="   ")
    assert not Cycle.objects.exists()


@pytest.mark.parametrize("who", ["appraiser", "officer", "foreign_secretariat", "outsider"])
def test_create_cycle_refuses_anyone_but_the_bodys_secretariat(
    people, body, methodology, units, who
):
    with pytest.raises(CycleError, match="Sở Nội vụ A"):
        create(people, body, methodology, units, user=getattr(people, who))
    with pytest.raises(CycleError):
        create(people, body, methodology, units, user=None)
    assert not Cycle.objects.exists()


# --- set_deadlines ------------------------------------------------------------------------------


def test_set_deadlines_records_each_changed_deadline(cycle, people):
    before = cycle.self_assessment_due
    services.set_deadlines(
        people.secretariat,
        cycle,
        self_assessment_due=before,
        appraisal_due=datetime(2099, 5, 31, 10, tzinfo=UTC),
        explanation_due=datetime(2099, 6, 30, 10, tzinfo=UTC),
    )
    cycle.refresh_from_db()
    assert cycle.self_assessment_due == before
    assert cycle.explanation_due == datetime(2099, 6, 30, 10, tzinfo=UTC)
    records = AuditRecord.objects.filter(action="cycle.deadline").order_by("pk")
    assert [r.field for r in records] == ["appraisal_due", "explanation_due"]
    assert records[1].new_value == "2099-06-30T10:00:00+00:00"
    assert records[1].phase == "draft"


def test_set_deadlines_keeps_the_deadlines_not_named(cycle, people):
    before = (cycle.self_assessment_due, cycle.appraisal_due)
    services.set_deadlines(people.secretariat, cycle, explanation_due=None)
    cycle.refresh_from_db()
    assert (cycle.self_assessment_due, cycle.appraisal_due, cycle.explanation_due) == (
        *before,
        None,
    )
    assert AuditRecord.objects.get(action="cycle.deadline").new_value == ""


def test_set_deadlines_refuses_deadlines_out_of_order(cycle, people):
    before = cycle.appraisal_due
    with pytest.raises(CycleError, match="Hạn thẩm định"):
        services.set_deadlines(
            people.secretariat, cycle, appraisal_due=cycle.self_assessment_due - timedelta(days=1)
        )
    cycle.refresh_from_db()
    assert cycle.appraisal_due == before
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()


def test_set_deadlines_is_refused_after_finalisation(flow):
    flow.to_finalised()
    with pytest.raises(CycleError, match="sau khi chốt"):
        services.set_deadlines(flow.people.secretariat, flow.cycle, explanation_due=None)
    flow.cycle.refresh_from_db()
    assert flow.cycle.explanation_due is not None


@pytest.mark.parametrize("who", ["appraiser", "foreign_secretariat", "outsider"])
def test_set_deadlines_refuses_anyone_but_the_bodys_secretariat(cycle, people, who):
    with pytest.raises(CycleError):
        services.set_deadlines(getattr(people, who), cycle, explanation_due=None)
    cycle.refresh_from_db()
    assert cycle.explanation_due is not None
    assert not AuditRecord.objects.filter(action="cycle.deadline").exists()


def test_set_deadlines_rejects_a_name_that_is_not_a_deadline(cycle, people):
    with pytest.raises(TypeError):
        services.set_deadlines(people.secretariat, cycle, phase="published")


# --- set_assignments ----------------------------------------------------------------------------


def pairs_of(cycle):
    return set(cycle.assignments.values_list("unit_id", "appraiser_id"))


def test_set_assignments_adds_and_removes_and_records_each(cycle, people, units):
    keep = (units[0].pk, people.appraiser.pk)
    add = (units[1].pk, people.appraiser.pk)
    assert services.set_assignments(people.secretariat, cycle, [keep, add]) == (1, 1)
    assert pairs_of(cycle) == {keep, add}
    added = AuditRecord.objects.get(action="assignment.add")
    removed = AuditRecord.objects.get(action="assignment.remove")
    assert (added.unit_code, added.field, added.new_value) == ("xa-2", "appraiser", "appraiser")
    assert (removed.unit_code, removed.old_value) == ("xa-2", "appraiser2")


def test_set_assignments_with_the_same_pairs_changes_nothing(cycle, people):
    assert services.set_assignments(people.secretariat, cycle, pairs_of(cycle)) == (0, 0)
    assert not AuditRecord.objects.filter(action__startswith="assignment.").exists()


def test_set_assignments_refuses_a_unit_outside_the_cycle(cycle, people, units):
    before = pairs_of(cycle)
    with pytest.raises(CycleError):
        services.set_assignments(
            people.secretariat, cycle, [*before, (units[2].pk, people.appraiser.pk)]
        )
    assert pairs_of(cycle) == before


def test_set_assignments_refuses_someone_who_is_not_an_appraiser_of_the_body(cycle, people, units):
    before = pairs_of(cycle)
    for user in (people.officer, people.secretariat, people.outsider):
        with pytest.raises(CycleError, match="Sở Nội vụ A"):
            services.set_assignments(people.secretariat, cycle, [(units[0].pk, user.pk)])
    assert pairs_of(cycle) == before
    assert not Assignment.objects.filter(appraiser=people.officer).exists()


def test_set_assignments_is_refused_after_finalisation(flow):
    flow.to_finalised()
    before = pairs_of(flow.cycle)
    with pytest.raises(CycleError, match="sau khi chốt"):
        services.set_assignments(flow.people.secretariat, flow.cycle, [])
    assert pairs_of(flow.cycle) == before


@pytest.mark.parametrize("who", ["appraiser", "officer", "foreign_secretariat"])
def test_set_assignments_refuses_anyone_but_the_bodys_secretariat(cycle, people, who):
    before = pairs_of(cycle)
    with pytest.raises(CycleError):
        services.set_assignments(getattr(people, who), cycle, [])
    assert pairs_of(cycle) == before
