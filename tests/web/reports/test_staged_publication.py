"""Publishing stages its rows before it makes them public (issue 17, points 1 and 2).

The core computes and the results are serialised outside any transaction; the unit rows are
written as a draft nobody reads; one short transaction then saves the publication and gives
it the rows. What is published is the same, byte for byte, as when the whole document was
built and encoded at once; a reader meanwhile sees the state before; a failure leaves nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

import parindex
from parindex_web.cycles import published as public
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Phase, Publication
from parindex_web.notifications import services as handovers
from parindex_web.reports import stored
from parindex_web.reports.models import PublishedHeader, PublishedUnit

from .conftest import World, default_share, make_cycle

pytestmark = pytest.mark.django_db


def finalised(world: World) -> Cycle:
    cycle = make_cycle(world, 2024, world.units, default_share, publish=False)
    services.finalise(world.secretariat, cycle)
    return cycle


def whole_document(cycle: Cycle) -> dict[str, Any]:
    """The results document as the earlier code built it: all at once."""
    results = parindex.compute(cycle.core(), services.final_scores(cycle))
    return parindex.results_to_dict(results)


def unit_rows(publication: Publication) -> list[tuple[Any, ...]]:
    found = PublishedUnit.objects.filter(publication=publication).order_by("unit_code")
    return list(found.values_list("unit_code", "rank", "index", "group", "row_json", "fields_json"))


def test_the_published_document_and_rows_are_those_of_the_whole_document(
    world: World,
) -> None:
    cycle = finalised(world)
    whole = whole_document(cycle)
    publication = services.publish(world.secretariat, cycle)
    saved = Publication.objects.get(pk=publication.pk)
    assert saved.results_json == json.loads(json.dumps(whole))
    assert publication.results_json == saved.results_json  # read again when asked for
    if connection.vendor == "sqlite":  # the column's text is what Django's field writes
        with connection.cursor() as cursor:
            cursor.execute("SELECT results_json FROM cycles_publication WHERE id = %s", [saved.pk])
            assert cursor.fetchone()[0] == json.dumps(whole)
    staged = unit_rows(saved)
    header = stored.header(saved.pk)
    stored.store_units(saved)  # the rows as copied from the document
    assert unit_rows(saved) == staged
    assert stored.header(saved.pk) == header == stored.header_of(saved.results_json)
    assert len(staged) == len(world.units)
    assert not PublishedUnit.objects.filter(publication=None).exists()


@given(
    st.dictionaries(
        st.text(max_size=5).filter(lambda k: k != "units"),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
            max_leaves=6,
        ),
        max_size=4,
    ),
    st.integers(0, 4),
    st.lists(st.dictionaries(st.text(max_size=4), st.text(max_size=6), max_size=3), max_size=4),
)
def test_document_text_is_json_dumps_of_the_whole(
    head: dict[str, Any], at: int, units: list[dict[str, Any]]
) -> None:
    items = list(head.items())
    with_units = dict([*items[:at], ("units", units), *items[at:]])
    placeholder = dict([*items[:at], ("units", []), *items[at:]])
    text = stored.document_text(placeholder, [json.dumps(u) for u in units])
    assert text == json.dumps(with_units)


def test_a_reader_while_publishing_sees_the_state_before(
    world: World, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = make_cycle(world, 2024, world.units, default_share)
    first = Publication.objects.get(cycle=cycle)
    seen: dict[str, Any] = {}
    stage = stored.stage

    def staging_then_reading(cycle_id: int, results: parindex.Results) -> stored.Staged:
        staged = stage(cycle_id, results)  # committed: every reader could see it now
        assert not connection.in_atomic_block
        seen["drafts"] = PublishedUnit.objects.filter(draft=staged.token).count()
        latest = public.latest_publication(Cycle.objects.get(pk=cycle_id))
        seen["latest"] = latest.version if latest else 0
        seen["rows"] = stored.unit_count(first.pk)
        seen["versions"] = Publication.objects.filter(cycle=cycle).count()
        return staged

    monkeypatch.setattr(stored, "stage", staging_then_reading)
    second = services.publish(world.secretariat, cycle, reason="Đính chính")
    assert seen == {
        "drafts": len(world.units),
        "latest": 1,
        "rows": len(world.units),
        "versions": 1,
    }
    assert second.version == 2
    assert stored.unit_count(second.pk) == len(world.units)
    assert not PublishedUnit.objects.filter(publication=None).exists()


def test_a_first_publication_is_not_public_before_its_transaction(
    world: World, transactional_db: None, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = finalised(world)
    pages: list[int] = []
    stage = stored.stage

    def staging_then_reading(cycle_id: int, results: parindex.Results) -> stored.Staged:
        staged = stage(cycle_id, results)
        pages.append(client.get(f"/results/{cycle_id}/").status_code)
        pages.append(client.get(f"/results/{cycle_id}/open-data.zip").status_code)
        assert Cycle.objects.get(pk=cycle_id).phase == Phase.FINALISED
        return staged

    monkeypatch.setattr(stored, "stage", staging_then_reading)
    services.publish(world.secretariat, cycle)
    assert pages == [404, 404]
    assert client.get(f"/results/{cycle.pk}/").status_code == 200


def test_a_failure_before_the_publication_is_saved_leaves_nothing(
    world: World, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = finalised(world)

    def failing(publication: Publication) -> None:
        raise RuntimeError("the notices failed")

    monkeypatch.setattr(handovers, "published", failing)
    with pytest.raises(RuntimeError):
        services.publish(world.secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.FINALISED
    assert not Publication.objects.filter(cycle=cycle).exists()
    assert not PublishedUnit.objects.exists()
    assert not PublishedHeader.objects.exists()


def test_a_draft_left_by_a_crash_is_replaced_by_the_next_publication(world: World) -> None:
    cycle = finalised(world)
    results = parindex.compute(cycle.core(), services.final_scores(cycle))
    left = stored.stage(cycle.pk, results)  # a worker killed before the publication's save
    assert PublishedUnit.objects.filter(draft=left.token).count() == len(world.units)
    publication = services.publish(world.secretariat, cycle)
    assert not PublishedUnit.objects.filter(publication=None).exists()
    assert stored.unit_count(publication.pk) == len(world.units)


def test_points_corrected_while_publishing_refuse_the_publication(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = make_cycle(world, 2024, world.units, default_share)
    stage = stored.stage
    leaf = cycle.core().leaves[0].code

    def staging_then_correcting(cycle_id: int, results: parindex.Results) -> stored.Staged:
        staged = stage(cycle_id, results)
        later = timezone.now() + timedelta(seconds=1)
        with monkeypatch.context() as m:
            m.setattr(timezone, "now", lambda: later)
            services.correct_final_points(
                world.secretariat,
                Cycle.objects.get(pk=cycle_id),
                unit_code="x-mot",
                code=leaf,
                points=Decimal("0"),
                reason="Sai số liệu",
            )
        return staged

    monkeypatch.setattr(stored, "stage", staging_then_correcting)
    with pytest.raises(services.CycleError, match="đính chính trong khi công bố"):
        services.publish(world.secretariat, cycle, reason="Đính chính")
    assert Publication.objects.filter(cycle=cycle).count() == 1
    assert not PublishedUnit.objects.filter(publication=None).exists()


def test_another_publication_meanwhile_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = make_cycle(world, 2024, world.units, default_share)
    stage = stored.stage

    def staging_then_publishing(cycle_id: int, results: parindex.Results) -> stored.Staged:
        staged = stage(cycle_id, results)
        monkeypatch.setattr(stored, "stage", stage)
        services.publish(world.secretariat, Cycle.objects.get(pk=cycle_id), reason="Khác")
        return staged

    monkeypatch.setattr(stored, "stage", staging_then_publishing)
    with pytest.raises(services.CycleError, match="vừa công bố"):
        services.publish(world.secretariat, cycle, reason="Đính chính")
    assert list(Publication.objects.filter(cycle=cycle).values_list("reason", flat=True)) == [
        "Khác",
        "",
    ]
    assert not PublishedUnit.objects.filter(publication=None).exists()


def test_old_drafts_are_discarded_and_recent_ones_kept(world: World) -> None:
    cycle = finalised(world)
    results = parindex.compute(cycle.core(), services.final_scores(cycle))
    old = stored.stage(cycle.pk, results)
    PublishedUnit.objects.filter(draft=old.token).update(
        staged_at=timezone.now() - timedelta(days=2)
    )
    assert stored.discard(older_than=timedelta(days=1)) == len(world.units)
    recent = stored.stage(cycle.pk, results)
    assert stored.discard(older_than=timedelta(days=1)) == 0
    assert PublishedUnit.objects.filter(draft=recent.token).count() == len(world.units)


def test_sqlite_checks_json_again_once_the_document_is_saved(world: World) -> None:
    from django.db import IntegrityError

    cycle = finalised(world)
    publication = services.publish(world.secretariat, cycle)
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints")
        assert cursor.fetchone()[0] == 0
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_publishedheader SET header_json = '{' WHERE publication_id = %s",
            [publication.pk],
        )
