"""The public online form: rendered from the EXAMPLE questionnaire (groups, a select-multiple,
two languages, a relevant, a constraint, a repeat), checked on the server as the core checks,
stored once per code, refused clearly, rate-limited, never a server error."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.surveys import check_submission
from parindex_web.answering import services
from parindex_web.answering.models import AnswerCode
from parindex_web.surveys.models import Response

from .conftest import GOOD, form_url

pytestmark = pytest.mark.django_db


def test_the_form_is_laid_out_from_the_questionnaire_in_vietnamese(client, make_codes, parse):
    (code,) = make_codes(size=1)
    response = client.get(form_url(code))
    assert response.status_code == 200
    page = parse(response.content)
    assert page.find("h1").text == "VÍ DỤ – Phiếu khảo sát SIPAS (minh hoạ)"
    sections = [e for e in page.elements if e.tag == "section"]
    headings = [page.find("h2", id=s.attrs["aria-labelledby"]).text for s in sections]
    assert headings == ["Người trả lời", "Dịch vụ hành chính công", "Người đi cùng"]
    # select_one: radios in a fieldset whose legend is the question; each radio labelled
    legends = [e.text for e in page.find_all("legend")]
    assert legends[:2] == ["Đơn vị (bắt buộc)", "Giới tính"]
    radios = page.find_all("input", name="don_vi")
    assert [r.attrs["type"] for r in radios] == ["radio", "radio"]
    assert page.find("label", **{"for": radios[1].attrs["id"]}).text == "VÍ DỤ – Phường B"
    # select_multiple: checkboxes; integer, decimal and text inputs with their labels
    assert {e.attrs["type"] for e in page.find_all("input", name="kenh")} == {"checkbox"}
    assert page.find("label", **{"for": "f-tuoi"}).text == "Tuổi (bắt buộc)"
    assert page.find("input", name="tuoi").attrs["inputmode"] == "numeric"
    assert page.find("input", name="thoi_gian").attrs["inputmode"] == "decimal"
    # skip logic for the page's script: q37 applies when kenh includes truc_tiep
    q37 = page.find("div", id="q-q37")
    assert (
        q37.attrs["data-relevant"]
        == '["call", "selected", ["ref", "kenh"], ["string", "truc_tiep"]]'
    )
    # the repeat is announced, its question not asked; metadata not asked
    assert page.find_all("input", name="ten") == [] and page.find_all("input", name="start") == []
    assert "chưa được hỏi trực tuyến" in page.find("section", id="q-thanh_vien").text
    assert page.find_all("script", src="/static/answering/form.js")


def test_the_form_is_in_english_when_the_reader_asks_and_the_form_has_it(client, make_codes, parse):
    (code,) = make_codes(size=1)
    client.cookies["django_language"] = "en"
    page = parse(client.get(form_url(code)).content)
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("h2", id="h-nguoi_tra_loi").text == "Respondent"
    assert page.find("label", **{"for": "f-tuoi"}).text == "Age (required)"


def test_good_answers_are_stored_once_and_burn_the_code(client, make_codes, units):
    (code,) = make_codes(size=1)
    response = client.post(
        form_url(code), GOOD, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Thử nghiệm/1.0"
    )
    assert response.status_code == 302 and response["Location"] == reverse("answering:thanks")
    stored = Response.objects.get()
    assert (stored.source, stored.unit_code, stored.batch) == ("online", units[0].code, None)
    form = services.form_of(stored.questionnaire)
    expected = {k: v for k, v in check_submission(form, GOOD).answers.items() if v}
    assert stored.answers == expected
    assert stored.answers["kenh"] == "truc_tiep truc_tuyen"
    everything = repr(list(Response.objects.values()))
    assert "203.0.113.7" not in everything and "Thử nghiệm" not in everything
    assert code.replace("-", "") not in everything
    used = AnswerCode.objects.get()
    assert used.used_on is not None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Cảm ơn".encode() in thanks.content


def test_a_second_use_of_a_code_is_refused_with_a_clear_page(client, make_codes, parse):
    (code,) = make_codes(size=1)
    assert client.post(form_url(code), GOOD).status_code == 302
    for method in (client.get, client.post):
        again = method(form_url(code), GOOD) if method == client.post else method(form_url(code))
        assert again.status_code == 410
        assert parse(again.content).find("h1").text == "Mã này đã được dùng"
    assert Response.objects.count() == 1


def test_of_two_submissions_with_one_code_one_is_stored(make_codes):
    """The code read by both before either stores (a race): the burn is an UPDATE that only an
    unused code matches, so the second is refused and stores nothing."""
    (code,) = make_codes(size=1)
    first, second = services.find(code), services.find(code)
    assert first is not None and second is not None
    form = services.form_of(first.batch.questionnaire)
    answers = check_submission(form, GOOD).answers
    services.submit(first, answers)
    with pytest.raises(services.CodeUsed):
        services.submit(second, answers)
    assert Response.objects.count() == 1


needs_row_locks = pytest.mark.skipif(
    "connection.vendor == 'sqlite'", reason="SQLite cannot take concurrent writers in tests"
)


@pytest.mark.postgres
@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_code_store_one_response(make_codes):
    (code,) = make_codes(size=1)
    found = services.find(code)
    assert found is not None
    answers = check_submission(services.form_of(found.batch.questionnaire), GOOD).answers
    start, outcomes = threading.Barrier(8), []

    def work() -> None:
        try:
            start.wait()
            mine = services.find(code)
            assert mine is not None
            services.submit(mine, answers)
            outcomes.append("stored")
        except services.CodeUsed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["stored"]
    assert Response.objects.count() == 1


def test_an_unknown_code_is_not_found_with_a_clear_page(client, make_codes, parse):
    make_codes(size=1)
    for typed in ("2222-3333-4444", "x", "0000-0000-0000"):
        response = client.get(form_url(typed))
        assert response.status_code == 404
        assert parse(response.content).find("h1").text == "Mã này không có trong hệ thống"
    assert client.post(form_url("2222-3333-4444"), GOOD).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"don_vi": "phuong_z"}, "don_vi", "Hãy chọn một trong các phương án"),  # tampered
        ({"kenh": ["truc_tiep", "fax"]}, "kenh", "Hãy chọn một trong các phương án"),
        ({"tuoi": ""}, "tuoi", "Hãy trả lời câu hỏi này"),
        ({"don_vi": ""}, "don_vi", "Hãy trả lời câu hỏi này"),
        ({"tuoi": "ba mươi"}, "tuoi", "Hãy nhập một số nguyên"),
        ({"tuoi": "12"}, "tuoi", ". >= 18 and . <= 100"),
        ({"thoi_gian": "-2"}, "thoi_gian", ". >= 0"),
        ({"y_kien": "x" * 2001}, "y_kien", "2000"),
    ],
)
def test_a_bad_answer_is_refused_with_the_question_named_and_nothing_stored(
    client, make_codes, parse, described, change, field, message
):
    (code,) = make_codes(size=1)
    response = client.post(form_url(code), {**GOOD, **change})
    assert response.status_code == 400
    page = parse(response.content)
    summary = page.find("div", id="error-summary")
    (link,) = list(summary.node.find_all("a"))
    target = link["href"].removeprefix("#")
    assert page.find_all("input", id=target) or page.find_all("textarea", id=target)
    assert message in page.find("p", id=f"f-{field}_error").text
    holder = [
        e for e in page.elements if e.attrs.get("aria-describedby", "").count(f"f-{field}_error")
    ]
    assert holder, "the error is tied to its question"
    described(page)
    assert page.find("title").text.startswith("Lỗi:")
    # what was typed is kept (a tampered choice is simply not ticked)
    if field == "tuoi" and change["tuoi"]:
        assert page.find("input", name="tuoi").attrs["value"] == change["tuoi"]
    assert not Response.objects.exists()
    assert AnswerCode.objects.get().used_on is None  # the code can be used again


def test_an_answer_to_a_question_that_does_not_apply_is_dropped(client, make_codes):
    (code,) = make_codes(size=1)
    response = client.post(form_url(code), {**GOOD, "kenh": ["truc_tuyen"], "q37": "1"})
    assert response.status_code == 302
    assert "q37" not in Response.objects.get().answers


def test_the_pages_problems_are_the_cores(client, make_codes, parse):
    variants = [
        {**GOOD, "tuoi": "101", "q24": "6", "kenh": ["buu_chinh"], "q37": "9"},
        {**GOOD, "don_vi": "", "thoi_gian": "n", "gioi_tinh": "khac"},
        {"kenh": ["truc_tiep"], "q37": "x"},
    ]
    codes = make_codes(size=len(variants))
    form = services.form_of(services.find(codes[0]).batch.questionnaire)
    for code, data in zip(codes, variants, strict=True):
        page = parse(client.post(form_url(code), data).content)
        shown = [
            e.attrs["id"].removeprefix("f-").removesuffix("_error")
            for e in page.elements
            if e.attrs.get("id", "").endswith("_error")
        ]
        core = [p.location.column for p in check_submission(form, data).problems]
        assert shown == core


def test_a_service_batch_answers_its_question_whatever_is_sent(client, make_codes, parse):
    (code,) = make_codes(size=1, service_question="don_vi", service="phuong_b")
    page = parse(client.get(form_url(code)).content)
    assert page.find_all("input", name="don_vi") == []
    assert "VÍ DỤ – Phường B" in page.find("div", id="q-don_vi").text
    assert client.post(form_url(code), {**GOOD, "don_vi": "phuong_a"}).status_code == 302
    assert Response.objects.get().answers["don_vi"] == "phuong_b"


def test_a_code_typed_on_the_entry_page_opens_the_form(client, make_codes, parse):
    (code,) = make_codes(size=1)
    entry = client.get(reverse("answering:enter"))
    assert entry.status_code == 200
    assert parse(entry.content).find("label", **{"for": "f-code"})
    typed = client.get(reverse("answering:enter"), {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 302 and typed["Location"] == form_url(code)
    wrong = client.get(reverse("answering:enter"), {"code": "2222-3333-4444"})
    assert wrong.status_code == 404
    assert "không có trong hệ thống" in parse(wrong.content).find("p", id="f-code_error").text
    assert client.get(reverse("answering:enter"), {"code": "x"}).status_code == 400


def test_code_attempts_are_limited_per_address_with_a_translated_429(
    client, make_codes, settings, parse
):
    settings.PARINDEX_ANSWER_CODE_RATE = "3/min"
    (code,) = make_codes(size=1)
    statuses = [client.get(form_url("2222-3333-444" + c)).status_code for c in "5678"]
    assert statuses == [404, 404, 404, 429]
    refused = client.get(form_url(code))  # even a good code, from that address
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert parse(refused.content).find("h1").text == "Quá nhiều lần thử"
    other = client.get(form_url(code), REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 200  # another address is counted on its own


def test_submissions_are_limited_per_address(client, make_codes, settings):
    settings.PARINDEX_ANSWER_SUBMIT_RATE = "2/hour"
    codes = make_codes(size=3)
    assert [client.post(form_url(c), GOOD).status_code for c in codes] == [302, 302, 429]
    assert Response.objects.count() == 2 and AnswerCode.objects.filter(used_on=None).count() == 1


_ANY = st.one_of(st.text(max_size=30), st.lists(st.text(max_size=8), max_size=4))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.dictionaries(st.sampled_from([*GOOD, "ten", "start", "x"]), _ANY, max_size=10))
def test_whatever_is_posted_the_answer_is_stored_or_refused_never_a_server_error(
    client, make_codes, data
):
    (code,) = make_codes(size=1)
    with override_settings(PARINDEX_ANSWER_CODE_RATE="off", PARINDEX_ANSWER_SUBMIT_RATE="off"):
        response = client.post(form_url(code), data)
    assert response.status_code in (302, 400)
    burnt = services.find(code)
    assert burnt is not None and (burnt.used_on is not None) == (response.status_code == 302)


@pytest.mark.parametrize("phase", ["finalised", "published"])
def test_once_the_cycles_scores_are_locked_the_form_takes_no_answers(
    client, make_codes, cycle, parse, phase
):
    (code,) = make_codes(size=1)
    type(cycle).objects.filter(pk=cycle.pk).update(phase=phase)
    for response in (client.get(form_url(code)), client.post(form_url(code), GOOD)):
        assert response.status_code == 409
        assert parse(response.content).find("h1").text == "Khảo sát này đã kết thúc"
    assert not Response.objects.exists() and AnswerCode.objects.get().used_on is None
    cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        make_codes(size=1)
