"""Appraising one leaf: accept the self-assessed points or set a score with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from parindex_web.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def post(client, world, code, **data):
    entry = world.entry(code)
    fields = {"version": entry.version, "points": "", "reason": "", "action": "set", **data}
    payload = {f"e{entry.pk}-{k}": v for k, v in fields.items()}
    return client.post(
        f"/appraisal/{world.assessment.pk}/entries/{entry.pk}/appraise",
        payload,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_it_accepts_the_self_assessed_points(client, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.1", action="accept")
    entry = world.entry("1.1.1")
    assert r.status_code == 302
    assert r["Location"] == f"/appraisal/{world.assessment.pk}/#leaf-{entry.pk}"
    assert entry.appraised_points == entry.self_points == Decimal(1)
    assert entry.appraised_by == world.appraiser


def test_it_sets_a_lower_score_with_a_reason_and_a_decimal_comma(client, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.4", points="1,5", reason="Chưa hoàn thành kế hoạch")
    assert r.status_code == 302
    entry = world.entry("1.1.4")
    assert entry.appraised_points == Decimal("1.5")
    assert entry.appraisal_reason == "Chưa hoàn thành kế hoạch"
    assert AuditRecord.objects.filter(action="entry.appraised_points", code="1.1.4").exists()


def test_it_requires_a_reason_when_the_score_differs(client, parse, described, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.4", points="1")
    assert r.status_code == 400
    described(parse(r.content))
    entry = world.entry("1.1.4")
    form = parse(r.content).find(
        "form", action=f"/appraisal/{world.assessment.pk}/entries/{entry.pk}/appraise"
    )
    assert "Give a reason" in form.text
    assert entry.appraised_points is None


def test_it_asks_for_points_when_setting_a_score(client, parse, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.4", points="")
    assert r.status_code == 400
    assert "Enter the appraised points" in parse(r.content).find("main").text
    assert world.entry("1.1.4").appraised_points is None


def test_it_refuses_points_above_the_maximum(client, parse, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.4", points="3", reason="x")
    assert "between 0 and 2" in parse(r.content).find("main").text
    assert world.entry("1.1.4").appraised_points is None


def test_it_shows_both_versions_on_a_conflict(client, parse, world):
    entry = world.entry("1.1.4")
    stale = entry.version
    world.cycle.assignments.create(appraiser=world.colleague, unit=world.unit)  # a second one
    client.force_login(world.colleague)
    post(client, world, "1.1.4", points="1", reason="Báo cáo chưa đủ")
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.4", version=stale, points="0", reason="Không có báo cáo")
    assert r.status_code == 409
    page = parse(r.content)
    theirs = page.find("tr", class_="conflict__theirs").text
    mine = page.find("tr", class_="conflict__mine").text
    assert "1.00" in theirs and "Báo cáo chưa đủ" in theirs
    assert "0.00" in mine and "Không có báo cáo" in mine
    fresh = world.entry("1.1.4")
    assert fresh.appraised_points == Decimal(1)  # nothing overwritten
    # the form keeps my input and carries the new version, so sending again applies it
    assert page.find("input", name=f"e{entry.pk}-version").attrs["value"] == str(fresh.version)
    assert page.find("input", name=f"e{entry.pk}-points").attrs["value"] == "0"
    r = post(client, world, "1.1.4", points="0", reason="Không có báo cáo")
    assert r.status_code == 302
    assert world.entry("1.1.4").appraised_points == 0


def test_it_refuses_in_the_explanation_phase(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.1", points="0,5", reason="muộn")
    assert "not possible in the current phase" in parse(r.content).find("main").text
    assert world.entry("1.1.1").appraised_points == Decimal(1)


def test_it_refuses_after_the_deadline(client, parse, world):
    world.cycle.appraisal_due = timezone.now() - timezone.timedelta(hours=1)
    world.cycle.save()
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.1", action="accept")
    form = parse(r.content).find("form", class_="stacked-form appraise-form")
    assert "The deadline of this phase passed" in form.text
    assert world.entry("1.1.1").appraised_points is None


def test_it_refuses_a_leaf_scored_from_data(client, world):
    client.force_login(world.appraiser)
    assert post(client, world, "2.2.1", points="5", reason="x").status_code == 404


def test_it_refuses_the_unit_officer_and_the_secretariat(client, world):
    for user in (world.officer, world.secretariat):
        client.force_login(user)
        assert post(client, world, "1.1.1", action="accept").status_code == 403
    assert world.entry("1.1.1").appraised_points is None


def test_it_refuses_an_unassigned_appraiser_and_another_body(client, world):
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        assert post(client, world, "1.1.1", action="accept").status_code == 404
    assert world.entry("1.1.1").appraised_points is None


def test_it_sends_anonymous_users_to_log_in(client, world):
    r = post(client, world, "1.1.1", action="accept")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_only_accepts_post(client, world):
    client.force_login(world.appraiser)
    entry = world.entry("1.1.1")
    r = client.get(f"/appraisal/{world.assessment.pk}/entries/{entry.pk}/appraise")
    assert r.status_code == 405
