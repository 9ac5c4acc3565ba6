"""Rule texts on pages, workbooks and reports are in the reader's language."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

import parindex
from parindex_web.methodologies import display
from parindex_web.methodologies.display import rule_text

RULES = [
    # rule as in a methodology file, Vietnamese text, English text
    ({"kind": "points"}, "chấm điểm trực tiếp", "points given directly"),
    ({"kind": "yes_no"}, "có: tối đa; không: 0", "yes: maximum; no: 0"),
    ({"kind": "yes_no", "yes": "0.50", "no": "0.25"}, "có: 0,5; không: 0,25", "yes: 0.5; no: 0.25"),
    (
        {
            "kind": "levels",
            "levels": [
                {"key": "full", "label": "Đầy đủ", "points": "1"},
                {"key": "late", "label": "Chậm", "points": "0.5"},
            ],
        },
        "Đầy đủ: 1 | Chậm: 0,5",
        "Đầy đủ: 1 | Chậm: 0.5",
    ),
    (
        {
            "kind": "thresholds",
            "steps": [{"from": "100", "points": "2"}, {"above": "80", "points": "1"}],
        },
        "≥ 100 %: 2 | > 80 %: 1",
        "≥ 100 %: 2 | > 80 %: 1",
    ),
    (
        {"kind": "proportional", "floor": "90"},
        "số đạt được / số kế hoạch × điểm tối đa nếu ≥ 90 %, nếu không thì 0",
        "achieved / planned × maximum when ≥ 90 %, else 0",
    ),
    (
        {"kind": "proportional", "floor": "50", "floor_inclusive": False},
        "số đạt được / số kế hoạch × điểm tối đa nếu > 50 %, nếu không thì 0",
        "achieved / planned × maximum when > 50 %, else 0",
    ),
    (
        {"kind": "deduction", "per_item": "0.25", "floor": "0"},
        "tối đa − 0,25 cho mỗi trường hợp, không thấp hơn 0",
        "maximum − 0.25 per item, not below 0",
    ),
    (
        {"kind": "deduction", "per_item": "0.5", "start": "2", "floor": "0.5"},
        "2 − 0,5 cho mỗi trường hợp, không thấp hơn 0,5",
        "2 − 0.5 per item, not below 0.5",
    ),
]


@pytest.mark.parametrize(("data", "vi", "en"), RULES)
def test_each_rule_kind_reads_in_vietnamese_and_english(data, vi, en):
    rule = parindex.rule_from_dict(data)
    with translation.override("vi"):
        assert rule_text(rule) == vi
    with translation.override("en"):
        assert rule_text(rule) == en


def test_a_node_without_a_rule_has_no_text():
    assert rule_text(None) == ""


def test_every_rule_kind_of_the_core_has_a_translated_text():
    kinds = {parindex.rule_from_dict(data).kind for data, _, _ in RULES}
    assert kinds == set(parindex.RULE_KINDS)
    assert set(display._PHRASES) == set(parindex.RULE_TEXTS)


def test_a_page_marks_the_methodologys_own_words_and_escapes_them():
    rule = parindex.rule_from_dict(
        {
            "kind": "levels",
            "levels": [
                {"key": "a", "label": "Đạt <b>", "points": "1"},
                {"key": "b", "label": "Không", "points": "0.5"},
            ],
        }
    )
    with translation.override("en"):
        assert display.rule_html(rule) == (
            '<span lang="vi">Đạt &lt;b&gt;</span>: 1 | <span lang="vi">Không</span>: 0.5'
        )
    with translation.override("vi"):
        assert display.rule_html(rule) == "Đạt &lt;b&gt;: 1 | Không: 0,5"


@pytest.mark.parametrize(("data", "vi", "en"), RULES)
def test_a_page_shows_the_same_text_as_the_workbook(data, vi, en):
    rule = parindex.rule_from_dict(data)
    with translation.override("vi"):
        assert display.rule_html(rule) == escape(vi)
    assert display.rule_html(None) == ""


def test_the_template_filter_gives_the_same_text():
    rule = parindex.rule_from_dict({"kind": "yes_no"})
    template = Template("{% load methodology_tags %}{{ rule|rule_text }}")
    with translation.override("vi"):
        assert template.render(Context({"rule": rule})) == "có: tối đa; không: 0"
