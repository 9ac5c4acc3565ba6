"""The self-assessment page: the methodology tree with each leaf's form, and the progress."""

from decimal import Decimal

import pytest

from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle

from .helpers import entry, fill_all, past_deadline, pdf, refusal, save

pytestmark = pytest.mark.django_db


def url(assessment):
    return f"/assessments/{assessment.pk}/"


def test_it_shows_the_tree_with_a_form_per_self_assessed_leaf(client, parse, w):
    client.force_login(w.officer)
    r = client.get(url(w.assessment))
    assert r.status_code == 200
    page = parse(r.content)
    assert "Xã Một" in page.find("h1").text
    assert "Công tác chỉ đạo" in page.find("h2", class_="node node--1").text
    forms = page.find_all("form", class_="leaf-form")
    core = w.cycle.core()
    appraisal = [n.code for n in core.leaves if core.source_of(n.code).value == "appraisal"]
    assert len(forms) == len(appraisal) == 16
    e = entry(w.assessment, "1.1.1")
    first = forms[0]
    assert first.attrs["action"] == f"/assessments/{w.assessment.pk}/entries/1.1.1/"
    assert first.attrs["data-preview-url"].endswith("/entries/1.1.1/preview")
    assert page.find("input", name=f"e{e.pk}-version").attrs["value"] == "0"
    leaf = page.find("article", id="leaf-1.1.2")
    assert "có: tối đa; không: 0" in leaf.text  # the rule, in Vietnamese
    assert "1880/QĐ-UBND" in leaf.text  # the criterion's legal basis
    assert len(page.find_all("input", name="next", value="detail")) == 16


def test_it_shows_survey_and_data_leaves_read_only(client, parse, w):
    services.set_external_points(w.secretariat, w.cycle, {("x01", "2.2.1"): Decimal("8")})
    client.force_login(w.officer)
    page = parse(client.get(url(w.assessment)).content)
    leaf = page.find("article", id="leaf-2.2.1")
    assert "leaf--external" in leaf.attrs["class"]
    assert "8,00" in leaf.text
    assert "4.1.2" in page.find("article", id="leaf-4.1.2").text
    assert page.find_all("form", action=f"/assessments/{w.assessment.pk}/entries/2.2.1/") == []


def test_it_shows_the_progress(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    save(w, "1.1.4", {"percent": "95"})
    e = entry(w.assessment, "1.1.4")
    services.add_evidence(w.officer, w.assessment, pdf(), doc_number="12/KH-UBND", entry=e)
    client.force_login(w.leader)
    page = parse(client.get(url(w.assessment)).content)
    assert page.find("dd", **{"data-progress": "done"}).text == "2 / 16"
    assert page.find("dd", **{"data-progress": "evidence"}).text == "1 / 16"
    assert page.find("dd", **{"data-progress": "points"}).text == "2,50 / 40,00"
    bar = page.find("progress", id="progress-bar")
    assert (bar.attrs["value"], bar.attrs["max"]) == ("2", "16")


def test_it_shows_the_leader_the_input_read_only(client, parse, w):
    save(w, "1.1.1", {"level": "late"}, note="Kế hoạch ban hành muộn")
    client.force_login(w.leader)
    page = parse(client.get(url(w.assessment)).content)
    assert page.find_all("form", class_="leaf-form") == []
    leaf = page.find("article", id="leaf-1.1.1").text
    assert "Ban hành không kịp thời" in leaf and "0,50" in leaf and "ban hành muộn" in leaf
    assert page.find("p", id="read-only").text
    links = [a.attrs["href"] for a in page.find_all("a")]
    assert f"/assessments/{w.assessment.pk}/review/" in links
    assert f"/assessments/{w.assessment.pk}/workbook" not in links


def test_it_offers_the_officer_the_workbook_upload(client, parse, w):
    client.force_login(w.officer)
    links = [a.attrs["href"] for a in parse(client.get(url(w.assessment)).content).find_all("a")]
    assert f"/assessments/{w.assessment.pk}/workbook" in links
    assert f"/assessments/{w.assessment.pk}/workbook.xlsx" in links


def test_it_is_read_only_after_sign_off_and_says_why(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.officer)
    page = parse(client.get(url(w.assessment)).content)
    assert page.find_all("form", class_="leaf-form") == []
    assert page.find("p", id="read-only").text == refusal(w.assessment)


def test_it_is_read_only_after_the_deadline(client, parse, w):
    past_deadline(w)
    client.force_login(w.officer)
    page = parse(client.get(url(w.assessment)).content)
    assert page.find_all("form", class_="leaf-form") == []
    assert page.find("p", id="read-only").text == refusal(w.assessment)


def test_it_says_when_the_self_assessment_has_not_opened(client, parse, w):
    cycle = Cycle.objects.create(
        body=w.body, year=2027, name="Chỉ số 2027", methodology=w.cycle.methodology
    )
    assessment = Assessment.objects.create(cycle=cycle, unit=w.unit)
    client.force_login(w.officer)
    r = client.get(url(assessment))
    assert r.status_code == 200
    assert parse(r.content).find_all("form", class_="leaf-form") == []


def test_it_lets_the_secretariat_and_the_assigned_appraiser_view(client, w):
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.get(url(w.assessment)).status_code == 200


def test_it_hides_the_page_from_everyone_else(client, w):
    for user in (w.appraiser2, w.other_officer, w.other_leader, w.outsider):
        client.force_login(user)
        assert client.get(url(w.assessment)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    r = client.get(url(w.assessment))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
