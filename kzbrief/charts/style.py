"""The briefing's charts as SVG, drawn with matplotlib from the models alone.

Every number, label, year and name on a chart comes from the data; only styling
lives here and in ``style.mplstyle``. Each chart is drawn on its own
``Figure`` (never pyplot's global state) so charts cannot leak into each other.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import font_source_sans_pro
import matplotlib.style
from matplotlib import font_manager, rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..charts.registry import Chart, chart_inputs
from ..data.models import Briefing, Country, Railway

STYLE_PATH = Path(__file__).with_name("style.mplstyle")
WIDTH_IN = 6.3
_SCALES = ((1e9, "bn", "billion"), (1e6, "m", "million"), (1e3, "k", "thousand"))
DASH = "\u2013"  # en dash, for ranges: 2009-2011 reads "2009\u20132011"


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """Add the packaged Source Sans Pro once, so charts never depend on system fonts."""
    for path in sorted(Path(font_source_sans_pro.font_directory).glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the shared style; drawing and saving must both happen inside it."""
    _register_fonts()
    with matplotlib.style.context(STYLE_PATH):
        yield


def palette() -> list[str]:
    """Navy, teal, grey, light grey: read from the style so colours live in one place."""
    return list(rcParams["axes.prop_cycle"].by_key()["color"])


def new_figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height))


def to_svg(fig: Figure) -> str:
    """SVG text without a date, so identical data gives identical bytes."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def plain(value: float, decimals: int = 3) -> str:
    """1279.0 -> "1,279"; 34.90 -> "34.9": no trailing zeros, no float noise."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pick_scale(values: Sequence[float]) -> tuple[float, str, str]:
    """The largest of bn / m / k that the biggest value reaches (plain units below)."""
    top = max(values, default=0.0)
    return next((scale for scale in _SCALES if top >= scale[0]), (1.0, "", ""))


def compact(value: float, scale: tuple[float, str, str], long: bool = False) -> str:
    """1.279e9 -> "1.279 bn" ("1.279 billion" for alt text); never rounds a real value to 0."""
    factor, short, word = scale
    text = plain(value / factor)
    text = "<0.001" if value > 0 and text == "0" else text
    return f"{text} {word if long else short}".rstrip()


def year_span(years: Sequence[int]) -> str:
    return f"{years[0]}{DASH}{years[-1]}" if years[-1] != years[0] else str(years[0])


def draw_railway_chart(railway: Railway, countries: Sequence[Country] = ()) -> Chart:
    """One stacked bar in route order; the briefing's own countries in accent colours."""
    total = plain(railway.total_km, 1)
    line = DASH.join(railway.parties)
    ends = f"{railway.route[0]}{DASH}{railway.route[-1]}"
    with chart_style():
        fig = new_figure(1.9)
        ax = fig.add_subplot()
        navy, teal, _, light = palette()
        accents = dict(zip([c.short for c in countries], [navy, teal], strict=False))
        _stacked_segments(ax, railway, [accents.get(s.country, light) for s in railway.segments])
        ax.set_title(f"{line} railway, {ends}: {total} km in all")
        svg = to_svg(fig)
    parts = ", ".join(f"{s.country} {plain(s.km, 1)} km" for s in railway.segments)
    done = "".join(f" {c.country} section completed {c.year}." for c in railway.completed)
    caption = f"Length of the {line} railway ({ends}) by country: {parts}; {total} km in all."
    alt = (
        f"Stacked bar of the {line} railway from {railway.route[0]} to {railway.route[-1]}, "
        f"{total} km in all: {parts}."
    )
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
            f"{segment.country}\n{plain(segment.km, 1)} km",
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
            below.append(f"completed {completed[segment.country]}")
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


def draw_chart(key: str, briefing: Briefing) -> Chart:
    """Draw one chart (trade, railway, map or visits) from the briefing's models."""
    from ..charts.corridor_map import draw_corridor_map  # slow: basemap
    from ..charts.trade import draw_trade_chart
    from ..charts.visits import draw_visits_chart

    drawers = {
        "trade": draw_trade_chart,
        "railway": draw_railway_chart,
        "map": draw_corridor_map,
        "visits": draw_visits_chart,
    }
    return drawers[key](*chart_inputs(briefing)[key])


def draw_charts(briefing: Briefing) -> dict[str, Chart]:
    """The four charts of the briefing, keyed trade, railway, map, visits."""
    return {key: draw_chart(key, briefing) for key in chart_inputs(briefing)}
