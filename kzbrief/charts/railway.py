"""The railway chart: one stacked bar of the line's length, country by country, in route order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.text import Text

from ..language.text import plain
from ..language.words import WORDS, phrase
from .chart import Chart
from .style import chart_style, new_figure, palette, to_svg

if TYPE_CHECKING:
    from ..data.models import Country
    from ..data.trade_transport import Railway


def draw_railway_chart(railway: Railway, countries: Sequence[Country] = ()) -> Chart:
    """One stacked bar in route order; the briefing's own countries in accent colours."""
    total = plain(railway.total_km, 1)
    dash = phrase("names_dash")  # Kazakhstan–Iran; Russian: Казахстан — Иран
    line = dash.join(railway.parties)
    ends = f"{railway.route[0]}{dash}{railway.route[-1]}"
    with chart_style():
        fig = new_figure(1.9)
        ax = fig.add_subplot()
        navy, teal, _, light = palette()
        accents = dict(zip([c.short for c in countries], [navy, teal], strict=False))
        _stacked_segments(ax, railway, [accents.get(s.country, light) for s in railway.segments])
        ax.set_title(phrase("railway_title", line=line, ends=ends, total=total))
        svg = to_svg(fig)
    parts = WORDS["list_separator"].join(
        phrase("railway_part", country=s.country, km=plain(s.km, 1)) for s in railway.segments
    )
    done = "".join(
        " " + phrase("railway_completed", country=c.country, year=c.year) for c in railway.completed
    )
    caption = phrase("railway_caption", line=line, ends=ends, parts=parts, total=total)
    start, end = railway.route[0], railway.route[-1]
    alt = phrase("railway_alt", line=line, start=start, end=end, total=total, parts=parts)
    return Chart("railway", svg, caption + done, alt + done, (railway.source,))


def _stacked_segments(ax: Axes, railway: Railway, colors: Sequence[str]) -> None:
    """Segments in route order; route ends above the bar, notes and overflow below."""
    start, light = 0.0, palette()[3]
    ax.set_xlim(0, railway.total_km)  # before labels, so _fits measures on the final scale
    completed = {c.country: c.year for c in railway.completed}
    for segment, color in zip(railway.segments, colors, strict=True):
        ax.barh(0, segment.km, left=start, height=0.5, color=color, edgecolor="white", lw=1.2)
        centre = start + segment.km / 2
        label = ax.text(
            centre,
            0,
            segment.country + "\n" + phrase("km", km=plain(segment.km, 1)),
            ha="center",
            va="center",
            color="#222222" if color == light else "white",
            fontsize=8,
        )
        below = []
        if not _fits(label, segment.km, ax):  # too narrow: the label goes under the bar
            below.append(label.get_text().replace("\n", " "))
            label.remove()
        if segment.country in completed:
            below.append(phrase("segment_completed", year=completed[segment.country]))
        note = ax.text(
            centre, -0.32, "\n".join(below), ha="center", va="top", fontsize=7.5, color="#444444"
        )
        _keep_inside(note, ax, railway.total_km)
        start += segment.km
    ax.set_ylim(-0.68, 0.6)
    for x, name, align in ((0, railway.route[0], "left"), (start, railway.route[-1], "right")):
        ax.text(x, 0.3, name, ha=align, va="bottom", fontsize=8, weight="semibold")
    ax.set_axis_off()


def _keep_inside(text: Text, ax: Axes, end: float) -> None:
    """A centred note under a short end segment would run off the chart: align it to the end."""
    box, frame = text.get_window_extent(), ax.get_window_extent()
    if box.x1 > frame.x1:
        text.set(x=end, ha="right")
    elif box.x0 < frame.x0:
        text.set(x=0, ha="left")


def _fits(label: Text, width_km: float, ax: Axes) -> bool:
    """Does a label fit inside its bar segment (measured in pixels, with some air)?"""
    box = label.get_window_extent()
    x0, x1 = ax.transData.transform([(0, 0), (width_km, 0)])[:, 0]
    return bool(box.width + 8 <= x1 - x0)
