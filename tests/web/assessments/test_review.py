"""The summary page: points claimed per field, leaves missing, and the leader's sign-off button."""

import pytest

from parindex_web.cycles import services

from .helpers import fill_all, past_deadline, refusal, save

pytestmark = pytest.mark.django_db


def url(w):
    return f"/assessments/{w.assessment.pk}/review/"


def rows(page):
    return [page.find("tr", id=f"field-{code}").text for code in "1234"]


def test_it_sums_the_points_claimed_per_field_and_lists_missing_leaves(client, parse, w):
    save(w, "1.1.1", {"level": "late"})
    save(w, "1.1.4", {"percent": "95"})
    save(w, "3.1.1", {"level": "full"})
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    first, second, third, fourth = rows(page)
    assert first.startswith("1 ") and "2,50" in first and "20,00" in first
    assert "1.1.2" in first and "1.1.1" not in first
    assert "0,00" in second and "2.1.1" in second
    assert "5,00" in third and "10,00" in third and "3.1.2" in third
    assert fourth.count("0,00") == 2 and "—" in fourth


def test_it_offers_the_leader_the_sign_off_as_a_confirmation_step(client, parse, w):
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    assert page.find("a", id="sign-off-link").attrs["href"] == (
        f"/assessments/{w.assessment.pk}/sign-off"
    )
    assert page.find_all("form", action=f"/assessments/{w.assessment.pk}/sign-off") == []
    assert page.find("form", action=f"/assessments/{w.assessment.pk}/send-back")
    assert page.find("textarea", name="comment")


def test_it_tells_the_officer_only_leaders_sign_off(client, parse, w):
    client.force_login(w.officer)
    r = client.get(url(w))
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find_all("form", action=f"/assessments/{w.assessment.pk}/sign-off") == []
    assert page.find("p", id="cannot-sign").text


def test_it_says_why_the_leader_cannot_sign_after_submission(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    assert page.find("p", id="cannot-sign").text == refusal(w.assessment)


def test_it_says_why_after_the_deadline(client, parse, w):
    past_deadline(w)
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    assert page.find("p", id="cannot-sign").text == refusal(w.assessment)


def test_it_lets_the_secretariat_and_the_assigned_appraiser_view(client, w):
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.get(url(w)).status_code == 200


def test_it_hides_the_page_from_other_units_and_outsiders(client, w):
    for user in (w.other_leader, w.appraiser2, w.outsider):
        client.force_login(user)
        assert client.get(url(w)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    assert client.get(url(w))["Location"].startswith("/accounts/login/")
