"""The trade chart: turnover and export on one scale, import on its own.

A few years are grouped bars with every value written on its bar (turned upright when
side by side they would collide). Past ``BAR_YEARS`` the bars become slivers, so the
chart switches to lines with a value axis and labels only the latest year. Either way
the year labels are thinned to what the axis has room for, and a value label that
would still touch other text is left out: nothing on the chart overlaps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..language.text import (
    Scale,
    compact,
    currency_name,
    money_unit,
    number,
    pick_scale,
    plain,
    semicolon_list,
    year_span,
)
from ..language.words import WORDS, phrase
from .chart import Chart
from .fitting import YEAR_STEPS, drop_crowded_labels
from .style import chart_style, legend_direction, new_figure, palette, reading_order, to_svg

if TYPE_CHECKING:
    from ..data.models import Country
    from ..data.trade_transport import Trade

BAR_YEARS = 8  # beyond this many years, lines instead of bars
NBSP = "\u00a0"


def draw_trade_chart(trade: Trade, countries: Sequence[Country] = ()) -> Chart:
    """The chart as SVG, with a caption and alt text that carry every number."""
    with chart_style():
        svg = to_svg(trade_figure(trade))
    big_scale, small_scale = _scales(trade)
    caption, alt = _trade_headlines(trade, countries, small_scale)
    rows = semicolon_list(
        [
            phrase(
                "trade_alt_year",
                year=row.year,
                turnover=compact(row.turnover, big_scale, True),
                export=compact(row.export, big_scale, True),
                import_=compact(row.import_, small_scale, True),
            )
            for row in trade.years
        ]
    )
    return Chart("trade", svg, caption, f"{alt} {rows}.", trade.source_ids)


def _trade_headlines(
    trade: Trade, countries: Sequence[Country], small_scale: Scale
) -> tuple[str, str]:
    """The caption, and the alt text's first sentence; both name the pair when it is given."""
    cur, years = currency_name(trade.currency), year_span([row.year for row in trade.years])
    bars = len(trade.years) <= BAR_YEARS
    if len(countries) == 2:
        pair = {"own": countries[0].short, "partner": countries[1].short, "currency": cur}
        caption = phrase("trade_caption_between", years=years, **pair)
        alt = phrase("trade_alt_bars_between" if bars else "trade_alt_lines_between", **pair)
    else:
        caption = phrase("trade_caption", years=years, currency=cur)
        alt = phrase("trade_alt_bars" if bars else "trade_alt_lines", currency=cur)
    scale = phrase("trade_caption_scale", unit=money_unit(trade.currency, small_scale, long=True))
    return f"{caption} {scale}", alt


def _scales(trade: Trade) -> tuple[Scale, Scale]:
    big = [v for row in trade.years for v in (row.turnover, row.export)]
    return pick_scale(big), pick_scale([row.import_ for row in trade.years])


def trade_figure(trade: Trade) -> Figure:
    """The laid-out figure; call inside ``chart_style()``, which sizes its text."""
    years = [row.year for row in trade.years]
    big = {
        WORDS["turnover"]: [r.turnover for r in trade.years],
        WORDS["export"]: [r.export for r in trade.years],
    }
    small = {WORDS["import"]: [r.import_ for r in trade.years]}
    big_scale, small_scale = _scales(trade)
    fig = new_figure(2.9)
    left, right = fig.subplots(1, 2, width_ratios=[2.1, 1])
    navy, teal, grey, _ = palette()
    panel = _bars if len(years) <= BAR_YEARS else _lines
    handles = panel(left, years, big, big_scale, [navy, teal])
    handles += panel(right, years, small, small_scale, [grey])
    # A title too wide for its panel breaks between words, never inside its unit.
    unit = {s: money_unit(trade.currency, s).replace(" ", NBSP) for s in (big_scale, small_scale)}
    left.set_title(phrase("trade_title_big", unit=unit[big_scale]))
    right.set_title(phrase("trade_title_small", unit=unit[small_scale]))
    fig.legend(
        handles=reading_order(handles),
        loc="outside lower center",
        ncol=len(handles),
        **legend_direction(),
    )
    fig.draw_without_rendering()  # constrained layout places the axes: text can be measured
    if _wrap_wide_titles(fig):
        fig.draw_without_rendering()
    for ax in (left, right):
        _thin_year_ticks(ax, round_years=panel is _lines)
        if panel is _bars:
            _fit_bar_labels(ax)
    fig.draw_without_rendering()
    drop_crowded_labels(fig)
    return fig


def _bars(
    ax: Axes, years: Sequence[int], series: dict[str, list[float]], scale: Scale, colors: list[str]
) -> list[Artist]:
    """Grouped, value-labelled bars; the labels carry the numbers, so no value axis."""
    width = 0.8 / len(series)
    handles: list[Artist] = []
    top = 0.0
    for i, ((name, values), color) in enumerate(zip(series.items(), colors, strict=False)):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(years))]
        bars = ax.bar(xs, [v / scale[0] for v in values], width * 0.92, color=color, label=name)
        ax.bar_label(bars, [compact(v, scale) for v in values], padding=2, fontsize=7.5)
        handles.append(bars)
        top = max(top, *(v / scale[0] for v in values))
    ax.set_xticks(range(len(years)), [number(y) for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    ax.set_ylim(0, (top or 1.0) * 1.15)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    return handles


def _lines(
    ax: Axes, years: Sequence[int], series: dict[str, list[float]], scale: Scale, colors: list[str]
) -> list[Artist]:
    """One line per series on a value axis; a missing year breaks the line, never bridges it."""
    span = list(range(years[0], years[-1] + 1))
    handles: list[Artist] = []
    for (name, values), color in zip(series.items(), colors, strict=False):
        by_year = dict(zip(years, values, strict=True))
        ys = [by_year[y] / scale[0] if y in by_year else math.nan for y in span]
        [line] = ax.plot(span, ys, color=color, lw=1.4, label=name)
        ax.annotate(
            compact(values[-1], scale),
            (years[-1], values[-1] / scale[0]),
            xytext=(0, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=7.5,
        )
        handles.append(line)
    ax.set_xticks(span, [number(y) for y in span])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    top = max(v for values in series.values() for v in values) / scale[0]
    ax.set_ylim(0, (top or 1.0) * 1.2)  # room for the latest year's label above its point
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: plain(v)))
    ax.grid(axis="y")
    return handles


def _thin_year_ticks(ax: Axes, round_years: bool) -> None:
    """Keep every n-th year label, n the smallest step whose labels have air between them.

    Bars may skip years, so their labels are counted back from the latest; a line's axis
    has every calendar year, so it keeps round ones (1970, 1980, ...).
    """
    ticks, labels = list(ax.get_xticks()), [t.get_text() for t in ax.get_xticklabels()]
    if len(ticks) < 2:
        return
    widest = max(t.get_window_extent().width for t in ax.get_xticklabels())
    pitch = abs(ax.transData.transform((ticks[1], 0))[0] - ax.transData.transform((ticks[0], 0))[0])
    step = next((s for s in YEAR_STEPS if s * pitch >= 1.5 * widest), YEAR_STEPS[-1])
    if round_years:
        keep = [i for i, label in enumerate(labels) if int(label) % step == 0]
    else:
        keep = [i for i in range(len(ticks)) if (len(ticks) - 1 - i) % step == 0]
    ax.set_xticks([ticks[i] for i in keep], [labels[i] for i in keep])


def _wrap_wide_titles(fig: Figure) -> bool:
    """A panel title wider than its panel (Russian says more than "Import, USD m") breaks at
    the space nearest its middle; True if any did."""
    wrapped = False
    for ax in fig.axes:
        # The style puts titles on the left (axes.titlelocation): the title is the child
        # Text holding that string, not ``ax.title``.
        text = ax.get_title(loc=rcParams["axes.titlelocation"])
        title = next(t for t in ax.get_children() if isinstance(t, Text) and t.get_text() == text)
        spaces = [i for i, c in enumerate(text) if c == " "]
        if not spaces or title.get_window_extent().width <= ax.get_window_extent().width:
            continue
        cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
        ax.set_title(f"{text[:cut]}\n{text[cut + 1 :]}", loc=rcParams["axes.titlelocation"])
        wrapped = True
    return wrapped


def _fit_bar_labels(ax: Axes) -> None:
    """Side-by-side labels that collide are turned upright, with headroom made above the bars."""
    labels = [t for t in ax.texts if t.get_text()]
    if not _any_overlap(labels):
        return
    for label in labels:
        label.set(rotation=90, ha="center", va="bottom")
    height = ax.get_window_extent().height
    longest = max(t.get_window_extent().height for t in labels) + 4
    if longest >= 0.6 * height:
        return  # no room even upright: drop_crowded_labels decides
    top = max(patch.get_height() for patch in ax.patches)
    ax.set_ylim(0, top / (1 - longest / height) * 1.05)


def _any_overlap(texts: Sequence[Text]) -> bool:
    boxes = [t.get_window_extent() for t in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
