"""GET /api/assessments, /api/assessments/{id} and its entries: for those with a role over
the assessment (secretariat, assigned appraiser, unit officer or leader)."""

from __future__ import annotations

import pytest
from world import entry_of

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Phase

from .conftest import YES_NO_LEAF, assert_error


@pytest.mark.django_db
def test_it_lists_the_assessments_each_role_takes_part_in(api, people, cycle):
    def units(user):
        items = api("get", "/api/assessments", user).json()["items"]
        return sorted((a["unit"]["code"], tuple(a["roles"])) for a in items)

    assert units(people.secretariat) == [("xa-1", ("secretariat",)), ("xa-2", ("secretariat",))]
    assert units(people.appraiser) == [("xa-1", ("appraiser",))]
    assert units(people.officer) == [("xa-1", ("officer",))]
    assert units(people.leader) == [("xa-1", ("leader",))]
    assert units(people.foreign_secretariat) == []


@pytest.mark.django_db
def test_an_assessment_shows_its_cycle_and_status(api, people, assessment):
    data = api("get", f"/api/assessments/{assessment.pk}", people.officer).json()
    assert data["unit"] == {"code": "xa-1", "name": "Xã Đông Hòa"}
    assert data["cycle"]["id"] == assessment.cycle_id
    assert data["cycle"]["phase"] == "draft"
    assert data["status"] == "draft"
    assert data["roles"] == ["officer"]


@pytest.mark.django_db
def test_entries_are_the_leaves_in_methodology_order(api, people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    data = api("get", f"/api/assessments/{assessment.pk}/entries", people.officer).json()
    core = cycle.core()
    assert data["count"] == len(core.leaves)
    assert [e["code"] for e in data["items"]] == [leaf.code for leaf in core.leaves]
    first = data["items"][0]
    leaf = core.leaves[0]
    assert first["name"] == leaf.name
    assert first["source"] == "appraisal"
    assert first["input_fields"] == list(leaf.rule.fields())
    assert first["version"] == 0 and first["self_points"] is None
    one = api("get", f"/api/assessments/{assessment.pk}/entries/{leaf.code}", people.officer)
    assert one.json() == first


@pytest.mark.parametrize("role", ["secretariat", "appraiser", "officer", "leader"])
@pytest.mark.django_db
def test_every_role_over_the_assessment_reads_its_entries(api, people, assessment, role):
    r = api("get", f"/api/assessments/{assessment.pk}/entries", getattr(people, role))
    assert r.status_code == 200


@pytest.mark.parametrize("role", ["foreign_secretariat", "appraiser2", "officer2"])
@pytest.mark.django_db
def test_others_do_not_find_the_assessment(api, people, assessment, role):
    user = getattr(people, role)
    for url in (
        f"/api/assessments/{assessment.pk}",
        f"/api/assessments/{assessment.pk}/entries",
        f"/api/assessments/{assessment.pk}/evidence",
    ):
        assert_error(api("get", url, user), 404, "not_found")


@pytest.mark.django_db
def test_anonymous_callers_are_refused(api, assessment):
    assert_error(api("get", f"/api/assessments/{assessment.pk}/entries"), 401, "unauthenticated")


@pytest.mark.django_db
def test_the_unit_sees_appraised_scores_from_the_explanation_phase(
    api, people, cycle, assessment, run_to
):
    run_to(cycle, Phase.APPRAISAL)
    entry = entry_of(assessment, YES_NO_LEAF)
    services.appraise(people.appraiser, entry, points=0, reason="Thiếu", version=entry.version)
    url = f"/api/assessments/{assessment.pk}/entries/{YES_NO_LEAF}"
    assert api("get", url, people.appraiser).json()["appraised_points"] == "0"
    assert api("get", url, people.secretariat).json()["appraisal_reason"] == "Thiếu"
    hidden = api("get", url, people.officer).json()
    assert hidden["appraised_points"] is None and hidden["appraisal_reason"] is None
    cycle.phase = Phase.EXPLANATION
    cycle.save(update_fields=["phase"])
    shown = api("get", url, people.officer).json()
    assert (shown["appraised_points"], shown["appraisal_reason"]) == ("0", "Thiếu")


@pytest.mark.django_db
def test_an_unknown_leaf_is_not_found(api, people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    url = f"/api/assessments/{assessment.pk}/entries/9.9.9"
    assert_error(api("get", url, people.officer), 404, "not_found")
    assert parindex  # the core is the source of leaf order
