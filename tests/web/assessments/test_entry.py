"""The leaf page: facts, the officer's form (save, refusals, conflict) and the history."""

from decimal import Decimal

import pytest

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services

from .helpers import entry, fill_all, form_data, past_deadline, refusal, save

pytestmark = pytest.mark.django_db


def url(w, code="1.1.1", assessment=None):
    return f"/assessments/{(assessment or w.assessment).pk}/entries/{code}/"


def test_it_shows_the_leaf_facts_and_the_form(client, parse, w):
    client.force_login(w.officer)
    r = client.get(url(w))
    assert r.status_code == 200
    page = parse(r.content)
    assert "Ban hành kế hoạch CCHC năm" in page.find("h1").text
    assert page.find("dd", class_="fact-max").text == "1,00"
    assert "Ban hành kịp thời: 1" in page.find("dd", class_="fact-rule").text
    assert "Kế hoạch CCHC năm" in page.find("dd", class_="fact-evidence").text
    assert "1880/QĐ-UBND" in page.find("dd", class_="fact-legal").text
    entry_id = entry(w.assessment, "1.1.1").pk
    select = page.find("select", name=f"e{entry_id}-level")
    assert [o.attrs["value"] for o in parse(r.content).find_all("option")][1:] == [
        "on_time",
        "late",
        "none",
    ]
    assert select.attrs["id"]
    assert page.find("input", name=f"e{entry_id}-version").attrs["value"] == "0"


def test_it_saves_the_officers_input_with_the_rules_points(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    r = client.post(url(w), form_data(e, {"level": "late", "note": "Ban hành ngày 20/1"}))
    assert r.status_code == 302
    assert r["Location"] == url(w) + "#entry"
    e.refresh_from_db()
    assert e.inputs == {"level": "late"}
    assert e.self_points == Decimal("0.5")
    assert e.note == "Ban hành ngày 20/1"
    assert e.version == 1
    assert e.updated_by == w.officer


def test_it_goes_back_to_the_tree_when_saved_from_it(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.4.1")
    data = form_data(e, {"achieved": "9", "planned": "10"}, next="detail")
    r = client.post(url(w, "1.4.1"), data)
    assert r["Location"] == f"/assessments/{w.assessment.pk}/#leaf-1.4.1"
    e.refresh_from_db()
    assert e.self_points == Decimal("0.9")


def test_it_reads_a_decimal_comma(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.4")
    client.post(url(w, "1.1.4"), form_data(e, {"percent": "90,5"}))
    e.refresh_from_db()
    assert e.inputs == {"percent": "90.5"}
    assert e.self_points == Decimal(2)


@pytest.mark.parametrize(
    ("code", "name", "text"),
    [
        ("1.1.4", "percent", "9_0"),
        ("1.1.4", "percent", "1e1"),
        ("1.1.4", "percent", "９０"),
        ("1.1.4", "percent", "nan"),
        ("1.5.2", "count", "1_0"),
        ("1.5.2", "count", "１"),
    ],
)
def test_it_refuses_numbers_outside_the_cores_grammar(client, parse, w, code, name, text):
    client.force_login(w.officer)
    e = entry(w.assessment, code)
    r = client.post(url(w, code), form_data(e, {name: text}))
    assert r.status_code == 400
    assert parse(r.content).find("span", class_="field-error")
    e.refresh_from_db()
    assert e.version == 0 and e.self_points is None


def test_it_shows_field_errors_and_saves_nothing(client, parse, described, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.4.1")
    r = client.post(url(w, "1.4.1"), form_data(e, {"achieved": "9", "planned": "0"}))
    assert r.status_code == 400
    assert described(parse(r.content))
    errors = [x.text for x in parse(r.content).find_all("span", class_="field-error")]
    assert any("lớn hơn 0" in x for x in errors)
    e.refresh_from_db()
    assert e.version == 0
    assert e.self_points is None


def test_it_asks_for_a_percentage_or_both_counts(client, parse, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.4")
    r = client.post(url(w, "1.1.4"), form_data(e, {"achieved": "5"}))
    assert r.status_code == 400
    assert "tỷ lệ phần trăm" in parse(r.content).find("div", class_="error").text


def test_it_refuses_the_units_leader_to_edit(client, w):
    client.force_login(w.leader)
    e = entry(w.assessment, "1.1.1")
    assert client.get(url(w)).status_code == 200
    assert client.post(url(w), form_data(e, {"level": "late"})).status_code == 403
    e.refresh_from_db()
    assert e.version == 0


def test_it_shows_the_leader_a_read_only_page_saying_why(client, parse, w):
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    assert page.find_all("form", class_="leaf-form") == []
    assert "Chỉ cán bộ đầu mối" in page.find("p", id="read-only").text


def test_it_hides_other_units_from_an_officer(client, w):
    client.force_login(w.other_officer)
    e = entry(w.assessment, "1.1.1")
    assert client.get(url(w)).status_code == 404
    assert client.post(url(w), form_data(e, {"level": "late"})).status_code == 404


def test_it_hides_the_leaf_from_an_outsider(client, w):
    client.force_login(w.outsider)
    assert client.get(url(w)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    r = client.get(url(w))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_it_lets_the_secretariat_and_the_assigned_appraiser_view(client, w):
    for user in (w.secretariat, w.appraiser):
        client.force_login(user)
        assert client.get(url(w)).status_code == 200
    client.force_login(w.appraiser2)
    assert client.get(url(w)).status_code == 404


def test_it_answers_404_for_an_unknown_or_non_leaf_code(client, w):
    client.force_login(w.officer)
    assert client.get(url(w, "9.9.9")).status_code == 404
    assert client.get(url(w, "1.1")).status_code == 404


def test_it_refuses_a_save_after_the_deadline(client, parse, w):
    past_deadline(w)
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    r = client.post(url(w), form_data(e, {"level": "late"}))
    assert r.status_code == 400
    assert parse(r.content).find("div", class_="error").text == refusal(w.assessment)
    e.refresh_from_db()
    assert e.version == 0
    assert e.self_points is None


def test_it_shows_a_read_only_page_after_the_deadline(client, parse, w):
    past_deadline(w)
    client.force_login(w.officer)
    page = parse(client.get(url(w)).content)
    assert page.find_all("form", class_="leaf-form") == []
    assert page.find("p", id="read-only").text == refusal(w.assessment)


def test_it_refuses_a_save_after_sign_off(client, parse, w):
    fill_all(w)
    services.sign_off(w.leader, w.assessment)
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    page = parse(client.get(url(w)).content)
    assert page.find("p", id="read-only").text == refusal(w.assessment)
    r = client.post(url(w), form_data(e, {"level": "none"}))
    assert r.status_code == 400
    before = e.self_points
    e.refresh_from_db()
    assert e.self_points == before


def test_it_shows_survey_leaves_as_filled_from_survey(client, parse, w):
    services.set_external_points(w.secretariat, w.cycle, {("x01", "4.1.2"): Decimal("12.5")})
    client.force_login(w.officer)
    page = parse(client.get(url(w, "4.1.2")).content)
    text = page.find("p", class_="filled-from").text
    assert "Điền từ khảo sát" in text
    assert "12,50" in text
    assert page.find_all("form", class_="leaf-form") == []


def test_it_refuses_input_for_a_survey_leaf(client, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "4.1.2")
    r = client.post(url(w, "4.1.2"), form_data(e, {"points": "10"}))
    assert r.status_code == 400
    e.refresh_from_db()
    assert e.self_points is None


def test_a_concurrent_save_shows_both_versions_and_keeps_the_first(client, parse, w):
    e = entry(w.assessment, "1.1.1")
    client.force_login(w.officer)
    first = form_data(e, {"level": "on_time", "note": "của tôi trước"})
    second = form_data(e, {"level": "none", "note": "của tôi sau"})
    assert client.post(url(w), first).status_code == 302
    r = client.post(url(w), second)
    assert r.status_code == 409
    page = parse(r.content)
    assert "Người khác đã lưu" in page.find("section", class_="conflict").text
    theirs, mine = page.find("div", id="theirs").text, page.find("div", id="mine").text
    assert "Ban hành kịp thời" in theirs and "của tôi trước" in theirs and "canbo" in theirs
    assert "Không ban hành" in mine and "của tôi sau" in mine
    # the form is re-filled with my input and the new version
    assert page.find("input", name=f"e{e.pk}-version").attrs["value"] == "1"
    selected = [o for o in page.find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in selected] == ["none"]
    assert page.find("textarea", name=f"e{e.pk}-note").text == "của tôi sau"
    e.refresh_from_db()
    assert (e.inputs, e.note, e.version) == ({"level": "on_time"}, "của tôi trước", 1)


def test_after_a_conflict_the_refilled_form_applies_the_users_input(client, w):
    e = entry(w.assessment, "1.1.1")
    save(w, "1.1.1", {"level": "on_time"})
    client.force_login(w.officer)
    assert client.post(url(w), form_data(e, {"level": "none"})).status_code == 409
    e.refresh_from_db()
    assert client.post(url(w), form_data(e, {"level": "none"})).status_code == 302
    e.refresh_from_db()
    assert e.inputs == {"level": "none"}


def test_it_shows_the_leafs_history(client, parse, w):
    save(w, "1.1.1", {"level": "late"}, note="lần 1")
    save(w, "1.1.1", {"level": "on_time"}, note="lần 2")
    save(w, "1.1.2", {"value": "yes"})
    client.force_login(w.leader)
    page = parse(client.get(url(w)).content)
    table_rows = [r.text for r in page.find_all("tr")][1:]
    expected = AuditRecord.objects.filter(cycle_id=w.cycle.pk, unit_code="x01", code="1.1.1")
    assert len(table_rows) == expected.count() == 6
    assert all("canbo" in row for row in table_rows)
    assert any("Ghi chú" in row and "lần 1" in row and "lần 2" in row for row in table_rows)
    assert any("Điểm tự đánh giá" in row and "0,50" in row for row in table_rows)
    # inputs read as on the form, not as stored JSON
    assert any(
        "Mức đạt được: Ban hành không kịp thời" in row and "Mức đạt được: Ban hành kịp thời" in row
        for row in table_rows
    )
    assert not any('"level"' in row for row in table_rows)


def test_the_saved_message_is_shown_beside_the_form_it_saved(client, parse, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.1.1")
    r = client.post(url(w), form_data(e, {"level": "late"}), follow=True)
    page = parse(r.content)
    message = page.find("li", class_="message message--success")
    order = page.elements.index
    assert order(message) > order(page.find("h2", id="input-heading"))
    assert len(page.find_all("li", class_="message message--success")) == 1


def test_a_save_from_the_tree_shows_its_message_in_that_leaf(client, parse, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.4.1")
    data = form_data(e, {"achieved": "9", "planned": "10"}, next="detail")
    r = client.post(url(w, "1.4.1"), data)
    page = parse(client.get(r["Location"]).content)
    message = page.find("li", class_="message message--success")
    order = page.elements.index
    leaf = page.find("article", id="leaf-1.4.1")
    after = [a for a in page.find_all("article") if order(a) > order(leaf)]
    assert order(leaf) < order(message) < order(after[0])
