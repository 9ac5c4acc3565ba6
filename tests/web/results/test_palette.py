"""The one palette of published results: WCAG 2.1 contrast of every colour with the text drawn
on it, group colours that stay apart (also for red-green colour blindness), the bands' spread."""

from __future__ import annotations

import itertools
import math

import pytest

from parindex_web.results import palette
from parindex_web.results.palette import (
    BAND_COLOURS,
    HEAT_COLOURS,
    INDEX_COLOURS,
    LIGHT_TEXT,
    NO_GROUP_COLOUR,
    band_colour,
    contrast,
    text_on,
)

WHITE = "#ffffff"
AA_TEXT = 4.5

# --- WCAG contrast -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the classic "just fails AA" grey
        ("#767676", "#ffffff", 4.54),
        ("#0000ff", "#ffffff", 8.59),
    ],
)
def test_contrast_is_the_wcag_ratio(a, b, ratio):
    assert contrast(a, b) == pytest.approx(ratio, abs=0.01)
    assert contrast(b, a) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", BAND_COLOURS)
def test_group_colours_carry_white_text(colour):
    # Badges, PDF table cells, Excel fills and map tiles draw the label in white on the colour.
    assert text_on(colour) == LIGHT_TEXT
    assert contrast(colour, LIGHT_TEXT) >= AA_TEXT


@pytest.mark.parametrize("colour", BAND_COLOURS)
def test_group_colours_are_readable_as_text_and_swatches_on_white(colour):
    # The PDF prints group labels in their colour on white; legends put a swatch beside the
    # label (non-text contrast needs 3:1, text 4.5:1).
    assert contrast(colour, WHITE) >= AA_TEXT


@pytest.mark.parametrize("colour", [NO_GROUP_COLOUR, *HEAT_COLOURS, *INDEX_COLOURS])
def test_every_other_colour_carries_readable_text(colour):
    assert contrast(colour, text_on(colour)) >= AA_TEXT


def test_the_no_group_colour_is_readable_on_white():
    assert contrast(NO_GROUP_COLOUR, WHITE) >= AA_TEXT


@pytest.mark.parametrize("scale", [HEAT_COLOURS, INDEX_COLOURS])
def test_index_scales_run_from_light_to_dark(scale):
    lums = [palette.luminance(c) for c in scale]
    assert lums == sorted(lums, reverse=True)
    assert len(set(scale)) == len(scale)


def test_index_colours_are_steps_of_the_heat_scale():
    assert set(INDEX_COLOURS) <= set(HEAT_COLOURS)
    assert (INDEX_COLOURS[0], INDEX_COLOURS[-1]) == (HEAT_COLOURS[0], HEAT_COLOURS[-1])


# --- group colours stay apart -------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), full severity, on linear sRGB.
DEFICIENCIES = {
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
}


def _linear(colour: str) -> list[float]:
    out = []
    for i in (1, 3, 5):
        s = int(colour[i : i + 2], 16) / 255
        out.append(s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4)
    return out


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    """CIELAB (D65) of linear sRGB."""
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _seen(colour: str, deficiency: str | None) -> tuple[float, float, float]:
    rgb = _linear(colour)
    if deficiency is not None:
        m = DEFICIENCIES[deficiency]
        rgb = [min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    return _lab(rgb)


@pytest.mark.parametrize(
    ("deficiency", "minimum"), [(None, 30.0), ("deuteranopia", 12.0), ("protanopia", 12.0)]
)
def test_group_colours_are_told_apart(deficiency, minimum):
    """Every two group colours (and the no-group grey) differ by a CIE76 ΔE of at least
    ``minimum`` (about 2.3 is just noticeable), as seen with that colour vision."""
    colours = [*BAND_COLOURS, NO_GROUP_COLOUR]
    for a, b in itertools.combinations(colours, 2):
        assert math.dist(_seen(a, deficiency), _seen(b, deficiency)) >= minimum, (a, b)


# --- bands over the palette ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, ["#007b64"]),
        (2, ["#007b64", "#881e37"]),
        (3, ["#007b64", "#834800", "#881e37"]),
        (5, BAND_COLOURS),
        (7, ["#007b64", "#6b7832", "#6b7832", "#834800", "#dc2c2f", "#dc2c2f", "#881e37"]),
    ],
)
def test_bands_spread_over_the_palette_best_to_worst(count, expected):
    assert [band_colour(i, count) for i in range(count)] == expected


@pytest.mark.parametrize("count", range(2, len(BAND_COLOURS) + 1))
def test_up_to_five_bands_each_get_their_own_colour(count):
    colours = [band_colour(i, count) for i in range(count)]
    assert len(set(colours)) == count
