"""The points preview: what the leaf's rule gives for the typed input, nothing saved."""

import pytest

from .helpers import entry, form_data

pytestmark = pytest.mark.django_db


def url(w, code):
    return f"/assessments/{w.assessment.pk}/entries/{code}/preview"


def test_it_returns_the_points_for_a_level(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    r = client.post(url(w, "1.1.1"), form_data(e, {"level": "late"}))
    assert r.status_code == 200
    assert r.json() == {"points": "0.50", "display": "0,50"}


def test_it_returns_pro_rata_points(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.4.1")
    r = client.post(url(w, "1.4.1"), form_data(e, {"achieved": "9", "planned": "10"}))
    assert r.json()["points"] == "0.90"


def test_it_reads_a_decimal_comma(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.4")
    r = client.post(url(w, "1.1.4"), form_data(e, {"percent": "70,5"}))
    assert r.json()["points"] == "1.00"


def test_it_answers_400_with_the_field_error(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.5.2")
    r = client.post(url(w, "1.5.2"), form_data(e, {"count": "-1"}))
    assert r.status_code == 400
    body = r.json()
    assert list(body["errors"]) == ["count"]
    assert body["error"] == body["errors"]["count"][0]


def test_it_names_an_unknown_level(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    r = client.post(url(w, "1.1.1"), form_data(e, {"level": "sometimes"}))
    assert r.status_code == 400
    assert "level" in r.json()["errors"]


def test_it_saves_nothing(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    client.post(url(w, "1.1.1"), form_data(e, {"level": "late"}))
    e.refresh_from_db()
    assert (e.version, e.self_points) == (0, None)


def test_it_refuses_the_leader(client, w):
    client.force_login(w.leader)
    e = entry(w.assessment, "1.1.1")
    assert client.post(url(w, "1.1.1"), form_data(e, {"level": "late"})).status_code == 403


def test_it_hides_other_units(client, w):
    client.force_login(w.other_officer)
    e = entry(w.assessment, "1.1.1")
    assert client.post(url(w, "1.1.1"), form_data(e, {"level": "late"})).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    r = client.post(url(w, "1.1.1"), {})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_only_accepts_post(client, w):
    client.force_login(w.officer)
    assert client.get(url(w, "1.1.1")).status_code == 405
