import pytest

from parindex_web.cycles.models import Phase

pytestmark = pytest.mark.django_db


def dashboard(client, parse, cycle, user):
    client.force_login(user)
    r = client.get(f"/cycles/{cycle.pk}/")
    assert r.status_code == 200
    return parse(r.content)


def buttons(page) -> list[str]:
    return [
        a.attrs["href"].rsplit("/", 1)[-1]
        for a in page.find_all("a")
        if "button" in a.attrs.get("class", "")
    ]


def test_it_shows_the_phase_and_the_deadlines(client, parse, cycle, secretariat):
    page = dashboard(client, parse, cycle, secretariat)
    assert page.find("h1").text == "Chỉ số CCHC 2025"
    assert page.find("li", **{"aria-current": "step"}).text == "Chuẩn bị"
    facts = page.find("dl", class_="facts").text
    assert "Hạn tự đánh giá" in facts
    assert cycle.self_assessment_due.astimezone().strftime("%Y") in facts


def test_it_lists_the_units_in_vietnamese_order_with_links(client, parse, cycle, secretariat):
    page = dashboard(client, parse, cycle, secretariat)
    table = page.find("table", class_="table table--progress")
    rows = [span.text for span in page.find_all("span", class_="unit-name")]
    assert rows == ["Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An"]
    assessment = cycle.assessments.get(unit__code="x-b")
    assert page.find("a", href=f"/assessments/{assessment.pk}/")
    assert page.find("a", href=f"/appraisal/{assessment.pk}/")
    assert "Thamdinh" in table.text


def test_it_shows_progress_counts_per_unit(client, parse, cycle, run_to, secretariat, officer):
    run_to(cycle, Phase.APPRAISAL)
    page = dashboard(client, parse, cycle, secretariat)
    row = next(tr for tr in page.find_all("tr") if "Xã Bình An" in tr.text)
    cells = [td.text for td in page.elements[page.elements.index(row) + 1 :] if td.tag == "td"][:9]
    # 16 appraisal leaves filled and appraised, the 5 survey/data leaves imported.
    assert cells[1] == "16/16"
    assert cells[4] == "16/16"
    assert cells[6] == "5/5"
    assert cells[7] == "0"


def test_it_offers_the_actions_of_the_phase(client, parse, cycle, run_to, secretariat):
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == ["phase", "deadlines", "assignments", "results"]
    assert (
        "Mở giai đoạn tiếp theo: Tự đánh giá"
        in page.find("a", href=f"/cycles/{cycle.pk}/phase").text
    )
    run_to(cycle, Phase.SELF_ASSESSMENT)
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == ["phase", "deadlines", "assignments", "external", "results"]
    submitted = cycle.assessments.first()
    assert page.find("a", href=f"/cycles/{cycle.pk}/assessments/{submitted.pk}/reopen")


def test_after_finalising_it_offers_publication(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == ["publish", "results"]
    assert not page.find_all("a", href=f"/cycles/{cycle.pk}/phase")


def test_after_publishing_it_lists_the_versions(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.PUBLISHED)
    page = dashboard(client, parse, cycle, secretariat)
    assert page.find("a", href=f"/cycles/{cycle.pk}/publish").text == "Công bố đính chính"
    assert page.find("a", href=f"/cycles/{cycle.pk}/publications/1/").text == "Phiên bản 1"


def test_it_counts_pending_explanations(client, parse, cycle, pending_explanation, secretariat):
    page = dashboard(client, parse, cycle, secretariat)
    counts = page.find("ul", class_="counts").text
    assert "1 giải trình chờ quyết định" in counts


def test_it_refuses_everyone_else(cycle, refused):
    refused(f"/cycles/{cycle.pk}/")


def test_it_is_404_for_a_missing_cycle(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/cycles/999999/").status_code == 404


def test_units_of_a_cycle_in_preparation_are_not_started(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    text = (
        parse(client.get(f"/cycles/{cycle.pk}/").content)
        .find("table", class_="table table--progress")
        .text
    )
    assert "Chưa mở" in text and "Đang thực hiện" not in text
