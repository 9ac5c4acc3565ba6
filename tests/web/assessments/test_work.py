"""The "my work" page: what the logged-in user takes part in, role by role."""

import pytest

from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services

from .helpers import fill_all, save

pytestmark = pytest.mark.django_db


def links(page):
    return [a.attrs["href"] for a in page.find_all("a")]


def test_it_lists_the_officers_unit_assessments_with_progress(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    client.force_login(w.officer)
    r = client.get("/work/")
    assert r.status_code == 200
    page = parse(r.content)
    table = page.find("table", id="unit-work").text
    assert "Chỉ số CCHC 2026 (thử)" in table and "Xã Một" in table
    assert "1 / 16" in table
    assert "Cán bộ đầu mối" in table
    assert f"/assessments/{w.assessment.pk}/" in links(page)
    assert f"/assessments/{w.other.pk}/" not in links(page)
    assert page.find_all("table", id="appraisal-work") == []
    assert page.find_all("table", id="secretariat-work") == []


def test_it_lists_the_leaders_unit_with_its_status(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.leader)
    table = parse(client.get("/work/").content).find("table", id="unit-work").text
    assert "Lãnh đạo đơn vị" in table
    assert "16 / 16" in table
    assert str(w.assessment.__class__.Status.SUBMITTED.label) in table


def test_it_lists_the_appraisers_assigned_units(client, parse, w):
    client.force_login(w.appraiser)
    page = parse(client.get("/work/").content)
    assert "Xã Một" in page.find("table", id="appraisal-work").text
    assert f"/appraisal/{w.assessment.pk}/" in links(page)
    assert f"/appraisal/{w.other.pk}/" not in links(page)


def test_it_lists_the_secretariats_cycles(client, parse, w):
    client.force_login(w.secretariat)
    page = parse(client.get("/work/").content)
    table = page.find("table", id="secretariat-work").text
    assert "Chỉ số CCHC 2026 (thử)" in table
    assert "0 / 2" in table
    assert f"/cycles/{w.cycle.pk}/" in links(page)


def test_it_shows_every_role_of_a_user_with_several(client, parse, w):
    Membership.objects.create(user=w.secretariat, role=Role.APPRAISER, body=w.body)
    w.cycle.assignments.create(appraiser=w.secretariat, unit=w.other_unit)
    client.force_login(w.secretariat)
    page = parse(client.get("/work/").content)
    assert page.find("table", id="secretariat-work")
    assert "Xã Hai" in page.find("table", id="appraisal-work").text


def test_it_tells_an_outsider_they_have_no_role(client, parse, w):
    client.force_login(w.outsider)
    page = parse(client.get("/work/").content)
    assert page.find("p", class_="notice").text
    assert page.find_all("table") == []


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    r = client.get("/work/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_the_navigation_links_to_it_when_logged_in(client, parse, w):
    assert "/work/" not in links(parse(client.get("/").content))
    client.force_login(w.officer)
    nav = parse(client.get("/").content).find("nav", class_="site-nav")
    assert "Việc của tôi" in nav.text
    page = parse(client.get("/work/").content)
    assert page.find("a", href="/work/", **{"aria-current": "page"})


def test_logging_in_leads_here(client, w):
    w.officer.set_password("correct horse")
    w.officer.save()
    r = client.post("/accounts/login/", {"username": "canbo", "password": "correct horse"})
    assert r["Location"] == "/work/"


def _shown(when) -> str:
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    with translation.override("vi"):
        return date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")


def test_a_unit_in_a_cycle_in_preparation_is_not_started(client, parse, w):
    from parindex_web.cycles.models import Cycle, Phase

    Cycle.objects.filter(pk=w.cycle.pk).update(phase=Phase.DRAFT)
    client.force_login(w.officer)
    table = parse(client.get("/work/").content).find("table", id="unit-work").text
    assert "Chưa mở" in table
    assert "Đang thực hiện" not in table


def test_the_deadline_column_shows_the_current_phases_deadline(client, parse, w):
    from datetime import timedelta

    from parindex_web.cycles.models import Cycle, Phase

    due = w.cycle.self_assessment_due + timedelta(days=20)
    Cycle.objects.filter(pk=w.cycle.pk).update(phase=Phase.APPRAISAL, appraisal_due=due)
    client.force_login(w.officer)
    table = parse(client.get("/work/").content).find("table", id="unit-work").text
    assert _shown(due) in table
    assert _shown(w.cycle.self_assessment_due) not in table


@pytest.mark.parametrize("phase", ["finalised", "published"])
def test_a_closed_cycle_shows_no_deadline(client, parse, w, phase):
    from parindex_web.cycles.models import Cycle

    Cycle.objects.filter(pk=w.cycle.pk).update(phase=phase)
    client.force_login(w.officer)
    table = parse(client.get("/work/").content).find("table", id="unit-work").text
    assert _shown(w.cycle.self_assessment_due) not in table
    assert "—" in table
