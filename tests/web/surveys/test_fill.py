"""Survey results into the cycle's survey criteria (surveys:fill): the preview by hand, the
preview is what is written, and the refusals (phase, no mapping, figures changed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services as cycle_services
from parindex_web.cycles.models import Entry
from parindex_web.surveys import services
from parindex_web.surveys.models import Questionnaire, SurveyPoints
from parindex_web.surveys.services import ResponseRow

from .test_questionnaires import post, variant

pytestmark = pytest.mark.django_db


def mapped(book: Workbook) -> None:
    sheet = book["settings"]
    column = sheet.max_column + 1
    sheet.cell(1, column, "par_leaves")
    sheet.cell(2, column, "4.1.1=access 4.1.2=q27")


# xa-1, eight respondents: q24 (factor access) 4 valid answers, 3 satisfied → 75 % → 15 × 0.75
# = 11.25; q27: 8 valid, 3 satisfied → 37.5 % → 5.625 → 5.63 (half up). xa-2: no answer to q24
# (4.1.1 not filled), q27 one of two → 50 % → 7.50.
Q24 = ["5", "4", "4", "2", "", "", "", ""]
Q27 = ["5", "4", "4", "3", "2", "1", "1", "2"]


def rows() -> list[ResponseRow]:
    out = [
        ResponseRow(f"a-{i}", "xa-1", {"q24": a, "q27": b}, 1.0, "s")
        for i, (a, b) in enumerate(zip(Q24, Q27, strict=True))
    ]
    out += [ResponseRow(f"b-{i}", "xa-2", {"q27": b}, 1.0, "s") for i, b in enumerate("51")]
    return out


@pytest.fixture
def questionnaire(client, people, cycle) -> Questionnaire:
    client.force_login(people.secretariat)
    assert post(client, cycle, variant(mapped)).status_code == 302
    q = Questionnaire.objects.get()
    services.record_responses(q, rows(), source="import")
    return q


@pytest.fixture
def open_cycle(cycle, people):
    cycle_services.advance_phase(people.secretariat, cycle)
    cycle.refresh_from_db()
    return cycle


def url(q: Questionnaire) -> str:
    return reverse("surveys:fill", args=[q.cycle_id, q.pk])


def points(cycle, unit: str, code: str) -> Decimal | None:
    entry = Entry.objects.get(assessment__cycle=cycle, assessment__unit__code=unit, code=code)
    return entry.external_points


def preview_rows(page) -> list[list[str]]:
    table = page.find("table", class_="table survey-fill").node
    return [
        [" ".join(cell.text.split()) for cell in tr.find_all(["th", "td"])]
        for tr in table.find("tbody").find_all("tr")
    ]


def test_the_preview_shows_points_before_and_after_and_writes_nothing(
    client, parse, questionnaire, open_cycle
):
    before = AuditRecord.objects.count()
    response = client.get(url(questionnaire), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    shown = preview_rows(parse(response.content))
    assert [(r[0].split()[-1], r[1].split()[0], r[2], r[3], r[4], r[7]) for r in shown] == [
        ("xa-1", "4.1.1", "access", "—", "11.25", "4 few"),
        ("xa-1", "4.1.2", "q27", "—", "5.63", "8 few"),
        ("xa-2", "4.1.2", "q27", "—", "7.50", "2 few"),
    ]
    assert "xa-2 / 4.1.1" in response.content.decode()  # not filled, with its reason
    assert AuditRecord.objects.count() == before
    assert points(open_cycle, "xa-1", "4.1.1") is None


def test_confirming_writes_what_the_preview_showed_with_its_source(
    client, parse, questionnaire, open_cycle, people
):
    shown = services_preview(questionnaire)
    response = client.post(url(questionnaire), {"digest": shown.digest})
    assert response.status_code == 302
    written = {(r.unit, r.leaf): points(open_cycle, r.unit, r.leaf) for r in shown.rows}
    assert written == {(r.unit, r.leaf): r.after for r in shown.rows}
    assert written == {
        ("xa-1", "4.1.1"): Decimal("11.25"),
        ("xa-1", "4.1.2"): Decimal("5.63"),
        ("xa-2", "4.1.2"): Decimal("7.50"),
    }
    assert points(open_cycle, "xa-2", "4.1.1") is None
    source = SurveyPoints.objects.get(unit_code="xa-1", leaf="4.1.1")
    assert (source.questionnaire, source.item, source.n) == (questionnaire, "access", 4)
    assert (source.estimate, source.points, source.filled_by) == (
        Decimal("75"),
        Decimal("11.25"),
        people.secretariat,
    )
    assert source.ci_low < source.estimate < source.ci_high
    audited = AuditRecord.objects.filter(action="entry.external_points", unit_code="xa-1")
    assert {r.code for r in audited} == {"4.1.1", "4.1.2"}
    assert AuditRecord.objects.filter(action="questionnaire.fill_index").count() == 1
    page = client.get(url(questionnaire)).content.decode()
    assert "Phiếu người dân" in page.split('class="table survey-filled"')[1]
    filled = page.split('class="table survey-filled"')[1]
    assert '<td class="number">11.25</td>' in filled and "75.00" in filled
    again = parse(client.get(url(questionnaire), HTTP_ACCEPT_LANGUAGE="en").content)
    assert [(r[3], r[4]) for r in preview_rows(again)] == [
        ("11.25", "11.25"),
        ("5.63", "5.63"),
        ("7.50", "7.50"),
    ]
    # Filling again with the same figures replaces the source rows, one per unit and leaf.
    client.post(url(questionnaire), {"digest": services_preview(questionnaire).digest})
    assert SurveyPoints.objects.count() == 3


def services_preview(q: Questionnaire):
    from parindex_web.surveys import filling

    return filling.preview(q)


def test_figures_changed_since_the_preview_are_refused_and_nothing_is_written(
    client, questionnaire, open_cycle
):
    digest = services_preview(questionnaire).digest
    services.record_responses(
        questionnaire, [ResponseRow("a-new", "xa-1", {"q24": "1"}, 1.0, "s")], source="import"
    )
    response = client.post(url(questionnaire), {"digest": digest}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "changed since the preview" in response.content.decode()
    assert points(open_cycle, "xa-1", "4.1.1") is None
    assert not SurveyPoints.objects.exists()


def test_outside_the_phases_of_survey_points_it_is_refused(client, questionnaire):
    # The cycle is in preparation: survey points may not be set yet.
    shown = client.get(url(questionnaire), HTTP_ACCEPT_LANGUAGE="en")
    assert shown.status_code == 200
    assert "not possible in the current phase" in shown.content.decode()
    response = client.post(url(questionnaire), {"digest": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert not SurveyPoints.objects.exists()


def test_a_questionnaire_mapping_no_criterion_is_refused(client, people, cycle):
    client.force_login(people.secretariat)
    assert post(client, cycle).status_code == 302  # the EXAMPLE form, no par_leaves
    q = Questionnaire.objects.get()
    cycle_services.advance_phase(people.secretariat, cycle)
    response = client.post(url(q), {"digest": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "par_leaves" in response.content.decode()
    vi = client.get(url(q), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "par_leaves" in vi and "Điền" in vi


def test_a_mapping_to_an_appraisal_criterion_is_refused_naming_it(client, people, cycle):
    def wrong(book: Workbook) -> None:
        sheet = book["settings"]
        column = sheet.max_column + 1
        sheet.cell(1, column, "par_leaves")
        sheet.cell(2, column, "1.1.1=access")

    client.force_login(people.secretariat)
    assert post(client, cycle, variant(wrong)).status_code == 302
    q = Questionnaire.objects.get()
    services.record_responses(q, rows(), source="import")
    cycle_services.advance_phase(people.secretariat, cycle)
    response = client.post(url(q), {"digest": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "1.1.1 is scored by appraisal" in response.content.decode()
