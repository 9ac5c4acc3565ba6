"""The notices page, the count in the header, opening a notice, and the e-mail preferences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parindex_web.notifications.models import Event, Notice, Preference

pytestmark = pytest.mark.django_db


def notice(user, text, link="/work/", minutes_ago=0, read=False):
    n = Notice.objects.create(recipient=user, event=Event.APPRAISED, text=text, link=link)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Notice.objects.filter(pk=n.pk).update(created_at=at, read_at=at if read else None)
    return n


@pytest.mark.parametrize("url", ["/notices/", "/notices/1/", "/notices/preferences"])
def test_it_sends_a_visitor_to_the_login_page(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_the_page_lists_my_notices_newest_first_and_not_others(client, parse, people):
    notice(people.officer, "Cũ hơn", minutes_ago=60, read=True)
    notice(people.officer, "Mới nhất", minutes_ago=1)
    notice(people.leader, "Của lãnh đạo")
    client.force_login(people.officer)
    page = parse(client.get("/notices/").content)
    items = page.find("ol", id="notices")
    texts = [e.text for e in page.find_all("p", class_="notice-item__text")]
    assert texts == ["Mới nhất", "Cũ hơn"]
    assert "Của lãnh đạo" not in items.text
    unread = page.find_all("li", class_="notice-item notice-item--unread")
    assert unread[0].text.endswith("Mới nhất")


def test_the_header_counts_unread_notices_in_words_for_screen_readers(client, parse, people):
    notice(people.officer, "Một")
    notice(people.officer, "Hai")
    notice(people.officer, "Đã đọc", read=True)
    client.force_login(people.officer)
    page = parse(client.get("/work/").content)
    link = page.find("a", id="notices-link")
    assert link.attrs["href"] == "/notices/"
    badge = page.find("span", class_="notice-badge")
    # Seen: "2"; read aloud (the digit hidden from screen readers): "Thông báo, 2 chưa đọc".
    assert link.text.startswith("Thông báo") and badge.text == "22 chưa đọc"
    hidden = [e.text for e in page.find_all("span", **{"aria-hidden": "true"})]
    assert "2" in hidden
    [words] = [e for e in page.find_all("span", class_="visually-hidden") if "chưa đọc" in e.text]
    assert words.text == "2 chưa đọc"


def test_the_header_shows_no_badge_without_unread_notices(client, parse, people):
    client.force_login(people.officer)
    page = parse(client.get("/work/").content)
    assert page.find("a", id="notices-link").text == "Thông báo"
    assert page.find_all("span", class_="notice-badge") == []


def test_a_visitor_sees_no_notices_link(client, parse, db):
    assert parse(client.get("/").content).find_all("a", id="notices-link") == []


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, people):
    n = notice(people.officer, "Đã có kết quả", link="/appraisal/7/explanations/")
    client.force_login(people.officer)
    r = client.get(f"/notices/{n.pk}/")
    assert (r.status_code, r["Location"]) == (302, "/appraisal/7/explanations/")
    n.refresh_from_db()
    assert n.read_at is not None


def test_another_persons_notice_is_not_found(client, people):
    n = notice(people.leader, "Của lãnh đạo")
    client.force_login(people.officer)
    assert client.get(f"/notices/{n.pk}/").status_code == 404
    assert client.get("/notices/99999999999/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_a_link_off_the_site_is_not_followed(client, people):
    n = notice(people.officer, "Lạ", link="https://example.com/")
    client.force_login(people.officer)
    assert client.get(f"/notices/{n.pk}/")["Location"] == "/notices/"


def test_mark_all_as_read_marks_only_mine(client, parse, people):
    mine = notice(people.officer, "Một")
    theirs = notice(people.leader, "Hai")
    client.force_login(people.officer)
    r = client.post("/notices/", follow=True)
    assert (
        "Tất cả thông báo đã được đánh dấu là đã đọc."
        in parse(r.content).find("ul", class_="messages").text
    )
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_an_empty_page_says_so(client, parse, people):
    client.force_login(people.officer)
    page = parse(client.get("/notices/").content)
    assert page.find("p", id="no-notices").text == "Bạn chưa có thông báo nào."


def test_the_page_is_paged_by_fifty(client, parse, people):
    for i in range(55):
        notice(people.officer, f"Thông báo {i}", minutes_ago=i)
    client.force_login(people.officer)
    first = parse(client.get("/notices/").content)
    assert len(first.find_all("li", class_="notice-item notice-item--unread")) == 50
    second = parse(client.get("/notices/?page=2").content)
    assert len(second.find_all("p", class_="notice-item__text")) == 5


# --- e-mail preferences ------------------------------------------------------------------------


def test_the_preferences_start_with_every_email_on(client, parse, people):
    client.force_login(people.officer)
    page = parse(client.get("/notices/preferences").content)
    assert "checked" in page.find("input", name="email_handovers").attrs
    assert "checked" in page.find("input", name="email_reminders").attrs


def test_i_can_turn_reminders_off_and_keep_hand_overs(client, people):
    client.force_login(people.officer)
    r = client.post("/notices/preferences", {"email_handovers": "on"})
    assert (r.status_code, r["Location"]) == (302, "/notices/preferences")
    p = Preference.objects.get(user=people.officer)
    assert (p.email_handovers, p.email_reminders) == (True, False)
    client.post("/notices/preferences", {"email_reminders": "on"})  # and change my mind
    p.refresh_from_db()
    assert (p.email_handovers, p.email_reminders) == (False, True)
    assert Preference.objects.count() == 1  # only mine, once
