"""Chart geometry cut down to what print can show, so WeasyPrint parses less of it.

The base map's coastlines and borders come from GSHHG with far more points than a map
12 cm wide needs: they are simplified (matplotlib's path simplification, a tolerance
below half a printed point) and the lines clipped to the map. Every chart's path data is
then written to 0.01 pt (matplotlib writes 0.000001 pt), and the SVG's RDF metadata,
which nothing reads, is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Polygon
from matplotlib.path import Path

TOLERANCE_PT = 0.4  # below half a printed point, so no change is visible


def simplify_lines(ax: Axes, lines: LineCollection) -> None:
    """Each line simplified in display space and clipped to the axes (with a margin)."""
    to_display, pixels = ax.transData, _tolerance(ax)
    back = to_display.inverted()
    x0, y0, x1, y1 = ax.bbox.extents
    margin = 4 * pixels
    clip = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    segments = []
    for segment in lines.get_segments():
        path = Path(to_display.transform(segment))
        path.simplify_threshold = pixels
        cleaned = path.cleaned(simplify=True, clip=clip)
        pieces = [_distinct(piece) for piece in cleaned.to_polygons(closed_only=False)]
        segments += [back.transform(piece) for piece in pieces if len(piece) >= 2]
    lines.set_segments(segments)


def simplify_areas(ax: Axes, polygons: Iterable[Polygon]) -> None:
    """Each filled outline simplified in display space (not clipped: a clipped fill would
    need closing along the map's edge; the axes clip it when drawn)."""
    to_display, pixels = ax.transData, _tolerance(ax)
    back = to_display.inverted()
    for polygon in polygons:
        path = Path(to_display.transform(polygon.get_xy()))
        path.simplify_threshold = pixels
        pieces = path.cleaned(simplify=True).to_polygons(closed_only=False)
        if pieces and len(outline := _distinct(pieces[0])) >= 3:
            polygon.set_xy(back.transform(outline))


def _distinct(points: np.ndarray) -> np.ndarray:
    """Without repeated consecutive points (simplification ends a line on its last twice)."""
    keep = np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]
    return points[keep]


def _tolerance(ax: Axes) -> float:
    return TOLERANCE_PT * ax.figure.dpi / 72


_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_PATH_DATA = re.compile(r'(?<= d=")[^"]*')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


def slim_svg(svg: str) -> str:
    """Path data to 0.01 pt and no metadata: the same drawing, less to parse."""
    svg = _METADATA.sub("", svg, count=1)
    return _PATH_DATA.sub(lambda m: _LONG_NUMBER.sub(_round, m[0]), svg)


def _round(number: re.Match[str]) -> str:
    text = f"{float(number[0]):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
