"""The charts' axes of counts (units per band, units per group) tick at whole numbers only."""

from __future__ import annotations

from matplotlib.figure import Figure

from parindex_web.reports import charts


def ticks(counts: list[int], whole: bool) -> list[float]:
    ax = Figure().add_subplot()
    ax.bar(["a", "b", "c"][: len(counts)], counts)
    if whole:
        charts._whole_counts(ax)
    return [float(t) for t in ax.get_yticks()]


def test_a_few_units_are_counted_in_whole_numbers() -> None:
    assert any(not t.is_integer() for t in ticks([1, 2], whole=False))  # matplotlib's 0.25 steps
    assert all(t.is_integer() for t in ticks([1, 2], whole=True))
    assert all(t.is_integer() for t in ticks([3, 1, 2], whole=True))


def test_many_units_keep_matplotlibs_round_steps() -> None:
    assert ticks([40, 120, 75], whole=True) == ticks([40, 120, 75], whole=False)
