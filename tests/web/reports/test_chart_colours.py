"""The downloads draw with the published results' palette, and every colour of their charts
meets WCAG 2.1 contrast: 3:1 against the white page for marks beside their labels (bars, lines,
swatches), 4.5:1 for text, including text drawn on a colour."""

from __future__ import annotations

from typing import Any

import pytest

from parindex_web.cycles.published import load
from parindex_web.reports import charts
from parindex_web.reports.data import build
from parindex_web.results.palette import INDEX_COLOURS, band_colour, contrast, text_on

WHITE = "#ffffff"


@pytest.mark.parametrize(
    "colour", [charts.BLUE, charts.GREY, charts.GREEN, charts.RED, charts.ORANGE]
)
def test_chart_marks_stand_out_from_the_page(colour):
    assert contrast(colour, WHITE) >= 3


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (charts.INK, WHITE),  # labels and ticks
        (charts.RED, WHITE),  # "mean …" beside the histogram's line
        (WHITE, charts.BLUE),  # the means written on the component bars
        (text_on(charts.LIGHT), charts.LIGHT),  # a province without a result on the map
        *[(text_on(c), c) for c in INDEX_COLOURS],  # the map's provinces
    ],
)
def test_chart_text_is_readable(text, background):
    assert contrast(text, background) >= 4.5


def test_the_map_uses_the_public_index_scale_with_outlined_swatches():
    assert charts.MAP_COLOURS == INDEX_COLOURS
    assert contrast(charts.SWATCH_EDGE, WHITE) >= 3


@pytest.mark.django_db
def test_groups_take_the_results_pages_colours(published: Any) -> None:
    report = build(load(published))
    assert len(report.bands) == 5
    assert [c for _label, _min, c in report.bands] == [band_colour(i, 5) for i in range(5)]
    for row in report.rows:
        assert row.group_colour == {b[0]: b[2] for b in report.bands}[row.group]
