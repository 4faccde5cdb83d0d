"""Names on the corridor map, placed so that no name covers another, a line or a marker.

Each label tries a few spots around its point and takes the first one that is
inside the map and hits nothing placed before it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox

from ..language.current import active

if TYPE_CHECKING:
    from ..data.trade_transport import Place
    from .base_map import BaseMap

_HALO = [withStroke(linewidth=2.2, foreground="white")]  # names stay legible over lines
# Label positions tried in turn (offset in points, alignment); the first free one wins.
_SPOTS = [
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (5, 5, "left", "bottom"),
    (5, -5, "left", "top"),
    (-5, 5, "right", "bottom"),
    (-5, -5, "right", "top"),
]


def _free(box: Bbox, obstacles: Sequence[Bbox], frame: Bbox) -> bool:
    inside = frame.containsx(box.x0) and frame.containsx(box.x1)
    inside = inside and frame.containsy(box.y0) and frame.containsy(box.y1)
    return inside and not any(box.overlaps(other) for other in obstacles)


def place_labels(bmap: BaseMap, ax: Axes, places: Sequence[Place], obstacles: list[Bbox]) -> None:
    """Greedy placement: each name takes the first nearby spot that hits nothing."""
    frame = ax.get_window_extent()
    for place in places:
        x, y = bmap(place.lon, place.lat)
        weight = "semibold" if place.kind == "port" else "normal"
        label = ax.annotate(
            place.name,
            (x, y),
            (0, 0),
            textcoords="offset points",
            fontsize=8,
            weight=weight,
            zorder=6,
            path_effects=_HALO,
        )
        for dx, dy, ha, va in _SPOTS:
            label.set(x=dx, y=dy, ha=ha, va=va)
            box = label.get_window_extent().padded(1)
            if _free(box, obstacles, frame):
                break
        else:  # no free spot: keep the first, least surprising one
            label.set(x=_SPOTS[0][0], y=_SPOTS[0][1], ha=_SPOTS[0][2], va=_SPOTS[0][3])
            box = label.get_window_extent()
        obstacles.append(box)


def country_labels(
    bmap: BaseMap, ax: Axes, places: Sequence[Place], obstacles: Sequence[Bbox]
) -> list[Bbox]:
    """Each country's name inland of its places: pushed away from the middle of all places."""
    mid_lat = sum(p.lat for p in places) / len(places)
    mid_lon = sum(p.lon for p in places) / len(places)
    frame, boxes = ax.get_window_extent(), []
    for country in dict.fromkeys(p.country for p in places):
        own = [p for p in places if p.country == country]
        lat = sum(p.lat for p in own) / len(own)
        lon = sum(p.lon for p in own) / len(own)
        d_lat, d_lon = lat - mid_lat, lon - mid_lon
        norm = math.hypot(d_lat, d_lon) or 1.0
        # Letter-spaced, as maps set area names; not in a joined script (Persian), whose
        # letters a space would cut apart.
        spaced = " ".join(country.upper()) if active().direction == "ltr" else country
        for push in (1.4, 2.0, 0.9):
            x, y = bmap(lon + d_lon / norm * push, lat + d_lat / norm * push)
            text = ax.text(
                x, y, spaced, ha="center", va="center", fontsize=7.5, color="#7a838c", zorder=3
            )
            box = text.get_window_extent().padded(2)
            if bmap.is_land(x, y) and _free(box, [*obstacles, *boxes], frame):
                boxes.append(box)
                break
            text.remove()
    return boxes
