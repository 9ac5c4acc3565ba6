"""The appraiser's list of assigned units per cycle, with progress."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from parindex_web.cycles.models import Assignment

pytestmark = pytest.mark.django_db


def test_it_lists_the_assignments_with_progress(client, parse, world):
    world.appraise_all()
    client.force_login(world.appraiser)
    r = client.get("/appraisal/")
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("h2").text == world.cycle.name
    row = page.find("table", class_="assignments").text
    total = len(world.appraisal_entries())
    assert f"{total} / {total}" in row
    link = page.find("a", href=f"/appraisal/{world.assessment.pk}/")
    assert link.text == "Xã Thử"
    cells = [td.text for td in page.find_all("td", class_="num")]
    assert cells == [f"{total} / {total}", "1", "0"]


def test_it_shows_a_unit_member_the_way_to_their_results(client, parse, world):
    client.force_login(world.officer)
    page = parse(client.get("/appraisal/").content)
    assert page.find("a", href=f"/appraisal/{world.assessment.pk}/explanations/")
    assert not page.find_all("table")


def test_it_lists_nothing_for_an_unassigned_appraiser(client, parse, world):
    client.force_login(world.colleague)
    page = parse(client.get("/appraisal/", HTTP_ACCEPT_LANGUAGE="en").content)
    assert "no appraisal assignments" in page.find("main").text
    assert not page.find_all("a", href=f"/appraisal/{world.assessment.pk}/")


def test_it_ignores_an_assignment_outside_the_users_bodies(client, parse, world):
    Assignment.objects.create(cycle=world.cycle, appraiser=world.outsider, unit=world.unit)
    client.force_login(world.outsider)
    page = parse(client.get("/appraisal/").content)
    assert not page.find_all("a", href=f"/appraisal/{world.assessment.pk}/")


def test_it_works_for_a_user_without_any_role(client, db):
    client.force_login(get_user_model().objects.create_user("khach"))
    assert client.get("/appraisal/").status_code == 200


def test_it_sends_anonymous_users_to_log_in(client, db):
    r = client.get("/appraisal/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
