"""The appraisal page: the self-assessment beside the appraisal form, per leaf."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from parindex_web.cycles.models import Entry, Evidence

from .conftest import LOWERED, app_forms

pytestmark = pytest.mark.django_db


def url(world):
    return f"/appraisal/{world.assessment.pk}/"


def test_it_shows_every_appraisal_leaf_with_a_form(client, parse, world):
    client.force_login(world.appraiser)
    r = client.get(url(world))
    assert r.status_code == 200
    page = parse(r.content)
    leaves = [e for e in page.find_all("section") if e.attrs.get("id", "").startswith("leaf-")]
    assert len(leaves) == len(world.appraisal_entries())
    assert len(app_forms(page, "/appraise")) == len(leaves)
    entry = world.entry("1.1.1")
    assert page.find("input", name=f"e{entry.pk}-version").attrs["value"] == str(entry.version)
    assert page.find("form", action=f"/appraisal/{world.assessment.pk}/complete")


def test_it_shows_the_input_in_words(client, parse, world):
    client.force_login(world.appraiser)
    page = parse(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content)
    text = page.find("section", id=f"leaf-{world.entry('1.1.1').pk}").text
    assert "Ban hành kịp thời" in text  # the level's label, not its key
    assert "Yes" in page.find("section", id=f"leaf-{world.entry('1.1.2').pk}").text
    assert (
        "10 achieved of 10 planned"
        in page.find("section", id=f"leaf-{world.entry('1.4.1').pk}").text
    )


def test_it_lists_the_evidence_with_a_download_link(client, parse, world):
    entry = world.entry("1.1.1")
    evidence = Evidence.objects.create(
        assessment=world.assessment,
        file="evidence/ab/cd/abcd",
        sha256="abcd",
        size=13,
        content_type="application/pdf",
        original_name="kh.pdf",
        doc_number="12/KH-UBND",
        doc_date=date(2025, 1, 15),
        issuer="UBND xã Thử",
    )
    entry.evidence.add(evidence)
    client.force_login(world.appraiser)
    page = parse(client.get(url(world)).content)
    section = page.find("section", id=f"leaf-{entry.pk}")
    assert "12/KH-UBND" in section.text
    assert "15/01/2025" in section.text
    assert "UBND xã Thử" in section.text
    link = page.find("a", href=f"/assessments/evidence/{evidence.pk}/download")
    assert link.text == "12/KH-UBND"


def test_the_secretariat_reads_it_without_forms(client, parse, world):
    client.force_login(world.secretariat)
    r = client.get(url(world))
    assert r.status_code == 200
    assert app_forms(parse(r.content)) == []


def test_it_is_read_only_outside_the_appraisal_phase(client, parse, world):
    world.to_explanation_phase()
    client.force_login(world.appraiser)
    page = parse(client.get(url(world)).content)
    assert app_forms(page, "/appraise") == []
    assert page.find("p", id="closed")


def test_it_says_when_the_deadline_has_passed(client, parse, world):
    world.cycle.appraisal_due = timezone.now() - timezone.timedelta(days=1)
    world.cycle.save()
    client.force_login(world.appraiser)
    page = parse(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en").content)
    assert "deadline" in page.find("p", id="closed").text
    assert app_forms(page, "/appraise") == []


def test_it_marks_the_leaves_that_differ(client, parse, world):
    world.appraise_all()
    client.force_login(world.appraiser)
    page = parse(client.get(url(world)).content)
    lowered = page.find("section", id=f"leaf-{world.entry(LOWERED).pk}")
    assert "leaf--differs" in lowered.attrs["class"]
    assert "Thiếu tài liệu kiểm chứng" in lowered.text
    assert Entry.objects.filter(assessment=world.assessment, appraised_points=0).count() == 1


def test_it_refuses_the_unit_officer_and_leader(client, world):
    for user in (world.officer, world.leader):
        client.force_login(user)
        assert client.get(url(world)).status_code == 403


def test_it_hides_the_assessment_from_an_unassigned_appraiser(client, world):
    # cycles.access: an appraiser sees only the units assigned to them, so the assessment is
    # out of their scope (404), not merely forbidden.
    client.force_login(world.colleague)
    assert client.get(url(world)).status_code == 404


def test_it_hides_the_assessment_from_another_body(client, world):
    client.force_login(world.outsider)
    assert client.get(url(world)).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, world):
    r = client.get(url(world))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
