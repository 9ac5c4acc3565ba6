"""Each rule enforced once, inside the services: who may appraise which leaf, the points range,
publication's phase change, and the field each refusal names (``CycleError.field``)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from world import entry_of

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Entry, Phase, Publication
from parindex_web.cycles.services import CycleError, InputRefused
from parindex_web.lib.refusals import show_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraising(flow):
    flow.to_appraisal()
    return flow


def appraise(user, entry, points="5", reason="Đủ tài liệu"):
    return services.appraise(
        user, entry, points=Decimal(points), reason=reason, version=entry.version
    )


# --- who may appraise which leaf -----------------------------------------------------------------


def test_appraising_a_leaf_scored_from_surveys_is_refused_by_appraise_itself(
    appraising, assessment
):
    entry = entry_of(assessment, "4.1.1")
    with pytest.raises(CycleError) as refused:
        appraise(appraising.appraiser_of(assessment), entry, "1")
    assert (refused.value.field, refused.value.code) == ("code", "not_appraised")
    assert "điều tra xã hội học" in str(refused.value)
    assert entry_of(assessment, "4.1.1").appraised_points is None


def test_an_appraiser_not_assigned_to_the_unit_cannot_appraise_it(
    appraising, assessment, assessment2
):
    other = appraising.appraiser_of(assessment2)
    entry = entry_of(assessment, "3.1.1")
    with pytest.raises(CycleError) as refused:
        appraise(other, entry)
    assert refused.value.code == "not_assigned"
    assert entry_of(assessment, "3.1.1").appraised_points is None
    assert not AuditRecord.objects.filter(action="entry.appraised_points").exists()


def test_the_assigned_appraiser_may_appraise(appraising, assessment):
    saved = appraise(appraising.appraiser_of(assessment), entry_of(assessment, "3.1.1"))
    assert saved.appraised_points == 5


# --- one points-range check ----------------------------------------------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(points=st.decimals(min_value=-20, max_value=20, places=2, allow_nan=False))
def test_points_are_accepted_exactly_between_zero_and_the_leafs_maximum(methodology_core, points):
    # 3.1.1 is worth 5 points
    if Decimal(0) <= points <= 5:
        assert services.checked_points(methodology_core, "3.1.1", points) == points
    else:
        with pytest.raises(InputRefused) as refused:
            services.checked_points(methodology_core, "3.1.1", points)
        assert (refused.value.field, refused.value.code) == ("points", "points_range")
        assert "5" in str(refused.value)


def test_no_points_at_all_are_refused_on_the_points_field(methodology_core):
    with pytest.raises(InputRefused) as refused:
        services.checked_points(methodology_core, "3.1.1", None)
    assert refused.value.field == "points"


@pytest.fixture
def methodology_core(cycle):
    return cycle.core()


def test_a_decision_with_points_above_the_maximum_is_refused_on_the_points_field(flow, assessment):
    flow.to_explanation({"3.1.1": Decimal("2.5")})
    explanation = services.explain(
        flow.people.officer, entry_of(assessment, "3.1.1"), text="Đã áp dụng ISO"
    )
    with pytest.raises(InputRefused) as refused:
        services.decide(
            flow.appraiser_of(assessment),
            explanation,
            accept=True,
            points=Decimal("5.5"),
            reason="Đồng ý",
        )
    assert refused.value.field == "points"


def test_a_correction_above_the_maximum_is_refused_on_the_points_field(flow):
    flow.to_finalised()
    with pytest.raises(InputRefused) as refused:
        services.correct_final_points(
            flow.people.secretariat,
            flow.cycle,
            unit_code="xa-1",
            code="1.1.1",
            points=Decimal("1.5"),
            reason="Sai số liệu",
        )
    assert refused.value.field == "points"


def test_survey_points_above_the_maximum_are_refused_with_the_same_check(flow, cycle):
    flow.open()
    maximum = cycle.core().by_code["4.1.1"].max_points
    with pytest.raises(CycleError, match=r"xa-1 / 4\.1\.1"):
        services.set_external_points(
            flow.people.secretariat, flow.cycle, {("xa-1", "4.1.1"): maximum + Decimal("0.01")}
        )
    assert services.set_external_points(
        flow.people.secretariat, flow.cycle, {("xa-1", "4.1.1"): maximum}
    )


# --- publication changes the phase like every other phase change --------------------------------


def test_a_publication_from_a_stale_copy_is_refused_as_a_phase_change_is(flow):
    flow.to_finalised()
    mine = Cycle.objects.get(pk=flow.cycle.pk)
    theirs = Cycle.objects.get(pk=flow.cycle.pk)
    services.publish(flow.people.secretariat, theirs)
    with pytest.raises(CycleError, match="vừa chuyển giai đoạn"):
        services.publish(flow.people.secretariat, mine, "Bản của tôi")
    assert list(Publication.objects.values_list("version", flat=True)) == [1]


def test_the_first_publication_audits_the_phase_change(flow):
    flow.to_finalised()
    services.publish(flow.people.secretariat, flow.cycle)
    moves = AuditRecord.objects.filter(action="cycle.phase").order_by("pk")
    assert (moves.last().old_value, moves.last().new_value) == (Phase.FINALISED, Phase.PUBLISHED)
    services.publish(flow.people.secretariat, flow.cycle, "Sửa điểm")  # no phase change again
    assert AuditRecord.objects.filter(action="cycle.phase").count() == moves.count()


# --- each refusal names its field ----------------------------------------------------------------


def test_a_missing_reason_for_reopening_names_the_reason(flow, assessment):
    flow.open()
    flow.submit(assessment)
    with pytest.raises(CycleError) as refused:
        services.reopen(flow.people.secretariat, assessment, " ")
    assert refused.value.field == "reason"


def test_a_send_back_without_a_comment_names_the_comment(flow, assessment):
    flow.open()
    with pytest.raises(CycleError) as refused:
        services.send_back(flow.leader_of(assessment), assessment, " ")
    assert refused.value.field == "comment"


def test_deadlines_out_of_order_name_the_first_deadline_that_is_too_early(flow):
    now = timezone.now()
    with pytest.raises(CycleError) as refused:
        services.set_deadlines(
            flow.people.secretariat,
            flow.cycle,
            self_assessment_due=now + timedelta(days=10),
            appraisal_due=now + timedelta(days=5),
        )
    assert refused.value.field == "appraisal_due"


def test_every_problem_of_a_rules_input_is_on_the_field_it_names(flow, assessment):
    flow.open()
    with pytest.raises(InputRefused) as refused:
        services.score_input(flow.cycle, "1.1.4", {"percent": "120"})
    assert refused.value.field == "percent"
    assert [field for field, _message in refused.value.problems] == ["percent"]
    assert str(refused.value).startswith("percent: ")


class _Reason(forms.Form):
    reason = forms.CharField(required=False)


def test_a_form_shows_a_refusal_on_its_field_or_on_the_whole_form():
    form = _Reason({"reason": ""})
    assert form.is_valid()
    show_refusal(form, CycleError("Give a reason.", "reason"))
    show_refusal(form, CycleError("Not here.", "code"))  # not a field of this form
    show_refusal(form, CycleError("Closed."))
    assert form.errors["reason"] == ["Give a reason."]
    assert form.non_field_errors() == ["Not here.", "Closed."]


def test_entries_left_unchanged_by_a_refused_appraisal_keep_their_version(appraising, assessment):
    entry = entry_of(assessment, "3.1.1")
    with pytest.raises(InputRefused):
        appraise(appraising.appraiser_of(assessment), entry, "9")
    assert Entry.objects.get(pk=entry.pk).version == entry.version
