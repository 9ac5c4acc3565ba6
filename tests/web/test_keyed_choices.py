"""KeyedChoices (parindex_web/lib/ids.py): a multiple choice of rows by id that refuses a number
beyond the database's keys like any id it does not offer, without sending it to the database."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group

from parindex_web.lib.ids import MAX_ID, KeyedChoices

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    groups = KeyedChoices(queryset=Group.objects.order_by("pk"), required=False)


def cleaned(value: Any) -> tuple[list[str], list[Group]]:
    form = Sample({"groups": value})
    if form.is_valid():
        return [], list(form.cleaned_data["groups"])
    return [e.code or "" for e in form.errors.as_data()["groups"]], []


@pytest.mark.parametrize("number", [str(MAX_ID + 1), str(-MAX_ID - 2), "1" + "0" * 30])
def test_an_id_beyond_the_keys_is_refused_before_any_query(
    number: str, django_assert_num_queries: Any
) -> None:
    Group.objects.create(name="a")
    with django_assert_num_queries(0):
        assert cleaned([number]) == (["invalid_choice"], [])


def test_the_refusal_names_the_id_like_for_any_id_not_offered() -> None:
    form = Sample({"groups": [str(MAX_ID + 1)]})
    assert not form.is_valid()
    assert str(MAX_ID + 1) in form.errors["groups"][0]


def test_offered_ids_are_chosen_and_others_refused() -> None:
    a, b = Group.objects.create(name="a"), Group.objects.create(name="b")
    assert cleaned([str(a.pk), str(b.pk)]) == ([], [a, b])
    assert cleaned([str(b.pk + 1)]) == (["invalid_choice"], [])
    assert cleaned([str(MAX_ID)]) == (["invalid_choice"], [])  # the largest key: looked up


def test_django_still_refuses_what_is_not_a_list_of_ids() -> None:
    assert cleaned([]) == ([], [])
    assert cleaned(["x"]) == (["invalid_pk_value"], [])
