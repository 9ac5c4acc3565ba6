"""A form's errors are announced with their fields (issue 15): the one field partial
(templates/forms/_field.html) gives each error and help text the id that Django's
``aria-describedby`` names, and the one wide-table wrapper ({% wide_table %}) is a named,
focusable region."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string


class Sample(forms.Form):
    """One field of each kind the site's forms use."""

    points = forms.DecimalField(label="Điểm", help_text="Từ 0 đến 2")
    reason = forms.CharField(label="Lý do", widget=forms.Textarea)
    level = forms.ChoiceField(label="Mức", choices=[("a", "A"), ("b", "B")])
    decision = forms.ChoiceField(
        label="Quyết định", choices=[("yes", "Có"), ("no", "Không")], widget=forms.RadioSelect
    )
    file = forms.FileField(label="Tệp")
    note = forms.CharField(label="Ghi chú", required=False, help_text="Không bắt buộc")


def rendered(form: forms.Form) -> str:
    return "".join(
        render_to_string("forms/_field.html", {"field": field, "class": "field"}) for field in form
    )


def test_each_error_has_the_id_its_field_names_and_the_field_is_marked_invalid(
    parse: Any, described: Any
) -> None:
    form = Sample(data={"points": "abc", "reason": "", "level": "z", "note": "x"})
    assert not form.is_valid()
    page = parse(rendered(form))
    invalid = described(page)
    assert sorted(e.attrs["name"] for e in invalid) == [
        "decision",
        "decision",
        "file",
        "level",
        "points",
        "reason",
    ]
    points = page.find("input", name="points")
    assert points.attrs["aria-describedby"] == "id_points_helptext id_points_error"
    assert page.find("small", id="id_points_helptext").text == "Từ 0 đến 2"
    assert page.find("span", id="id_points_error").attrs["class"] == "field-error"
    assert page.find("span", id="id_points_error").text
    fieldset = page.find("fieldset", **{"aria-describedby": "id_decision_error"})
    assert page.find("legend").text == "Quyết định"
    assert fieldset.attrs["class"] == "field"
    note = page.find("input", name="note")
    assert "aria-invalid" not in note.attrs
    assert note.attrs["aria-describedby"] == "id_note_helptext"


def test_a_form_without_errors_names_only_its_help(parse: Any, described: Any) -> None:
    page = parse(rendered(Sample()))
    assert described(page) == []
    assert not [e for e in page.elements if e.attrs.get("id", "").endswith("_error")]
    assert {
        e.attrs["aria-describedby"] for e in page.elements if "aria-describedby" in e.attrs
    } == {
        "id_points_helptext",
        "id_note_helptext",
    }


def test_the_label_and_hint_can_be_given(parse: Any) -> None:
    field = Sample()["reason"]
    page = parse(
        render_to_string(
            "forms/_field.html", {"field": field, "label": "Vì sao", "hint": "bắt buộc"}
        )
    )
    label = page.find("label", for_="id_reason")
    assert label.text == "Vì sao (bắt buộc)"
    assert "class" not in page.find("p").attrs


def test_the_checker_refuses_an_error_its_field_does_not_name(parse: Any, described: Any) -> None:
    page = parse(
        '<input name="a" aria-invalid="true" aria-describedby="id_a_error">'
        '<span id="id_a_error">Sai</span><span id="id_b_error">Sai</span>'
    )
    with pytest.raises(AssertionError, match="errors no field names"):
        described(page)
    with pytest.raises(AssertionError, match="no element has"):
        described(parse('<input name="a" aria-describedby="id_a_error">'))
    with pytest.raises(AssertionError, match="names no error"):
        described(parse('<input name="a" aria-invalid="true">'))


def wide(source: str, **context: object) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


def test_a_wide_table_scrolls_in_a_named_focusable_region(parse: Any) -> None:
    page = parse(
        wide("{% wide_table label=name %}<table></table>{% endwide_table %}", name="Kết quả")
    )
    region = page.find("div", role="region")
    assert region.attrs == {
        "class": "table-wrap",
        "role": "region",
        "aria-label": "Kết quả",
        "tabindex": "0",
    }
    assert page.elements[1].tag == "table"
    by_caption = parse(
        wide(
            '{% wide_table labelledby="c" class="table-scroll" %}<table><caption id="c">X'
            "</caption></table>{% endwide_table %}"
        )
    ).find("div")
    assert by_caption.attrs["aria-labelledby"] == "c"
    assert by_caption.attrs["class"] == "table-scroll"


@pytest.mark.parametrize(
    "source",
    [
        "{% wide_table %}{% endwide_table %}",
        '{% wide_table title="x" %}{% endwide_table %}',
        '{% wide_table "x" %}{% endwide_table %}',
    ],
)
def test_a_wide_table_without_a_name_is_refused_when_the_template_loads(source: str) -> None:
    with pytest.raises(TemplateSyntaxError, match="usage"):
        Template("{% load ui %}" + source)


def test_a_wide_table_whose_name_is_empty_is_refused_when_drawn() -> None:
    with pytest.raises(TemplateSyntaxError, match="needs a label"):
        wide("{% wide_table label=missing %}{% endwide_table %}")
