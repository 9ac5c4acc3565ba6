"""The unit's explanations page: differences from the self-assessment and a reply per leaf."""

from __future__ import annotations

import pytest

from parindex_web.cycles import services

from .conftest import LOWERED, app_forms

pytestmark = pytest.mark.django_db


def url(world):
    return f"/appraisal/{world.assessment.pk}/explanations/"


def leaf_ids(page):
    return [
        e.attrs["id"] for e in page.find_all("section") if e.attrs.get("id", "").startswith("leaf-")
    ]


def test_the_officer_sees_the_differences_with_a_form(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    r = client.get(url(world))
    assert r.status_code == 200
    page = parse(r.content)
    lowered = world.entry(LOWERED)
    assert leaf_ids(page) == [f"leaf-{lowered.pk}"]
    section = page.find("section", id=f"leaf-{lowered.pk}")
    assert "Thiếu tài liệu kiểm chứng" in section.text
    assert page.find("td", class_="num appraised").text == "0,00"
    assert page.find("td", class_="num counts").text == "0,00"
    assert [f.attrs["action"] for f in app_forms(page)] == [
        f"/appraisal/{world.assessment.pk}/explanations/{lowered.pk}/"
    ]
    assert app_forms(page)[0].attrs["enctype"] == "multipart/form-data"


def test_it_can_show_every_appraised_leaf(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.officer)
    page = parse(client.get(url(world) + "?all=1").content)
    assert len(leaf_ids(page)) == len(world.appraisal_entries())
    assert len(app_forms(page)) == len(world.appraisal_entries())


def test_it_shows_nothing_before_the_appraisal_is_complete(client, parse, world):
    world.appraise_all()
    client.force_login(world.officer)
    page = parse(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content)
    assert leaf_ids(page) == []
    assert "not complete yet" in page.find("p", class_="notice").text


def test_it_shows_results_without_forms_before_the_explanation_phase(client, parse, world):
    world.appraise_all()
    services.complete_appraisal(world.appraiser, world.assessment)
    client.force_login(world.officer)
    page = parse(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content)
    assert leaf_ids(page) == [f"leaf-{world.entry(LOWERED).pk}"]
    assert app_forms(page) == []
    assert "not possible in the current phase" in page.find("p", id="closed").text


def test_it_shows_the_decision_and_the_points_that_count(client, parse, world):
    world.to_explanation_phase()
    entry = world.entry(LOWERED)
    x = services.explain(world.officer, entry, text="Đã có kế hoạch")
    services.decide(world.appraiser, x, accept=True, points=None, reason="Chấp nhận")
    client.force_login(world.officer)
    page = parse(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content)
    section = page.find("section", id=f"leaf-{entry.pk}")
    assert "Accepted: 1.00 points count." in section.text
    assert "Chấp nhận" in section.text
    assert page.find("td", class_="num counts").text == "1.00"


def test_the_leader_secretariat_and_appraiser_read_it_without_forms(client, parse, world):
    world.to_explanation_phase()
    x = services.explain(world.officer, world.entry(LOWERED), text="Đã có kế hoạch")
    for user in (world.leader, world.secretariat, world.appraiser):
        client.force_login(user)
        r = client.get(url(world))
        assert r.status_code == 200
        page = parse(r.content)
        assert app_forms(page) == []
        links = page.find_all("a", href=f"/appraisal/explanations/{x.pk}/decide")
        assert bool(links) == (user == world.appraiser)


def test_it_hides_the_assessment_from_an_unassigned_appraiser_and_another_body(client, world):
    world.to_explanation_phase()
    for user in (world.colleague, world.outsider):
        client.force_login(user)
        assert client.get(url(world)).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, world):
    r = client.get(url(world))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
