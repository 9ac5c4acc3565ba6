import pytest

from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Phase
from parindex_web.units.models import Unit

pytestmark = pytest.mark.django_db


def dashboard(client, parse, cycle, user):
    client.force_login(user)
    r = client.get(f"/cycles/{cycle.pk}/")
    assert r.status_code == 200
    return parse(r.content)


def buttons(page) -> list[str]:
    return [
        a.attrs["href"].rstrip("/").rsplit("/", 1)[-1]
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
    cells = [td.text for td in page.elements[page.elements.index(row) + 1 :] if td.tag == "td"][:10]
    # 16 appraisal leaves filled and appraised, the 5 survey/data leaves imported, the three
    # leaves that require evidence without any.
    assert cells[1] == "16/16"
    assert cells[3] == "3 (1.1.1, 1.1.4, 1.4.1)"
    assert cells[5] == "16/16"
    assert cells[7] == "5/5"
    assert cells[8] == "0"


def test_it_offers_the_actions_of_the_phase(client, parse, cycle, run_to, secretariat):
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == ["phase", "deadlines", "assignments", "questionnaires", "results"]
    assert (
        "Mở giai đoạn tiếp theo: Tự đánh giá"
        in page.find("a", href=f"/cycles/{cycle.pk}/phase").text
    )
    run_to(cycle, Phase.SELF_ASSESSMENT)
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == [
        "phase",
        "deadlines",
        "assignments",
        "external",
        "questionnaires",
        "results",
    ]
    submitted = cycle.assessments.first()
    assert page.find("a", href=f"/cycles/{cycle.pk}/assessments/{submitted.pk}/reopen")


def test_after_finalising_it_offers_publication(client, parse, cycle, run_to, secretariat):
    run_to(cycle, Phase.FINALISED)
    page = dashboard(client, parse, cycle, secretariat)
    assert buttons(page) == ["publish", "questionnaires", "results"]
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


def shown(client, parse, cycle, query: str) -> list[str]:
    r = client.get(f"/cycles/{cycle.pk}/?{query}")
    assert r.status_code == 200, parse(r.content).find("form", class_="filters").text
    return [span.text for span in parse(r.content).find_all("span", class_="unit-name")]


@pytest.fixture
def mixed(cycle, run_to, secretariat, leader):
    """Self-assessment open: Xã Bình An signed off, the two other communes sent back (being
    prepared again, their points kept); Thành phố Hà Nội added, nothing filled."""
    run_to(cycle, Phase.SELF_ASSESSMENT)
    for code in ("x-a", "x-d"):
        services.reopen(secretariat, cycle.assessments.get(unit__code=code), "Bổ sung")
    unit = Unit.objects.create(
        code="01", name="Thành phố Hà Nội", unit_type=Unit.Type.COMMUNE, body=cycle.body
    )
    services.ensure_entries(Assessment.objects.create(cycle=cycle, unit=unit))
    return cycle


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Phường Đông Hà", "Thành phố Hà Nội", "Xã Ái Quốc", "Xã Bình An"]),
        ("q=ha+noi", ["Thành phố Hà Nội"]),
        ("q=HÀ", ["Phường Đông Hà", "Thành phố Hà Nội"]),
        ("q=dong", ["Phường Đông Hà"]),
        ("q=x-a", ["Xã Ái Quốc"]),
        ("q=++binh++an++", ["Xã Bình An"]),
        ("q=zzz", []),
        ("status=submitted", ["Xã Bình An"]),
        ("status=draft", ["Phường Đông Hà", "Thành phố Hà Nội", "Xã Ái Quốc"]),
        ("status=draft&q=xa", ["Xã Ái Quốc"]),
        ("status=appraised", []),
        (
            "status=missing_evidence&sort=-name",
            ["Xã Bình An", "Xã Ái Quốc", "Thành phố Hà Nội", "Phường Đông Hà"],
        ),
        ("status=pending", []),
        ("sort=code", ["Thành phố Hà Nội", "Xã Ái Quốc", "Xã Bình An", "Phường Đông Hà"]),
        ("sort=-code", ["Phường Đông Hà", "Xã Bình An", "Xã Ái Quốc", "Thành phố Hà Nội"]),
        ("sort=-name", ["Xã Bình An", "Xã Ái Quốc", "Thành phố Hà Nội", "Phường Đông Hà"]),
        ("sort=progress", ["Thành phố Hà Nội", "Phường Đông Hà", "Xã Ái Quốc", "Xã Bình An"]),
        ("sort=-status", ["Xã Bình An", "Phường Đông Hà", "Thành phố Hà Nội", "Xã Ái Quốc"]),
        ("sort=status", ["Phường Đông Hà", "Thành phố Hà Nội", "Xã Ái Quốc", "Xã Bình An"]),
    ],
)
def test_it_searches_filters_and_sorts_by_the_query_string(
    client, parse, mixed, secretariat, query, expected
):
    client.force_login(secretariat)
    assert shown(client, parse, mixed, query) == expected


def test_a_filtered_view_says_how_many_it_shows_and_keeps_the_query_in_the_export(
    client, parse, mixed, secretariat
):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{mixed.pk}/?q=xa&status=draft").content)
    assert page.find("p", class_="count").text.startswith("Đang hiển thị 1 trên 4 đơn vị")
    assert page.find("a", href=f"/cycles/{mixed.pk}/progress.xlsx?q=xa&status=draft")
    assert page.find("input", name="q").attrs["value"] == "xa"
    assert page.find("option", value="draft").attrs.get("selected") is not None
    assert "Hiện tất cả đơn vị" in [a.text for a in page.find_all("a", href=f"/cycles/{mixed.pk}/")]


@pytest.mark.parametrize(
    "query", ["status=everything", "sort=password", "q=" + "x" * 101, "q=a%00b"]
)
def test_a_bad_filter_is_a_400_with_the_message_and_every_unit(
    client, parse, mixed, secretariat, query
):
    client.force_login(secretariat)
    r = client.get(f"/cycles/{mixed.pk}/?{query}")
    assert r.status_code == 400
    page = parse(r.content)
    assert page.find_all("span", class_="field-error")
    assert len(page.find_all("span", class_="unit-name")) == 4


def test_the_table_scrolls_by_keyboard_in_a_labelled_region(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/").content)
    region = page.find("div", class_="table-wrap")
    assert region.attrs["role"] == "region" and region.attrs["tabindex"] == "0"
    assert page.find("caption", id=region.attrs["aria-labelledby"])


def test_it_links_the_reports(client, parse, cycle, secretariat):
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/").content)
    assert page.find("a", href=f"/cycles/{cycle.pk}/missing-evidence").text == (
        "Thiếu tài liệu kiểm chứng"
    )
    assert page.find("a", href=f"/cycles/{cycle.pk}/differences")
    assert page.find("a", href=f"/cycles/{cycle.pk}/reminders").text == (
        "Nhắc việc đơn vị chậm tiến độ"
    )
