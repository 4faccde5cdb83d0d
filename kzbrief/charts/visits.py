"""The visits timeline: the years with visits, and honest about what the source omits.

The source lists the years and names the two sides but gives no counts, so by
default the chart marks years only; bars appear only if counts are ever added.
"""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import fill
from typing import TYPE_CHECKING

from matplotlib.axes import Axes

from ..language.text import number, semicolon_list, year_span
from ..language.words import WORDS, phrase
from .chart import Chart
from .style import chart_style, legend_direction, new_figure, palette, to_svg

if TYPE_CHECKING:
    from ..data.models import Country, Visits


def draw_visits_chart(visits: Visits, countries: Sequence[Country] = ()) -> Chart:
    """Years with visits on a time axis; counts are drawn only if the source gives them."""
    names = {country.code: country.short for country in countries}
    sides = WORDS["join_and"].join(
        phrase("visits_side", code=s, name=names[s]) if s in names else s for s in visits.sides
    )
    known = sorted({*visits.years, *(visits.counts or {})})
    span = list(range(known[0], known[-1] + 1))
    with chart_style():
        fig = new_figure(1.9 if visits.counts is None else 2.6)
        ax = fig.add_subplot()
        if visits.counts is None:
            _visit_markers(ax, visits.years, span, sides)
        else:
            _visit_bars(ax, visits.counts, span)
        svg = to_svg(fig)
    return Chart("visits", svg, *_visits_words(visits, sides, span), (visits.source,))


def _visits_words(visits: Visits, sides: str, span: Sequence[int]) -> tuple[str, str]:
    """Caption and alt text; both say plainly when the source gives no counts."""
    years = visits.years
    gaps = WORDS["list_separator"].join(number(y) for y in span if y not in years)
    caption = phrase("visits_caption", years=year_span(years), count=len(years))
    listed = WORDS["list_separator"].join(number(y) for y in years)
    alt = phrase("visits_alt", first=span[0], last=span[-1], count=len(years), years=listed)
    alt += " " + phrase("visits_alt_gaps", gaps=gaps) if gaps else ""
    if visits.counts is None:
        caption += " " + phrase("visits_caption_unknown")
        alt += " " + phrase("visits_alt_unknown", sides=sides)
    else:
        numbers = semicolon_list(
            [f"{number(y)}: {number(n)}" for y, n in sorted(visits.counts.items())]
        )
        caption += " " + phrase("visits_caption_counts", sides=sides)
        alt += " " + phrase("visits_alt_counts", numbers=numbers)
    return caption, alt


def _visit_markers(ax: Axes, years: Sequence[int], span: Sequence[int], sides: str) -> None:
    """No y axis on purpose: a height would suggest a count the source does not give."""
    navy, _, grey, light = palette()
    ax.axhline(0, color=light, lw=1.2, zorder=1)
    empty = [y for y in span if y not in years]
    ax.scatter(years, [0] * len(years), s=55, color=navy, zorder=3, label=phrase("visits_listed"))
    ax.scatter(
        empty,
        [0] * len(empty),
        s=12,
        color="white",
        edgecolor=grey,
        lw=0.8,
        zorder=2,
        label=phrase("visits_none_listed"),
    )
    for year in span:  # year labels as text: an x axis would add a baseline and ticks
        ax.text(
            year,
            -0.45,
            number(year),
            ha="center",
            va="top",
            fontsize=7.5,
            color="#222222" if year in years else grey,
        )
    ax.set_xlim(span[0] - 0.6, span[-1] + 0.6)
    ax.set_ylim(-1.2, 1.6)
    ax.set_axis_off()
    ax.set_title(phrase("visits_title"))
    legend = ax.legend(
        loc="upper right",
        bbox_to_anchor=(1, 1.02),
        fontsize=7.5,
        borderaxespad=0,
        **legend_direction(),
    )
    lines = (phrase("visits_note_counts"), phrase("visits_note_sides", sides=sides))
    # The note is wrapped as wide as it can be without running into the legend: a longer
    # language (Russian) needs narrower lines than English.
    widths = range(100, 30, -10)
    for width in widths:
        note = ax.text(
            0,
            1,
            "\n".join(fill(line, width) for line in lines),
            transform=ax.transAxes,
            va="top",
            fontsize=8,
            color="#444444",
            style="italic",
            linespacing=1.3,
        )
        ax.figure.draw_without_rendering()
        clear = not note.get_window_extent().overlaps(legend.get_window_extent())
        if clear or width == widths[-1]:
            break
        note.remove()


def _visit_bars(ax: Axes, counts: dict[int, int], span: Sequence[int]) -> None:
    navy = palette()[0]
    years = sorted(counts)
    bars = ax.bar(years, [counts[y] for y in years], 0.7, color=navy)
    ax.bar_label(bars, [number(counts[y]) for y in years], padding=2, fontsize=7.5)
    ax.set_xticks(span, [number(y) for y in span], fontsize=7.5, rotation=90)
    ax.set_xlim(span[0] - 0.7, span[-1] + 0.7)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.set_title(phrase("visits_title_counts"))
