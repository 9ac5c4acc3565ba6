import pytest

from parindex_web.cycles.models import Cycle

pytestmark = pytest.mark.django_db


def test_it_lists_the_bodys_cycles_with_links_for_the_secretariat(
    client, parse, cycle, secretariat
):
    client.force_login(secretariat)
    r = client.get("/cycles/")
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("h1").text == "Kỳ đánh giá"
    assert page.find("a", href=f"/cycles/{cycle.pk}/").text == "Chỉ số CCHC 2025"
    assert page.find("a", href="/cycles/new").text == "Tạo kỳ đánh giá"
    upload = page.find("a", href="/secretariat/methodologies/upload")
    assert upload.text == "Áp dụng bộ tiêu chí từ bảng phụ lục của quyết định"


def test_a_participant_sees_the_cycle_without_management_links(client, parse, cycle, officer):
    client.force_login(officer)
    page = parse(client.get("/cycles/").content)
    assert "Chỉ số CCHC 2025" in page.find("table").text
    assert not page.find_all("a", href=f"/cycles/{cycle.pk}/")
    assert not page.find_all("a", href="/cycles/new")
    assert not page.find_all("a", href="/secretariat/methodologies/upload")


def test_the_secretariat_of_another_body_does_not_see_the_cycle(client, parse, cycle, outsider):
    other = Cycle.objects.create(
        body=outsider.memberships.get().body,
        year=2025,
        name="Kỳ của tỉnh khác",
        methodology=cycle.methodology,
    )
    client.force_login(outsider)
    page = parse(client.get("/cycles/").content)
    text = page.find("table").text
    assert other.name in text
    assert cycle.name not in text


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    r = client.get("/cycles/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/cycles/"
