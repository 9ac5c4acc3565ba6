from decimal import Decimal

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Entry, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(cycle, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    return cycle.assessments.get(unit__code="x-a")


def url(assessment) -> str:
    return f"/cycles/{assessment.cycle_id}/external/{assessment.pk}"


def points(assessment, code: str) -> Decimal | None:
    return Entry.objects.get(assessment=assessment, code=code).external_points


def test_it_shows_a_field_per_survey_or_data_criterion(client, parse, assessment, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(url(assessment)).content)
    names = [
        i.attrs["name"]
        for i in page.find_all("input")
        if i.attrs.get("name", "").startswith("points_")
    ]
    assert (
        names
        == ["points_2.2.1", "points_2.2.2", "points_3.1.3", "points_4.1.1", "points_4.1.2"][
            : len(names)
        ]
    )
    assert page.find("input", name="points_4.1.1").attrs["value"] == "12"


def test_it_saves_changed_points_with_a_decimal_comma(client, assessment, secretariat):
    client.force_login(secretariat)
    r = client.post(url(assessment), {"points_4.1.1": "13,5", "points_4.1.2": "12"})
    assert r.status_code == 302
    assert points(assessment, "4.1.1") == Decimal("13.5")
    changed = AuditRecord.objects.filter(
        action="entry.external_points", unit_code="x-a", new_value="13.5"
    )
    assert changed.count() == 1


def test_it_rejects_points_over_the_maximum(client, parse, assessment, secretariat):
    client.force_login(secretariat)
    r = client.post(url(assessment), {"points_4.1.1": "16"})
    assert r.status_code == 400
    assert "15" in parse(r.content).find("ul", class_="errorlist").text
    assert points(assessment, "4.1.1") == Decimal("12")


def test_it_refuses_outside_its_phases(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    a = cycle.assessments.get(unit__code="x-a")
    client.force_login(secretariat)
    r = client.post(url(a), {"points_4.1.1": "1"})
    assert r.status_code == 400
    assert "Không thể thực hiện" in parse(r.content).find("div", role="alert").text
    assert points(a, "4.1.1") == Decimal("12")


def test_it_refuses_everyone_else(assessment, refused):
    refused(url(assessment))
    refused(url(assessment), "post", {"points_4.1.1": "1"})
    assert points(assessment, "4.1.1") == Decimal("12")
