"""What a public page reads of a publication (issue 17.4): the methodology parsed once per
publication, indices and ranks from the per-unit rows, the previous cycle's results document
left unread by a comparison."""

from __future__ import annotations

from decimal import Decimal

import pytest

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.models import Publication
from parindex_web.reports import stored

pytestmark = pytest.mark.django_db


def test_the_methodology_is_parsed_once_per_publication(world, monkeypatch):
    calls = []
    parse = parindex.parse_methodology_yaml

    def counting(text: str, file: str = "<yaml>") -> parindex.Methodology:
        calls.append(file)
        return parse(text, file)

    monkeypatch.setattr(parindex, "parse_methodology_yaml", counting)
    first = published.load(world.c2025).methodology
    again = published.load(world.c2025).methodology  # another request, the same publication
    other = published.load(world.c2024).methodology
    assert calls == ["tiny-province", "tiny-province"]  # 2025 once, 2024 once
    assert again == first == parse(world.c2025.publications.get().methodology_text)
    assert other.id == first.id


def test_a_corrected_publication_has_its_own_methodology(world):
    assert published.load(world.c2025).methodology.fields[0].name == "Chỉ đạo, điều hành"
    correction = Publication.objects.get(cycle=world.c2025)
    text = correction.methodology_text.replace("Chỉ đạo, điều hành", "Chỉ đạo")
    correction.pk, correction.version, correction.methodology_text = None, 2, text
    correction.content_hash = "f" * 64
    correction.save()
    assert published.load(world.c2025).methodology.fields[0].name == "Chỉ đạo"
    assert published.load(world.c2025, 1).methodology.fields[0].name == "Chỉ đạo, điều hành"


def test_indices_and_ranks_come_from_the_unit_rows_in_rank_order(world):
    pub = published.load(world.c2025)
    assert [(code, str(i), r) for code, (i, r) in pub.ranks.items()] == [
        (u.unit, str(u.index), u.rank) for u in pub.snapshot.units
    ]
    assert list(pub.ranks) == ["DN", "HN", "LS", "CB"]
    assert str(pub.ranks["LS"][0]) == "75.00"  # the published places kept


def test_a_comparison_leaves_the_previous_results_document_unread(world):
    pub = published.load(world.c2025)
    assert pub.comparisons["LS"].change == Decimal("2.75")  # 75.00 − 72.25
    previous = pub.previous
    assert previous is not None
    assert "results_json" in previous.publication.get_deferred_fields()
    assert stored.unit_codes(previous.publication.pk) == {"DN-OLD", "QN", "LS"}


def test_the_ranking_twin_leaves_the_previous_results_document_unread(client, world, monkeypatch):
    loads = []
    load = published.load

    def spying(cycle, version=None):
        found = load(cycle, version)
        loads.append(found)
        return found

    monkeypatch.setattr(published, "load", spying)
    assert client.get(f"/results/{world.c2025.pk}.json").status_code == 200
    before = [p for p in loads if p.cycle == world.c2024]
    assert before and all("results_json" in p.publication.get_deferred_fields() for p in before)


def test_one_units_row_is_typed_alone_as_the_snapshot_types_it(world):
    pub = published.load(world.c2025)
    row = pub.unit_row("LS")
    assert row["result"] == pub.snapshot.unit("LS")
    assert (row["name"], row["unit_obj"].code) == ("Lạng Sơn", "LS")
    assert pub.stats == pub.snapshot.stats
    assert pub.max_total == pub.snapshot.max_total


def test_the_list_of_cycles_counts_units_without_the_results_document(client, world):
    latest = published.latest_publication(world.c2025)
    assert latest is not None
    assert "results_json" in latest.get_deferred_fields()
    assert (
        published.unit_count(latest)
        == 4
        == len(Publication.objects.get(pk=latest.pk).results_json["units"])
    )
    listed = {c["id"]: c["units"] for c in client.get("/results.json").json()["cycles"]}
    api = {c["id"]: c["units"] for c in client.get("/api/cycles").json()["items"]}
    assert listed == api == {world.c2024.pk: 3, world.c2025.pk: 4}


@pytest.mark.parametrize("page", ["ranking", "profile", "map"])
def test_a_page_leaves_the_results_document_unread(world, page):
    from parindex_web.profiles import data as profiles
    from parindex_web.results import serializers

    pub = published.load(world.c2025)
    if page == "ranking":
        assert [u.unit for u in serializers.ranked_units(pub)] == ["DN", "HN", "LS", "CB"]
    elif page == "profile":
        assert profiles.profile(pub, "LS")["index"] == "75.00"
    else:
        assert profiles.province_map(pub) is None  # no tile grid holds these test codes
    assert "results_json" in pub.publication.get_deferred_fields()
