"""Charts: valid SVG, words built from the data, and byte-identical from run to run."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.text import Text

from kzbrief.charts.chart import Chart
from kzbrief.charts.corridor_map import draw_corridor_map, map_extent
from kzbrief.charts.railway import draw_railway_chart
from kzbrief.charts.registry import CHARTS, draw_charts
from kzbrief.charts.style import chart_style
from kzbrief.charts.trade import BAR_YEARS, draw_trade_chart, trade_figure
from kzbrief.charts.visits import draw_visits_chart
from kzbrief.data.briefing import load_briefing
from kzbrief.data.models import Briefing
from kzbrief.data.trade_transport import Segment, Trade, TradeYear
from kzbrief.language.text import compact, pick_scale
from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render.environment import TemplateStack
from kzbrief.render.environment import environment as _environment

REPO = Path(__file__).resolve().parent.parent
KEYS = set(CHARTS)
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return load_briefing(REPO / "data")


@pytest.fixture(scope="module")
def charts(briefing: Briefing) -> dict[str, Chart]:
    return draw_charts(briefing)


def test_every_registered_chart_is_drawn(charts: dict[str, Chart]) -> None:
    assert set(charts) == KEYS >= {"trade", "railway", "map", "visits"}
    assert all(chart.key == key for key, chart in charts.items())


@pytest.mark.parametrize("key", sorted(KEYS))
def test_chart_is_valid_svg_of_column_width(charts: dict[str, Chart], key: str) -> None:
    root = ET.fromstring(charts[key].svg.encode())
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == "453.6pt"  # 6.3 in: the A4 text column
    assert len(charts[key].svg.encode()) < 250_000


@pytest.mark.parametrize("key", sorted(KEYS))
def test_words_and_sources(charts: dict[str, Chart], briefing: Briefing, key: str) -> None:
    chart = charts[key]
    assert chart.caption and chart.alt
    assert not chart.caption.startswith("Figure")  # the template numbers figures
    assert set(chart.source_ids) <= {source.id for source in briefing.sources}


def test_trade_words_carry_years_and_numbers(charts: dict[str, Chart], briefing: Briefing) -> None:
    chart, trade = charts["trade"], briefing.trade
    first, last = trade.years[0].year, trade.years[-1].year
    assert f"{first}–{last}" in chart.caption
    assert "(US dollars)" in chart.caption  # CLDR's name, not the code
    assert "in million US dollars" in chart.caption
    for name in ("Kazakhstan", "Iran"):
        assert name in chart.caption
    for figure in ("1.279 billion", "1.3 billion", "24 million", "0.2 million", "34.9 million"):
        assert figure in chart.alt
    assert chart.source_ids == (trade.source,)


def test_railway_words_carry_lengths(charts: dict[str, Chart], briefing: Briefing) -> None:
    railway = briefing.transport.railway
    for chart in (charts["railway"].caption, charts["railway"].alt):
        assert "929 km in all" in chart
        for segment in railway.segments:
            assert f"{segment.country} {segment.km:g} km" in chart


def test_map_words_name_every_place(charts: dict[str, Chart], briefing: Briefing) -> None:
    transport = briefing.transport
    for name in [transport.ferry.from_, *transport.ferry.to, *transport.railway.route]:
        assert name in charts["map"].caption
        assert name in charts["map"].alt
    assert "approximate" in charts["map"].alt
    assert "gshhg" in charts["map"].source_ids


def test_visits_say_counts_are_not_given(charts: dict[str, Chart], briefing: Briefing) -> None:
    chart, visits = charts["visits"], briefing.diplomacy.visits
    assert visits.counts is None
    assert "not given in the source" in chart.alt
    assert "not given in the source" in chart.caption
    assert f"{visits.years[0]}–{visits.years[-1]}" in chart.caption
    assert "1994, 1995, 1997, 2003, 2004" in chart.alt  # the gaps, stated not hidden
    for side in visits.sides:
        assert side in chart.alt


def test_visits_with_counts_draw_them(briefing: Briefing) -> None:
    visits = briefing.diplomacy.visits.model_copy(update={"counts": {1992: 2, 2012: 5}})
    chart = draw_visits_chart(visits, briefing.meta.countries)
    ET.fromstring(chart.svg.encode())
    assert "1992: 2; 2012: 5" in chart.alt
    assert "not given" not in chart.alt


def test_two_runs_are_byte_identical(charts: dict[str, Chart], briefing: Briefing) -> None:
    again = draw_charts(briefing)
    for key in KEYS:
        assert again[key] == charts[key], key


def test_other_process_gives_same_bytes(charts: dict[str, Chart]) -> None:
    """A fresh interpreter (fresh ids, fresh caches) must still write the same SVG."""
    out = _fresh_python(
        "import hashlib; from kzbrief.charts.registry import draw_charts",
        "c = draw_charts(briefing)",
        "print(*(k + ':' + hashlib.sha256(v.svg.encode()).hexdigest() for k, v in c.items()))",
    )
    expected = [f"{k}:{hashlib.sha256(v.svg.encode()).hexdigest()}" for k, v in charts.items()]
    assert out.split() == expected


def test_keying_the_charts_imports_no_matplotlib() -> None:
    """The cache is keyed from the registry alone: matplotlib loads only to draw a chart."""
    out = _fresh_python(
        "from kzbrief.charts.registry import chart_inputs",
        "chart_inputs(briefing)",
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'mpl_toolkits'))))",
    )
    assert out.strip() == "[]"


def _fresh_python(*lines: str) -> str:
    """What a new interpreter prints after loading the shipped briefing and running ``lines``."""
    script = "; ".join(
        [
            "import sys; from pathlib import Path",
            "from kzbrief.data.briefing import load_briefing",
            "briefing = load_briefing(Path('data'))",
            *lines,
        ]
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return run.stdout


def test_changed_trade_number_changes_chart(briefing: Briefing) -> None:
    before = draw_trade_chart(briefing.trade, briefing.meta.countries)
    rows = list(briefing.trade.years)
    rows[0] = rows[0].model_copy(update={"export": 1_250_000_000.0})
    after = draw_trade_chart(
        briefing.trade.model_copy(update={"years": rows}), briefing.meta.countries
    )
    assert "export 1.25 billion" in after.alt and "1.279 billion" not in after.alt
    assert after.svg != before.svg


def test_changed_segment_changes_railway(briefing: Briefing) -> None:
    railway = briefing.transport.railway
    segments = [*railway.segments[:-1], Segment(country="Iran", km=90)]
    chart = draw_railway_chart(railway.model_copy(update={"segments": segments}))
    assert "936 km in all" in chart.caption and "Iran 90 km" in chart.alt
    assert chart.svg != draw_railway_chart(railway).svg


def test_moved_place_changes_map(briefing: Briefing, charts: dict[str, Chart]) -> None:
    transport = briefing.transport
    places = [
        p.model_copy(update={"lat": p.lat - 0.5}) if p.name == "Etrek" else p
        for p in transport.places
    ]
    moved = draw_corridor_map(transport.model_copy(update={"places": places}), "gshhg")
    assert moved.svg != charts["map"].svg


def test_added_visit_year_changes_timeline(briefing: Briefing, charts: dict[str, Chart]) -> None:
    visits = briefing.diplomacy.visits
    more = visits.model_copy(update={"years": [*visits.years, 2014]})
    chart = draw_visits_chart(more, briefing.meta.countries)
    assert "1992 to 2014" in chart.alt and "2013" in chart.alt
    assert chart.svg != charts["visits"].svg


def test_map_extent_holds_every_place(briefing: Briefing) -> None:
    lon0, lat0, lon1, lat1 = map_extent(briefing.transport.places, aspect=1.5)
    for place in briefing.transport.places:
        assert lon0 < place.lon < lon1 and lat0 < place.lat < lat1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_279_000_000, "1.279 bn"),
        (1_300_000_000, "1.3 bn"),
        (24_000_000, "24 m"),
        (200_000, "0.2 m"),
        (34_900_000, "34.9 m"),
        (0, "0 m"),
        (400, "<0.001 m"),
    ],
)
def test_compact_figures(value: float, expected: str) -> None:
    scale = pick_scale([value]) if value >= 1e9 else pick_scale([1e6])
    assert compact(value, scale) == expected


@pytest.mark.parametrize("imports", [(500_000.0, 200_000.0, 350_000.0), (24_000.0, 9_500.0, 400.0)])
def test_chart_and_table_print_an_amount_alike(
    briefing: Briefing, imports: tuple[float, ...]
) -> None:
    """Amounts below a million: the chart's bar labels read as the trade table's cells."""
    rows = [
        row.model_copy(update={"import_": amount})
        for row, amount in zip(briefing.trade.years, imports, strict=True)
    ]
    trade = briefing.trade.model_copy(update={"years": rows})
    root = ET.fromstring(draw_trade_chart(trade).svg.encode())
    labels = {"".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")}
    money = _environment(TemplateStack((), PACKAGED_TEMPLATES / "base")).filters["money"]
    for amount in imports:
        assert money(amount) in labels, (money(amount), sorted(labels))


def test_charts_leave_no_pyplot_figures(briefing: Briefing) -> None:
    """Charts use Figure objects directly: nothing piles up in pyplot's global state.

    pyplot is imported here first, so a chart that went through it would leave a figure
    behind for this check to find (a test that never imports pyplot could not fail).
    """
    import matplotlib

    matplotlib.use("Agg")  # no display on a build machine
    from matplotlib import pyplot

    pyplot.close("all")
    draw_charts(briefing)
    assert pyplot.get_fignums() == []


def _trade_years(trade: Trade, count: int) -> Trade:
    """``count`` consecutive years ending in the last real one; turnover = export + import."""
    last = trade.years[-1].year
    rows = []
    for i in range(count):
        export = 1_000_000_000 + 9_000_000 * i + 40_000_000 * (i % 4)
        imports = (24_000_000, 200_000, 34_900_000, 11_000_000)[i % 4]
        row = {"year": last - count + 1 + i, "export": export, "import": imports}
        rows.append(TradeYear.model_validate({**row, "turnover": export + imports}))
    return trade.model_copy(update={"years": rows})


def _overlapping_texts(trade: Trade) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty chart texts whose boxes intersect once drawn."""
    with chart_style():
        fig = trade_figure(trade)
        fig.draw_without_rendering()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    assert len(texts) > 8  # titles, year labels, legend and values are all there
    return [(a, b) for (a, box), (b, other) in combinations(boxes, 2) if box.overlaps(other)]


@pytest.mark.parametrize("count", [0, 4, 5, BAR_YEARS, BAR_YEARS + 1, 20, 60])
def test_trade_chart_text_never_overlaps(briefing: Briefing, count: int) -> None:
    """The real years (count 0), a few more, and 60 years: no label touches another."""
    trade = _trade_years(briefing.trade, count) if count else briefing.trade
    assert trade.inconsistent_years() == []
    assert _overlapping_texts(trade) == []


def test_sixty_years_become_a_line_chart_with_every_number_in_the_words(
    briefing: Briefing,
) -> None:
    trade = _trade_years(briefing.trade, 60)
    chart = draw_trade_chart(trade, briefing.meta.countries)
    assert chart.alt.startswith("Line charts of trade between Kazakhstan and Iran")
    assert all(f"{row.year}: turnover" in chart.alt for row in trade.years)
    assert f"{trade.years[0].year}–{trade.years[-1].year}" in chart.caption
    root = ET.fromstring(chart.svg.encode())
    shown = {"".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")}
    years = [int(s) for s in shown if s.isdigit() and len(s) == 4]
    assert 3 <= len(years) <= 13  # thinned, not all 60 ...
    assert all(year % 5 == 0 for year in years)  # ... to round years


def test_map_lines_are_simplified_and_clipped_to_the_map() -> None:
    """A dense straight line keeps its two ends; what lies outside the axes is cut away."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    from kzbrief.charts.simplify import simplify_lines

    ax = Figure(figsize=(4, 3)).add_axes((0, 0, 1, 1), xlim=(0, 10), ylim=(0, 10))
    dense = [(x / 100, 5.0) for x in range(1001)]  # 1,001 points along y = 5
    outside = [(20.0, 20.0), (30.0, 30.0)]  # wholly beyond the axes
    lines = LineCollection([dense, outside])
    ax.add_collection(lines)
    simplify_lines(ax, lines)
    (kept,) = lines.get_segments()
    assert len(kept) == 2
    assert kept[0] == pytest.approx((0, 5)) and kept[-1] == pytest.approx((10, 5))


def test_chart_svgs_carry_no_metadata_and_short_path_numbers(charts: dict[str, Chart]) -> None:
    import re

    for chart in charts.values():
        assert "<metadata>" not in chart.svg and "rdf:RDF" not in chart.svg
        for data in re.findall(r' d="([^"]*)"', chart.svg):
            assert not re.search(r"\d\.\d{3}", data), data[:80]
    # the base map is lighter than the GSHHG outlines it is drawn from (128 kB before)
    assert len(charts["map"].svg.encode()) < 90_000
