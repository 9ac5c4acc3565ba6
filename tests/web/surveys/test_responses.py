"""Stored responses (services.record_responses): what is kept, exact duplicates skipped, a
submission stored with other answers refused with nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from parindex_web.surveys import services
from parindex_web.surveys.models import Questionnaire, Response
from parindex_web.surveys.services import ResponseRow

from .test_questionnaires import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(client, people, cycle) -> Questionnaire:
    client.force_login(people.secretariat)
    assert post(client, cycle).status_code == 302
    return Questionnaire.objects.get()


def row(sid: str, unit: str = "phuong_a", **answers: str) -> ResponseRow:
    return ResponseRow(sid, unit, {"q24": "5", "y_kien": "", **answers}, 2.0, "mot_cua")


def test_rows_are_stored_with_their_answers_and_blanks_left_out(questionnaire):
    n = services.record_responses(questionnaire, [row("u-1"), row("u-2", q24="3")], source="online")
    assert n == 2
    stored = list(Response.objects.values_list("submission_id", "unit_code", "answers", "weight"))
    assert stored == [
        ("u-1", "phuong_a", {"q24": "5"}, 2.0),
        ("u-2", "phuong_a", {"q24": "3"}, 2.0),
    ]
    assert {r.source for r in Response.objects.all()} == {"online"}
    assert Response.objects.first().stratum == "mot_cua"


def test_exact_duplicates_are_skipped_in_the_rows_and_against_the_stored(questionnaire):
    assert services.record_responses(questionnaire, [row("u-1"), row("u-1")], source="online") == 1
    again = [row("u-1"), row("u-2")]
    assert services.record_responses(questionnaire, again, source="import") == 1
    assert Response.objects.count() == 2


def test_the_same_submission_with_other_answers_refuses_everything(questionnaire):
    services.record_responses(questionnaire, [row("u-1")], source="online")
    with pytest.raises(ValidationError, match="u-1"):
        services.record_responses(questionnaire, [row("u-2"), row("u-1", q24="1")], source="online")
    with pytest.raises(ValidationError, match="u-3"):
        services.record_responses(
            questionnaire, [row("u-3"), row("u-3", "phuong_b")], source="online"
        )
    assert list(Response.objects.values_list("submission_id", flat=True)) == ["u-1"]


def test_progress_is_reported_per_chunk(questionnaire, monkeypatch):
    monkeypatch.setattr(services, "STORE_CHUNK", 2)
    calls: list[tuple[int, int]] = []
    rows = [row(f"u-{i}") for i in range(5)]
    stored = services.record_responses(
        questionnaire, rows, source="import", progress=lambda d, t: calls.append((d, t))
    )
    assert stored == 5
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_deleting_the_questionnaire_deletes_its_responses(questionnaire):
    services.record_responses(questionnaire, [row("u-1")], source="online")
    questionnaire.delete()
    assert not Response.objects.exists()


@examples(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(
        st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["1", "4", "5"])), max_size=6),
        max_size=4,
    )
)
def test_any_sequence_of_calls_stores_each_submission_once_or_refuses_all(questionnaire, batches):
    """Against a model: a call stores the ids not yet stored and returns their count, unless
    one of its ids is stored (or given in it) with another answer: then nothing changes."""
    with transaction.atomic():
        model: dict[str, str] = {}
        for batch in batches:
            rows = [row(f"u-{i}", q24=answer) for i, answer in batch]
            given_here: dict[str, str] = {}
            conflict = False
            for i, answer in batch:
                sid = f"u-{i}"
                known = model.get(sid, given_here.get(sid))
                conflict |= known is not None and known != answer
                given_here.setdefault(sid, answer)
            if conflict:
                with pytest.raises(ValidationError):
                    services.record_responses(questionnaire, rows, source="import")
            else:
                new = {sid: a for sid, a in given_here.items() if sid not in model}
                assert services.record_responses(questionnaire, rows, source="import") == len(new)
                model.update(new)
            stored = {
                sid: answers["q24"]
                for sid, answers in Response.objects.values_list("submission_id", "answers")
            }
            assert stored == model
        transaction.set_rollback(True)
