"""A chart the data declares (``charts:`` in a data file, data/own.py): a table drawn as
grouped bars, stacked bars or lines, in the briefing's style and language.

Its words (title, units, category and series names) arrive translated; only the numbers
and years are formatted here, in the active language. Categories stand left to right in
every language, as on the trade and railway charts; a right-to-left reader gets the
legend and the units' title from the right. Nothing on the chart overlaps: year labels
are thinned, long names wrapped or turned, and a value label with no room is left out
(the alt text carries every value).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..language.text import number, plain, semicolon_list
from ..language.words import WORDS
from .chart import Chart
from .fitting import drop_crowded_labels, fit_categories, set_categories
from .style import chart_style, legend_direction, new_figure, palette, reading_order, to_svg

if TYPE_CHECKING:
    from ..data.own import DeclaredChart

HEIGHT_IN = 2.8
# The palette has four colours and a chart up to six series: the fifth and sixth repeat
# the first two, hatched (bars) or dashed (lines), so no two series look alike.
HATCHES = ("", "", "", "", "////", "....")
DASHES = ("-", "-", "-", "-", "--", ":")
VALUE_LABEL: dict[str, Any] = {"ha": "right", "va": "bottom", "fontsize": 7.5}


def draw_declared_chart(key: str, chart: DeclaredChart) -> Chart:
    """The chart as SVG; its caption is the declared title, its alt text the declared
    description followed by every value, in the active language."""
    with chart_style():
        svg = to_svg(declared_figure(chart))
    return Chart(key, svg, chart.title, declared_alt(chart), (chart.source,))


def category_labels(chart: DeclaredChart) -> list[str]:
    """Years in the language's digits; names as given (translated with the data)."""
    return [number(c) if isinstance(c, int) else c for c in chart.categories]


def declared_alt(chart: DeclaredChart) -> str:
    """The declared alt text, then each series: "Export, US$ m — 2009: 1,279; 2010: …" (a
    dash between a year and a value would read as a range). A missing value is left out
    rather than named, which would need a word of its own in every catalogue."""
    alt = chart.alt.rstrip()
    sentences = [alt if alt.endswith((".", "!", "?", "…", "؟")) else alt + "."]
    for series in chart.series:
        pairs = [
            f"{label}: {plain(value)}"
            for label, value in zip(category_labels(chart), series.values, strict=True)
            if value is not None
        ]
        if pairs:
            heading = series.name + WORDS["list_separator"] + chart.units
            sentences.append(f"{heading} — {semicolon_list(pairs)}.")
    return " ".join(sentences)


def declared_figure(chart: DeclaredChart) -> Figure:
    """The laid-out figure; call inside ``chart_style()``, which sizes its text."""
    fig = new_figure(HEIGHT_IN)
    ax = fig.add_subplot()
    draw = {"bar": _bars, "stacked": _stacked, "line": _lines}[chart.kind]
    handles = draw(ax, chart)
    ax.set_title(chart.units)  # the style puts it where the reader starts: left, or right
    ax.tick_params(axis="x", length=0 if chart.kind != "line" else 3)
    if len(handles) > 1:
        _legend(fig, handles)
    fig.draw_without_rendering()  # constrained layout places the axes: text can be measured
    fit_categories(fig, ax, chart.years)
    if chart.kind == "bar":
        _fit_bar_labels(ax)
    fig.draw_without_rendering()
    drop_crowded_labels(fig)
    return fig


def _style(i: int) -> tuple[str, str, str]:
    """Series ``i``'s colour, hatch and line style."""
    return palette()[i % 4], HATCHES[i], DASHES[i]


def _bars(ax: Axes, chart: DeclaredChart) -> list[Artist]:
    """Grouped, value-labelled bars; the labels carry the numbers, so no value axis."""
    width = 0.8 / len(chart.series)
    handles: list[Artist] = []
    for i, series in enumerate(chart.series):
        color, hatch, _ = _style(i)
        offset = (i - (len(chart.series) - 1) / 2) * width
        known = [(j, v) for j, v in enumerate(series.values) if v is not None]
        xs, ys = [j + offset for j, _ in known], [v for _, v in known]
        bars = ax.bar(xs, ys, width * 0.92, color=color, hatch=hatch, edgecolor="white", lw=0)
        bars.set_label(series.name)
        ax.bar_label(bars, [plain(v) for v in ys], padding=2, fontsize=7.5)
        handles.append(bars)
    low, high, span = _extent(chart)
    ax.set_ylim(low - (0.15 * span if low < 0 else 0), high + 0.15 * span)
    if low < 0:  # bars hang below zero: the baseline shows where they start
        ax.axhline(0, color="#5f6670", lw=0.6)
    _category_axis(ax, chart)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    return handles


def _stacked(ax: Axes, chart: DeclaredChart) -> list[Artist]:
    """Bars stacked in the order of the series, on a value axis; a missing value adds
    nothing to its bar."""
    bottoms = [0.0] * len(chart.categories)
    handles: list[Artist] = []
    for i, series in enumerate(chart.series):
        color, hatch, _ = _style(i)
        heights = [v or 0.0 for v in series.values]
        look: dict[str, Any] = {"color": color, "hatch": hatch, "edgecolor": "white", "lw": 0.8}
        bars = ax.bar(range(len(heights)), heights, 0.6, bottom=bottoms, **look)
        bars.set_label(series.name)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        handles.append(bars)
    ax.set_ylim(0, (max(bottoms) or 1.0) * 1.08)
    _category_axis(ax, chart)
    _value_axis(ax)
    return handles


def _lines(ax: Axes, chart: DeclaredChart) -> list[Artist]:
    """One line per series on a value axis; a missing value breaks its line, never bridges
    it. Years stand at their place in time, names evenly."""
    xs = [float(c) if chart.years else float(j) for j, c in enumerate(chart.categories)]
    handles: list[Artist] = []
    for i, series in enumerate(chart.series):
        color, _, dash = _style(i)
        ys = [math.nan if v is None else v for v in series.values]
        # A value between two gaps draws no line: it gets a dot, or it would not show.
        alone = [j for j in range(len(ys)) if not math.isnan(ys[j]) and _gaps_around(ys, j)]
        dots: dict[str, Any] = {"marker": "o", "ms": 3, "markevery": alone} if alone else {}
        [line] = ax.plot(xs, ys, color=color, ls=dash, lw=1.4, **dots)
        line.set_label(series.name)
        handles.append(line)
        known = [j for j, v in enumerate(series.values) if v is not None]
        if known:  # like the trade chart's lines: the latest value written at its end
            at = (xs[known[-1]], ys[known[-1]])
            ax.annotate(plain(at[1]), at, (0, 4), textcoords="offset points", **VALUE_LABEL)
    low, high, span = _extent(chart)
    ax.set_ylim(low - (0.1 * span if low < 0 else 0), high + 0.2 * span)  # room for labels
    set_categories(ax, xs, category_labels(chart))
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    _value_axis(ax)
    return handles


def _gaps_around(ys: Sequence[float], j: int) -> bool:
    return all(k < 0 or k >= len(ys) or math.isnan(ys[k]) for k in (j - 1, j + 1))


def _extent(chart: DeclaredChart) -> tuple[float, float, float]:
    """The lowest and highest value, zero included (bars and axes start at zero), and the
    span between them (1 if there is none, so a chart of zeros still has a scale)."""
    values = [0.0, *(v for s in chart.series for v in s.values if v is not None)]
    low, high = min(values), max(values)
    return low, high, (high - low) or 1.0


def _category_axis(ax: Axes, chart: DeclaredChart) -> None:
    set_categories(ax, range(len(chart.categories)), category_labels(chart))
    ax.set_xlim(-0.6, len(chart.categories) - 0.4)


def _value_axis(ax: Axes) -> None:
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: plain(v)))
    ax.grid(axis="y")


def _legend(fig: Figure, handles: list[Artist]) -> None:
    """One row in reading order; a row wider than the figure becomes two, then three."""
    where = legend_direction()
    for rows in range(1, len(handles) + 1):
        columns = math.ceil(len(handles) / rows)
        order = _grid_order(handles, columns)
        legend = fig.legend(handles=order, loc="outside lower center", ncol=columns, **where)
        fig.draw_without_rendering()
        if legend.get_window_extent().width <= fig.bbox.width or columns == 1:
            return
        legend.remove()


def _grid_order(items: list[Artist], columns: int) -> list[Artist]:
    """``items`` in rows of ``columns``, each row in reading order, listed column by column:
    matplotlib fills a legend's columns top to bottom, the fuller ones first."""
    rows = [reading_order(items[i : i + columns]) for i in range(0, len(items), columns)]
    return [row[j] for j in range(columns) for row in rows if j < len(row)]


def _fit_bar_labels(ax: Axes) -> None:
    """Side-by-side labels that collide are turned upright, with room made for them."""
    labels = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent() for t in labels]
    if not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]):
        return
    for label in labels:
        label.set(rotation=90)
    height = ax.get_window_extent().height
    longest = max(t.get_window_extent().height for t in labels) + 4
    if longest >= 0.6 * height:
        return  # no room even upright: drop_crowded_labels decides
    low, high = ax.get_ylim()
    grow = 1 / (1 - longest / height) * 1.05  # the labels' share of the axes, made free
    ax.set_ylim(low * grow, high * grow)
