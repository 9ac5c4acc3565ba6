"""The colours of published results, for every place that shows them: the results pages, the
unit profiles and province map, and the downloads (PDF charts, Excel fills).

Contract (tests/web/results/test_palette.py computes it): every colour meets WCAG 2.1 contrast
with the text drawn on it, at least 4.5:1 (:func:`text_on` picks that text). A group colour
carries white text, and is also used as text on white and as a swatch beside its label, so it
has at least 4.5:1 against white both ways. The group colours stay apart for people with
normal colour vision and with red-green colour blindness; the group's label is always shown
beside or on its colour, so colour is never the only cue.
"""

from __future__ import annotations

__all__ = [
    "BAND_COLOURS",
    "DARK_TEXT",
    "HEAT_COLOURS",
    "INDEX_COLOURS",
    "LIGHT_TEXT",
    "NO_GROUP_COLOUR",
    "band_colour",
    "contrast",
    "luminance",
    "text_on",
]

DARK_TEXT, LIGHT_TEXT = "#1b1f24", "#ffffff"

# Groups (bands), best first: teal green, olive, brown, red, maroon. Each carries white text at
# 4.7:1 or more; a methodology with another number of bands is spread over the same scale.
BAND_COLOURS = ["#007b64", "#6b7832", "#834800", "#dc2c2f", "#881e37"]
# A unit without a group: the site's muted grey, white text.
NO_GROUP_COLOUR = "#4a5560"
# Sequential scale for indices, low to high (ColorBrewer "Blues", 7 classes): the heat table.
HEAT_COLOURS = ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"]
# Five classes of the same scale, for the maps.
INDEX_COLOURS = [HEAT_COLOURS[i] for i in (0, 2, 3, 5, 6)]


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.1)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(background: str) -> str:
    """Dark or light text, whichever contrasts more with ``background``."""
    dark, light = contrast(background, DARK_TEXT), contrast(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def band_colour(position: int, count: int) -> str:
    """The colour of the band at ``position`` (0 = best) of ``count`` bands."""
    if count <= 1:
        return BAND_COLOURS[0]
    step = round(position * (len(BAND_COLOURS) - 1) / (count - 1))
    return BAND_COLOURS[min(step, len(BAND_COLOURS) - 1)]
