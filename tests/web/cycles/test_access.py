"""access.py: 404 for those outside, 403 for a colleague with another role, the object otherwise."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import access

pytestmark = pytest.mark.django_db

OUTSIDERS = ["appraiser2", "officer2", "officer3", "foreign_secretariat", "outsider", "anonymous"]


def person(people, name):
    return AnonymousUser() if name == "anonymous" else getattr(people, name)


@pytest.mark.parametrize(
    ("allow", "name"),
    [
        (("officer", "leader"), "officer"),
        (("officer", "leader"), "leader"),
        (("officer",), "officer"),
        (("leader",), "leader"),
        (("secretariat",), "secretariat"),
        (("appraiser",), "appraiser"),
        (("secretariat", "appraiser", "officer", "leader"), "appraiser"),
    ],
)
def test_assessment_for_gives_the_assessment_to_the_right_role(
    people, assessment, other_cycle, allow, name
):
    found = access.assessment_for(person(people, name), assessment.pk, allow=allow)
    assert found == assessment
    assert found.cycle.body.code == "snv-a"


@pytest.mark.parametrize(
    ("allow", "name"),
    [
        (("officer", "leader"), "secretariat"),
        (("officer", "leader"), "appraiser"),
        (("leader",), "officer"),
        (("officer",), "leader"),
        (("secretariat",), "appraiser"),
        (("secretariat",), "leader"),
        (("appraiser",), "secretariat"),
        (("appraiser",), "officer"),
    ],
)
def test_assessment_for_refuses_a_colleague_with_another_role(people, assessment, allow, name):
    with pytest.raises(PermissionDenied):
        access.assessment_for(person(people, name), assessment.pk, allow=allow)


@pytest.mark.parametrize("name", OUTSIDERS)
def test_assessment_for_hides_the_assessment_from_outsiders(people, assessment, other_cycle, name):
    with pytest.raises(Http404):
        access.assessment_for(
            person(people, name),
            assessment.pk,
            allow=("secretariat", "appraiser", "officer", "leader"),
        )


def test_assessment_for_gives_404_for_a_missing_assessment(people, assessment):
    with pytest.raises(Http404):
        access.assessment_for(people.secretariat, assessment.pk + 1000, allow=("secretariat",))


def test_another_bodys_secretariat_cannot_reach_this_bodys_assessment(people, other_cycle):
    theirs = other_cycle.assessments.get()
    with pytest.raises(Http404):
        access.assessment_for(people.secretariat, theirs.pk, allow=("secretariat",))
    assert access.assessment_for(people.foreign_secretariat, theirs.pk, allow=("secretariat",))


def test_an_appraiser_sees_only_the_units_assigned(people, assessment, assessment2):
    assert access.can_see_assessment(people.appraiser, assessment)
    assert not access.can_see_assessment(people.appraiser, assessment2)
    assert access.can_see_assessment(people.appraiser2, assessment2)


def test_an_assignment_without_the_appraiser_role_grants_nothing(people, assessment, cycle):
    cycle.assignments.create(appraiser=people.outsider, unit=assessment.unit)
    assert not access.is_appraiser(people.outsider, assessment)


def test_cycle_for_secretariat_gives_the_cycle_to_its_secretariat(people, cycle):
    assert access.cycle_for_secretariat(people.secretariat, cycle.pk) == cycle


@pytest.mark.parametrize("name", ["appraiser", "appraiser2", "officer", "leader2"])
def test_cycle_for_secretariat_refuses_colleagues_with_another_role(people, cycle, name):
    with pytest.raises(PermissionDenied):
        access.cycle_for_secretariat(person(people, name), cycle.pk)


@pytest.mark.parametrize("name", ["officer3", "foreign_secretariat", "outsider", "anonymous"])
def test_cycle_for_secretariat_hides_the_cycle_from_outsiders(people, cycle, other_cycle, name):
    with pytest.raises(Http404):
        access.cycle_for_secretariat(person(people, name), cycle.pk)


def test_cycle_for_secretariat_gives_404_for_a_missing_cycle(people, cycle):
    with pytest.raises(Http404):
        access.cycle_for_secretariat(people.secretariat, cycle.pk + 1000)


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("secretariat", ["mine"]),
        ("appraiser", ["mine"]),
        ("appraiser2", ["mine"]),
        ("officer", ["mine"]),
        ("leader2", ["mine"]),
        ("officer3", []),
        ("foreign_secretariat", ["theirs"]),
        ("outsider", []),
        ("anonymous", []),
    ],
)
def test_visible_cycles_by_role(people, cycle, other_cycle, name, sees):
    names = {cycle.pk: "mine", other_cycle.pk: "theirs"}
    visible = access.visible_cycles(person(people, name))
    assert sorted(names[c.pk] for c in visible) == sees


def test_a_person_with_roles_in_both_bodies_sees_both(people, cycle, other_cycle):
    Membership.objects.create(user=people.officer, role=Role.SECRETARIAT, body=other_cycle.body)
    assert set(access.visible_cycles(people.officer)) == {cycle, other_cycle}
    assert access.cycle_for_secretariat(people.officer, other_cycle.pk) == other_cycle
    with pytest.raises(PermissionDenied):
        access.cycle_for_secretariat(people.officer, cycle.pk)


def test_a_unit_member_sees_each_cycle_once(people, cycle, assessment):
    Membership.objects.create(user=people.officer, role=Role.LEADER, unit=assessment.unit)
    assert list(access.visible_cycles(people.officer)) == [cycle]
    assert access.is_unit_member(people.officer, assessment)
