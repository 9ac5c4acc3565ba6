"""The unit's own self-assessment page after the appraisal: appraised points and reasons beside
the self-assessed ones, and in the explanation phase a direct link to explain each difference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parindex_web.cycles import services

from .conftest import LOWERED

pytestmark = pytest.mark.django_db


def detail(client, parse, world, user):
    client.force_login(user)
    r = client.get(f"/assessments/{world.assessment.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    return parse(r.content)


def test_nothing_of_the_appraisal_shows_before_it_is_completed(client, parse, world):
    world.appraise_all()
    page = detail(client, parse, world, world.officer)
    assert page.find_all("dd", class_="appraised__points") == []
    assert page.find_all("a", class_="button button--secondary explain-link") == []


def test_the_officer_and_leader_see_the_appraised_points_and_reason(client, parse, world):
    world.appraise_all()
    services.complete_appraisal(world.appraiser, world.assessment)
    for user in (world.officer, world.leader):
        page = detail(client, parse, world, user)
        points = page.find_all("dd", class_="appraised__points")
        assert len(points) == len(world.appraisal_entries())
        assert [r.text for r in page.find_all("dd", class_="appraised__reason")] == [
            "Thiếu tài liệu kiểm chứng"
        ]
        assert (
            "1 criterion has a different appraised score"
            in page.find("p", id="appraisal-done").text
        )


def test_in_the_explanation_phase_each_difference_links_to_its_explanation(client, parse, world):
    world.to_explanation_phase()
    world.cycle.explanation_due = timezone.now() + timedelta(days=5)
    world.cycle.save(update_fields=["explanation_due"])
    page = detail(client, parse, world, world.officer)
    entry = world.entry(LOWERED)
    links = page.find_all("a", class_="button button--secondary explain-link")
    assert [a.attrs["href"] for a in links] == [
        f"/appraisal/{world.assessment.pk}/explanations/#leaf-{entry.pk}"
    ]
    due = page.find("div", id="explanations-due").text
    assert "1 criterion with a different appraised score awaits an explanation" in due
    assert "Explanations are due by" in due
    target = parse(client.get(links[0].attrs["href"].split("#")[0]).content)
    assert target.find("section", id=f"leaf-{entry.pk}")


def test_an_explained_difference_no_longer_awaits(client, parse, world):
    world.to_explanation_phase()
    entry = world.entry(LOWERED)
    entry.assessment = world.assessment
    services.explain(world.officer, entry, text="Đã có kế hoạch")
    page = detail(client, parse, world, world.officer)
    assert "0 criteria" in page.find("div", id="explanations-due").text


def test_the_explanation_page_leads_the_unit_back_to_its_assessment(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/explanations/").content)
    hrefs = [a.attrs["href"] for a in page.find_all("a")]
    assert f"/assessments/{world.assessment.pk}/" in hrefs
