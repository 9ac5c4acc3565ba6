"""Charts for the PDF reports, drawn server-side as SVG with matplotlib.

They show the same published figures as the public pages (read through
:mod:`parindex_web.reports.data` from the snapshot). Only matplotlib's object API is used (no
pyplot, so no global state between requests); text is drawn as paths in the bundled DejaVu Sans,
which covers Vietnamese.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.utils import formats
from django.utils.translation import gettext as _
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from parindex_web.results.palette import INDEX_COLOURS, text_on

from .data import Report

# Data colours: each has at least 3:1 against the white page (WCAG 2.1 non-text contrast), and
# 4.5:1 with the text drawn on it (tests/web/reports/test_chart_colours.py).
BLUE = "#1f4e79"
GREY = "#808a94"
GREEN = "#2f8f46"
RED = "#b42318"
LIGHT = "#d0d7de"
INK = "#1f2328"
ORANGE = "#cc5f10"
# Index scale of the map, lowest first: the public map's (results.palette).
MAP_COLOURS = INDEX_COLOURS
# Outline of the map legend's swatches, so that the lightest ones stand out from the page.
SWATCH_EDGE = "#57606a"

rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "svg.fonttype": "path",
        "svg.hashsalt": "parindex",
        "axes.edgecolor": GREY,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
    }
)


# Width of a chart in inches: the text column of an A4 page (182 mm) less a little, so that
# charts are shown at their own size and their text at the same size everywhere.
WIDTH = 6.9


def _figure(height: float, width: float = WIDTH) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _fmt(value: float, places: int = 0) -> str:
    return formats.number_format(Decimal(str(value)), places)


def _tidy(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _whole_counts(ax: Axes) -> None:
    """Ticks at whole numbers only on the axis of counts (its default locator, AutoLocator, is
    a MaxNLocator)."""
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):
        locator.set_params(integer=True)


def histogram(report: Report) -> str:
    """How many units in each five-point band of the total index."""
    values = [float(r.index) for r in report.rows]
    low = 5 * math.floor(min(values) / 5)
    high = 5 * math.ceil(max(values) / 5)
    if high == low:
        high = low + 5
    edges = list(range(int(low), int(high) + 1, 5))
    fig = _figure(2.3)
    ax = fig.add_subplot()
    ax.hist(values, bins=edges, color=BLUE, edgecolor="white")
    ax.set_xticks(edges)
    ax.set_xlabel(_("Index (%)"))
    ax.set_ylabel(_("Number of units"))
    _whole_counts(ax)
    mean = report.stat("total").get("mean")
    if mean is not None:
        top = ax.get_ylim()[1] * 1.15
        ax.set_ylim(0, top)
        ax.axvline(float(mean), color=RED, linestyle="--", linewidth=1)
        ax.text(
            float(mean),
            top,
            " " + _("mean %(value)s") % {"value": _fmt(float(mean), report.places)},
            color=RED,
            va="top",
        )
    _tidy(ax)
    return _svg(fig)


def component_means(report: Report) -> str:
    """Mean component index per field, with the lowest and highest as a line."""
    stats = [(code, label, s) for code, label, s in report.stats if code != "total"]
    fig = _figure(0.42 * len(stats) + 0.7)
    ax = fig.add_subplot()
    ys = list(range(len(stats)))[::-1]
    means = [float(s["mean"]) for _c, _l, s in stats]
    ax.barh(ys, means, height=0.55, color=BLUE)
    lows = [float(s["min"]) for _c, _l, s in stats]
    highs = [float(s["max"]) for _c, _l, s in stats]
    ax.hlines(ys, lows, highs, color=ORANGE, linewidth=1.5)
    ax.plot(
        lows + highs,
        ys + ys,
        linestyle="none",
        marker="|",
        markersize=9,
        color=ORANGE,
        clip_on=False,
    )
    for y, value in zip(ys, means, strict=True):
        ax.text(1.5, y, _fmt(value, report.places), va="center", color="white")
    ax.set_yticks(ys, [_label(f"{c}. {label}") for c, label, _s in stats])
    ax.set_xlim(0, 100)
    ax.set_xlabel(
        _("Mean component index (%); the orange line runs from the lowest to the highest")
    )
    _tidy(ax)
    return _svg(fig)


def groups(report: Report) -> str | None:
    """Units per group, in the groups' colours; None without groups."""
    counts = report.group_counts()
    if not counts:
        return None
    fig = _figure(1.9, 4.5)
    ax = fig.add_subplot()
    labels = [label for label, _n, _c in counts]
    values = [n for _l, n, _c in counts]
    ax.bar(labels, values, color=[c for _l, _n, c in counts])
    for x, n in enumerate(values):
        ax.text(x, n, str(n), ha="center", va="bottom")
    ax.set_ylabel(_("Number of units"))
    _whole_counts(ax)
    _tidy(ax)
    return _svg(fig)


def unit_profile(report: Report, code: str) -> str:
    """One unit's component indices beside the mean and the best of every field."""
    row = report.row(code)
    assert row is not None
    fields = report.fields
    fig = _figure(0.5 * len(fields) + 0.9)
    ax = fig.add_subplot()
    ys = list(range(len(fields)))[::-1]
    height = 0.26
    series = [
        (_("This unit"), [float(row.fields[f.code][1]) for f in fields], BLUE),
        (_("Mean"), [float(report.stat(f.code).get("mean", 0)) for f in fields], GREY),
        (_("Best"), [float(report.best(f.code) or 0) for f in fields], GREEN),
    ]
    for i, (label, values, colour) in enumerate(series):
        ax.barh(
            [y + (1 - i) * height for y in ys], values, height=height, color=colour, label=label
        )
    ax.set_yticks(ys, [_label(f"{f.code}. {f.name}") for f in fields])
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Component index (%)"))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    _tidy(ax)
    return _svg(fig)


def _label(text: str, width: int = 38, lines: int = 2) -> str:
    """A long name on at most ``lines`` lines, cut with "…" beyond."""
    wrapped = textwrap.wrap(text, width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


# --- province tile map -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    code: str
    col: int
    row: int
    label: str


def tile_grid(codes: set[str]) -> list[Tile] | None:
    """The shipped tile grid (63 or 34 provinces) that covers ``codes``; None if none does."""
    best: list[Tile] | None = None
    for name in ("tilegrid-63.csv", "tilegrid-34.csv"):
        path = resources.files("parindex") / "data" / "units" / name
        if not path.is_file():
            continue
        reader = csv.DictReader(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")
        )
        tiles = [
            Tile(r["unit_id"].strip(), int(r["col"]), int(r["row"]), r["label"].strip())
            for r in reader
        ]
        if codes and codes <= {t.code for t in tiles} and (best is None or len(tiles) < len(best)):
            best = tiles
    return best


def province_map(report: Report) -> str | None:
    """A tile map of the provinces coloured by their total index; None without a tile grid."""
    if report.cycle.methodology.unit_type != "province":
        return None
    tiles = tile_grid({r.code for r in report.rows})
    if tiles is None:
        return None
    rows = {r.code: r for r in report.rows}
    values = [float(r.index) for r in report.rows]
    low, high = min(values), max(values)
    cols = max(t.col for t in tiles) + 1
    nrows = max(t.row for t in tiles) + 1
    size = min(0.62, 9.0 / nrows, WIDTH / cols)
    fig = Figure(figsize=(size * cols + 0.1, size * nrows + 0.1))
    ax = fig.add_axes((0, 0, 1, 1))
    for t in tiles:
        r = rows.get(t.code)
        colour = LIGHT
        if r is not None:
            colour = MAP_COLOURS[_step(float(r.index), low, high)]
        ax.add_patch(_square(t.col, -t.row, colour))
        ink = text_on(colour)
        ax.text(
            t.col + 0.47, -t.row + 0.62, t.label, ha="center", va="center", fontsize=7, color=ink
        )
        if r is not None:
            ax.text(
                t.col + 0.47,
                -t.row + 0.3,
                _fmt(float(r.index), 1),
                ha="center",
                va="center",
                fontsize=6,
                color=ink,
            )
    ax.set_xlim(-0.05, cols + 0.05)
    ax.set_ylim(-nrows + 0.95, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    width = (high - low) / len(MAP_COLOURS)
    handles = [
        Patch(facecolor=colour, edgecolor=SWATCH_EDGE, label="≥ " + _fmt(low + i * width, 1))
        for i, colour in enumerate(MAP_COLOURS)
    ]
    ax.legend(
        handles=handles[::-1],
        title=_("Total index (%)"),
        loc="center left",
        frameon=False,
        fontsize=7,
        title_fontsize=7,
    )
    return _svg(fig)


def _step(value: float, low: float, high: float) -> int:
    """Which of the map's colours: five equal steps from the lowest to the highest index."""
    if high == low:
        return len(MAP_COLOURS) // 2
    share = (value - low) / (high - low)
    return min(int(share * len(MAP_COLOURS)), len(MAP_COLOURS) - 1)


def _square(x: float, y: float, colour: str, size: float = 0.94) -> Rectangle:
    return Rectangle((x, y), size, size, facecolor=colour, edgecolor="none")
