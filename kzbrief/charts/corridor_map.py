"""Map of the ferry and rail corridors, on GSHHG coastlines and borders (base_map.py).

The extent follows the places in the data, so adding a port widens the map;
nothing about the region is hard-coded here apart from styling.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from ..language.text import describe_partial_date, plain
from ..language.words import WORDS, phrase
from .base_map import BaseMap, BaseStyle, mercator
from .chart import Chart
from .map_labels import country_labels, place_labels
from .simplify import simplify_areas, simplify_lines
from .style import WIDTH_IN, chart_style, legend_direction, palette, to_svg

if TYPE_CHECKING:
    from ..data.trade_transport import Place, Transport

HEIGHT_IN = 4.6
_MAP_BOX = (0.0, 0.055, 1.0, 0.945)  # axes rectangle; the strip below holds the note
_MARGIN_DEG = 1.0
_SEA, _LAND, _BORDER = "#e4ecf2", "#f5f4f0", "#9aa3ad"


_BASE = BaseStyle(
    sea=_SEA,
    land=_LAND,
    frame="#5f6670",
    frame_width=0.6,
    coast="#7d8b98",
    coast_width=0.5,
    border=_BORDER,
    border_width=0.6,
)


@lru_cache(maxsize=4)
def _base_map(extent: tuple[float, float, float, float]) -> BaseMap:
    """Reading and clipping the GSHHG outlines, once per extent (once per build: every
    language draws the same map)."""
    return BaseMap(extent)


def _unmerc(y: float) -> float:
    return math.degrees(math.atan(math.sinh(y)))


def map_extent(places: Iterable[Place], aspect: float) -> tuple[float, float, float, float]:
    """Places' bounding box plus a margin, widened to the axes' width/height ratio."""
    places = list(places)
    lats, lons = [p.lat for p in places], [p.lon for p in places]
    x0, x1 = math.radians(min(lons) - _MARGIN_DEG), math.radians(max(lons) + _MARGIN_DEG)
    y0, y1 = mercator(min(lats) - _MARGIN_DEG), mercator(max(lats) + _MARGIN_DEG)
    if (x1 - x0) / (y1 - y0) < aspect:
        grow = ((y1 - y0) * aspect - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    # Rounded so that equal data always hits the same cached base map.
    return (
        round(math.degrees(x0), 3),
        round(_unmerc(y0), 3),
        round(math.degrees(x1), 3),
        round(_unmerc(y1), 3),
    )


def draw_corridor_map(transport: Transport, coastline_source: str | None = None) -> Chart:
    """Ports, stations, ferry links (dashed) and the railway (solid) on a GSHHG base map."""
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="none")
        ax = fig.add_axes(_MAP_BOX)
        aspect = (WIDTH_IN * _MAP_BOX[2]) / (HEIGHT_IN * _MAP_BOX[3])
        bmap = _base_map(map_extent(transport.places, aspect))
        _draw_base(bmap, ax)
        obstacles = _draw_links(bmap, ax, transport)
        obstacles.append(_legend(ax, transport, bmap).get_window_extent())
        obstacles += country_labels(bmap, ax, transport.places, obstacles)
        place_labels(bmap, ax, transport.places, obstacles)
        fig.text(
            0.003,
            0.012,
            phrase("map_note"),
            fontsize=7.5,
            style="italic",
            color="#555555",
        )
        svg = to_svg(fig)
    return Chart(
        "map", svg, _caption(transport), _alt(transport), _source_ids(transport, coastline_source)
    )


def _draw_base(bmap: BaseMap, ax: Axes) -> None:
    land, coasts, borders = bmap.draw(ax, _BASE)
    ax.apply_aspect()  # fix the axes box now, so label collision tests use final pixels
    # GSHHG has far more points than print shows: fewer, for WeasyPrint to draw.
    simplify_areas(ax, land)
    simplify_lines(ax, coasts)
    simplify_lines(ax, borders)


def _draw_links(bmap: BaseMap, ax: Axes, transport: Transport) -> list[Bbox]:
    """Ferry and railway lines plus place markers; returns what labels must avoid."""
    navy, teal, grey, _ = palette()
    ferry = transport.ferry
    xy = {p.name: bmap(p.lon, p.lat) for p in transport.places}
    points: list[tuple[float, float]] = []
    for port in ferry.to:
        (x0, y0), (x1, y1) = xy[ferry.from_], xy[port]
        ax.plot([x0, x1], [y0, y1], color=navy, lw=1.3, ls=(0, (4, 2.5)), zorder=4)
        points += [(x0 + (x1 - x0) * t / 20, y0 + (y1 - y0) * t / 20) for t in range(21)]
    route = [xy[name] for name in transport.railway.route]
    ax.plot(*zip(*route, strict=True), color="white", lw=4, zorder=4, solid_capstyle="round")
    ax.plot(*zip(*route, strict=True), color=teal, lw=2, zorder=4, solid_capstyle="round")
    for (x0, y0), (x1, y1) in itertools.pairwise(route):
        points += [(x0 + (x1 - x0) * t / 20, y0 + (y1 - y0) * t / 20) for t in range(21)]
    for place in transport.places:
        style = _MARKERS[place.kind]
        ax.plot(*xy[place.name], zorder=5, ls="none", **style(navy, teal, grey))
        points.append(xy[place.name])
    pixels = ax.transData.transform(points)
    return [Bbox.from_bounds(x - 3, y - 3, 6, 6) for x, y in pixels]


def _port(navy: str, teal: str, grey: str) -> dict[str, object]:
    return {"marker": "s", "ms": 6, "mfc": navy, "mec": "white", "mew": 0.8}


def _station(navy: str, teal: str, grey: str) -> dict[str, object]:
    return {"marker": "o", "ms": 5.5, "mfc": "white", "mec": teal, "mew": 1.6}


def _capital(navy: str, teal: str, grey: str) -> dict[str, object]:
    return {"marker": "*", "ms": 8, "mfc": grey, "mec": "white", "mew": 0.6}


_MARKERS = {"port": _port, "station": _station, "capital": _capital}
_KIND_LABELS = {"port": "map_port", "station": "map_station", "capital": "map_capital"}
_KIND_LISTS = {"port": "map_ports", "station": "map_stations", "capital": "map_capitals"}


def _legend(ax: Axes, transport: Transport, bmap: BaseMap) -> Legend:
    """Legend in the corner farthest from every place, so it hides nothing."""
    navy, teal, grey, _ = palette()
    handles = [
        Line2D([], [], color=navy, lw=1.3, ls=(0, (4, 2.5)), label=phrase("map_ferry_link")),
        Line2D([], [], color=teal, lw=2, label=phrase("map_railway")),
    ]
    kinds = dict.fromkeys(p.kind for p in transport.places)
    handles += [
        Line2D([], [], ls="none", label=phrase(_KIND_LABELS[k]), **_MARKERS[k](navy, teal, grey))
        for k in kinds
    ]
    inverse = ax.transAxes.inverted()
    spots = [
        inverse.transform(ax.transData.transform(bmap(p.lon, p.lat))) for p in transport.places
    ]
    corners = {
        "upper right": (1, 1),
        "upper left": (0, 1),
        "lower left": (0, 0),
        "lower right": (1, 0),
    }
    best = max(corners, key=lambda c: min(math.dist(corners[c], s) for s in spots))
    legend = ax.legend(
        handles=handles,
        loc=best,
        frameon=True,
        framealpha=0.92,
        edgecolor="#c9ced4",
        fancybox=False,
        fontsize=7.5,
        borderpad=0.6,
        **legend_direction(),
    )
    legend.set_zorder(7)
    return legend


def _caption(transport: Transport) -> str:
    ferry, railway = transport.ferry, transport.railway
    opened = describe_partial_date(ferry.opened.isoformat())
    return phrase(
        "map_caption",
        description=ferry.description,
        origin=ferry.from_,
        ports=_and(ferry.to),
        date=opened,
        parties=phrase("names_dash").join(railway.parties),
        route=_and(railway.route),
    )


def _alt(transport: Transport) -> str:
    ferry, railway = transport.ferry, transport.railway
    kinds = dict.fromkeys(p.kind for p in transport.places)
    listed = " ".join(
        phrase(
            _KIND_LISTS[k],
            places=WORDS["list_separator"].join(
                phrase("map_place", name=p.name, country=p.country)
                for p in transport.places
                if p.kind == k
            ),
        )
        for k in kinds
    )
    return phrase(
        "map_alt",
        origin=ferry.from_,
        ports=_and(ferry.to),
        total=plain(railway.total_km, 1),
        parties=phrase("names_dash").join(railway.parties),
        route=WORDS["list_separator"].join(railway.route),
        places=listed,
    )


def _and(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return phrase("list_and", names=WORDS["list_separator"].join(names[:-1]), last=names[-1])


def _source_ids(transport: Transport, coastline_source: str | None) -> tuple[str, ...]:
    ids = [transport.ferry.source, transport.railway.source]
    ids += [p.source for p in transport.places]
    ids += [coastline_source] if coastline_source else []
    return tuple(dict.fromkeys(ids))
