"""Worked examples, written out as tables: the figures official tables publish."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex import Band, Methodology, Source, compute, format_fixed

from .helpers import D, branch, flat, leaf, scores


def test_a_field_of_11_50_out_of_12_is_95_83_per_cent() -> None:
    m = flat("12", "88")
    result = compute(m, scores(bo={"1": "11.50", "2": "74.63"})).unit("bo")
    assert format_fixed(result.nodes["1"].published_points, 2) == "11.50"
    assert format_fixed(result.nodes["1"].published_index, 2) == "95.83"
    assert result.index == D("86.13")


def test_a_total_is_the_sum_of_an_appraisal_part_and_a_survey_part() -> None:
    m = Methodology(
        id="m",
        name="m",
        nodes=(
            leaf("1", None, "65", source=Source.APPRAISAL),
            leaf("2", None, "35", source=Source.SURVEY),
        ),
    )
    result = compute(m, scores(bo={"1": "53.25", "2": "33.87"})).unit("bo")
    assert result.by_source[Source.APPRAISAL].published_points == D("53.25")
    assert result.by_source[Source.SURVEY].published_points == D("33.87")
    assert result.total_points == D("87.12")
    assert result.index == D("87.12")


@pytest.mark.parametrize(
    ("part_a", "part_b", "published_a", "published_b", "published_total"),
    [
        # Each part rounds up, the exact total does not: 10.13 + 20.13 = 30.26, published 30.25.
        ("10.125", "20.125", "10.13", "20.13", "30.25"),
        # Each part rounds down, the exact total rounds up: 10.11 + 20.11 = 30.22, published 30.23.
        ("10.114", "20.114", "10.11", "20.11", "30.23"),
        # No difference when the parts are already at two places.
        ("53.25", "33.87", "53.25", "33.87", "87.12"),
    ],
)
def test_published_totals_are_rounded_from_exact_sums_not_from_rounded_parts(
    part_a: str, part_b: str, published_a: str, published_b: str, published_total: str
) -> None:
    m = Methodology(
        id="m",
        name="m",
        nodes=(
            leaf("1", None, "60", source=Source.APPRAISAL),
            leaf("2", None, "40", source=Source.SURVEY),
        ),
    )
    result = compute(m, scores(u={"1": part_a, "2": part_b})).unit("u")
    assert result.nodes["1"].published_points == D(published_a)
    assert result.nodes["2"].published_points == D(published_b)
    assert result.total_points == D(published_total)
    difference = abs(D(published_a) + D(published_b) - result.total_points)
    assert difference <= D("0.01")


def test_component_indices_are_computed_at_every_level() -> None:
    m = Methodology(
        id="m",
        name="m",
        nodes=(
            branch("1", None, "12"),
            branch("1.1", "1", "5"),
            leaf("1.1.1", "1.1", "2"),
            leaf("1.1.2", "1.1", "3"),
            leaf("1.2", "1", "7"),
        ),
    )
    r = compute(m, scores(u={"1.1.1": "2", "1.1.2": "2.5", "1.2": "7"})).unit("u")
    assert r.nodes["1.1"].published_points == D("4.50")
    assert r.nodes["1.1"].published_index == D("90.00")
    assert r.nodes["1"].published_points == D("11.50")
    assert r.nodes["1"].published_index == D("95.83")


@pytest.mark.parametrize(
    ("indices", "ranks"),
    [
        ({"a": "90", "b": "85", "c": "85", "d": "80"}, {"a": 1, "b": 2, "c": 2, "d": 4}),
        ({"a": "70", "b": "70", "c": "70"}, {"a": 1, "b": 1, "c": 1}),
        ({"a": "10", "b": "20", "c": "30"}, {"a": 3, "b": 2, "c": 1}),
        # 85.004 and 84.996 both publish as 85.00: ranks are on the published index.
        ({"a": "85.004", "b": "84.996", "c": "84.994"}, {"a": 1, "b": 1, "c": 3}),
    ],
)
def test_ranks_are_competition_ranks_on_the_published_index(
    indices: dict[str, str], ranks: dict[str, int]
) -> None:
    results = compute(flat("100"), {u: {"1": D(v)} for u, v in indices.items()})
    assert {u.unit: u.rank for u in results.units} == ranks


def test_results_are_ordered_by_rank_then_unit_in_vietnamese_order() -> None:
    data = {"Đà Nẵng": "80", "Bắc Ninh": "80", "An Giang": "80", "Yên Bái": "90", "Cà Mau": "70"}
    results = compute(flat("100"), {u: {"1": D(v)} for u, v in data.items()})
    assert [u.unit for u in results.units] == [
        "Yên Bái",
        "An Giang",
        "Bắc Ninh",
        "Đà Nẵng",
        "Cà Mau",
    ]


BANDS = (Band("A", D(90)), Band("B", D(80)), Band("C", D(70)), Band("D", D(0)))


@pytest.mark.parametrize(
    ("index", "group"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.995", "A"),  # publishes as 90.00, which reaches 90
        ("89.994", "B"),
        ("80", "B"),
        ("79.99", "C"),
        ("70", "C"),
        ("0", "D"),
    ],
)
def test_groups_come_from_the_first_band_the_published_index_reaches(
    index: str, group: str
) -> None:
    result = compute(flat("100"), {"u": {"1": D(index)}}, bands=BANDS).unit("u")
    assert result.group == group


def test_a_unit_below_every_band_has_no_group() -> None:
    result = compute(flat("100"), {"u": {"1": D(50)}}, bands=(Band("Từ 80% trở lên", D(80)),))
    assert result.unit("u").group is None


def test_the_methodology_bands_apply_unless_overridden() -> None:
    m = flat("100", bands=(Band("Tốt", D(80)), Band("Khá", D(0))))
    assert compute(m, {"u": {"1": D(85)}}).unit("u").group == "Tốt"
    assert compute(m, {"u": {"1": D(85)}}, bands=BANDS).unit("u").group == "B"


@pytest.mark.parametrize(
    ("places", "expected_index", "expected_points"),
    [(0, "96", "12"), (1, "95.8", "11.5"), (2, "95.83", "11.50"), (3, "95.833", "11.500")],
)
def test_places_set_the_published_decimals(
    places: int, expected_index: str, expected_points: str
) -> None:
    m = flat("12", "88")
    r = compute(m, scores(u={"1": "11.5", "2": "0"}), places=places).unit("u")
    assert format_fixed(r.nodes["1"].published_index, places) == expected_index
    assert format_fixed(r.nodes["1"].published_points, places) == expected_points


def test_a_missing_leaf_counts_as_zero_and_is_reported() -> None:
    results = compute(flat("50", "50"), scores(u={"1": "40"}))
    assert results.unit("u").total_points == D("40.00")
    assert len(results.warnings) == 1
    assert "leaf 2" in str(results.warnings[0])


def test_summary_statistics_per_node_and_total() -> None:
    results = compute(
        flat("100"), scores(a={"1": "90"}, b={"1": "80"}, c={"1": "70"}, d={"1": "61"})
    )
    total = results.stats["total"]
    assert (total.count, total.mean, total.median, total.minimum, total.maximum) == (
        4,
        D("75.25"),
        D("75.00"),
        D("61.00"),
        D("90.00"),
    )
    assert results.stats["1"].mean == D("75.25")


def test_changes_against_the_previous_year() -> None:
    from parindex import Previous

    previous = {"a": Previous(index=D("80.00"), rank=2), "b": Previous(index=D("90.00"), rank=1)}
    results = compute(
        flat("100"), scores(a={"1": "91.5"}, b={"1": "85"}, c={"1": "70"}), previous=previous
    )
    a, b, c = results.unit("a"), results.unit("b"), results.unit("c")
    assert (
        a.change is not None and a.change.index_change == D("11.50") and a.change.rank_change == 1
    )
    assert (
        b.change is not None and b.change.index_change == D("-5.00") and b.change.rank_change == -1
    )
    assert c.change is None


def test_a_previous_result_without_a_rank_gives_no_rank_change() -> None:
    from parindex import Previous

    results = compute(flat("100"), scores(a={"1": "50"}), previous={"a": Previous(index=D(40))})
    change = results.unit("a").change
    assert change is not None and change.rank_change is None and change.index_change == D(10)


def test_unknown_units_raise_key_error() -> None:
    results = compute(flat("100"), scores(a={"1": "50"}))
    with pytest.raises(KeyError):
        results.unit("b")


def test_half_even_rounding_when_the_methodology_says_so() -> None:
    from parindex import Rounding

    m = Methodology(id="m", name="m", nodes=flat("100").nodes, rounding=Rounding.HALF_EVEN)
    assert compute(m, scores(u={"1": "80.125"})).unit("u").index == D("80.12")
    assert compute(flat("100"), scores(u={"1": "80.125"})).unit("u").index == D("80.13")


def test_no_units_gives_empty_results() -> None:
    results = compute(flat("100"), {})
    assert results.units == () and results.stats == {}


def test_exact_points_are_kept_besides_published_ones() -> None:
    r = compute(flat("3"), scores(u={"1": "2"})).unit("u")
    assert r.nodes["1"].index == Decimal(2) / Decimal(3) * 100
    assert r.nodes["1"].published_index == D("66.67")


@pytest.mark.parametrize(
    ("data", "column", "message"),
    [
        ({"u": {"9": D(1)}}, "code", "unknown code '9'"),
        ({"u": {"1": D(13)}}, "points", "outside [0, 12"),
        ({"u": {"1": D(-1)}}, "points", "outside [0, 12"),
    ],
)
def test_compute_refuses_bad_scores_naming_unit_and_code(
    data: dict[str, dict[str, Decimal]], column: str, message: str
) -> None:
    from parindex import InputError

    with pytest.raises(InputError) as caught:
        compute(flat("12", "88"), data)
    problem = caught.value.problems[0]
    assert problem.location.column == column and message in problem.message


def test_compute_refuses_points_for_a_branch() -> None:
    from parindex import InputError

    m = Methodology(id="m", name="m", nodes=(branch("1", None, "5"), leaf("1.1", "1", "5")))
    with pytest.raises(InputError, match="'1' is not a leaf"):
        compute(m, {"u": {"1": D(1)}})


def test_compute_refuses_bad_override_bands() -> None:
    from parindex import InputError

    with pytest.raises(InputError, match="highest first"):
        compute(flat("100"), {"u": {"1": D(1)}}, bands=(Band("B", D(80)), Band("A", D(90))))


def test_a_source_is_inherited_from_the_nearest_ancestor() -> None:
    m = Methodology(
        id="m",
        name="m",
        nodes=(
            branch("1", None, "5", source=Source.SIPAS),
            branch("1.1", "1", "5"),
            leaf("1.1.1", "1.1", "5"),
        ),
    )
    assert m.source_of("1.1.1") is Source.SIPAS
    r = compute(m, {"u": {"1.1.1": D(4)}}).unit("u")
    assert set(r.by_source) == {Source.SIPAS}
