"""Charts the data declares (charts/declared.py): every value in the language being drawn,
on the chart and in its alt text, and no label touching another."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from pydantic import ValidationError

from kzbrief.charts.declared import declared_figure, draw_declared_chart
from kzbrief.charts.script import display_text
from kzbrief.charts.style import chart_style
from kzbrief.data.own import DeclaredChart
from kzbrief.language.current import load_language, use_language

SVG_NS = "{http://www.w3.org/2000/svg}"
# Kazakhstan's trade with Iran, million US dollars (seed data); 2010's import left out.
TRADE: dict[str, Any] = {
    "kind": "bar",
    "title": "Kazakhstan's trade with Iran, 2009–2011",
    "units": "million US dollars",
    "alt": "Bars of Kazakhstan's export to and import from Iran by year.",
    "categories": [2009, 2010, 2011],
    "series": [
        {"name": "Export", "values": [1279, 1090, 1080]},
        {"name": "Import", "values": [24, None, 34.9]},
    ],
    "source": "seed-trade",
}
RAILWAY: dict[str, Any] = {
    "kind": "bar",
    "title": "Length of the railway by country",
    "units": "km",
    "alt": "Bars of the railway's length in each country.",
    "categories": ["Kazakhstan", "Turkmenistan", "Iran"],
    "series": [{"name": "Length", "values": [146, 700, 83]}],
    "source": "seed",
}
# The same tables as a Persian edition's data holds them: translated words, raw numbers.
PERSIAN = {
    "units": "میلیون دلار آمریکا",
    "series": [
        {"name": "صادرات", "values": [1279, 1090, 1080]},
        {"name": "واردات", "values": [24, None, 34.9]},
    ],
}
COUNTRIES_FA = ["قزاقستان", "ترکمنستان", "ایران"]
KINDS = ["bar", "line", "stacked"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with use_language(load_language("en")):
        yield


def declared(data: dict[str, Any], **changes: Any) -> DeclaredChart:
    return DeclaredChart.model_validate({**data, **changes})


def svg_texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg.encode()).iter(f"{SVG_NS}text")]


def overlaps(chart: DeclaredChart) -> list[tuple[str, str]]:
    """Pairs of visible chart texts whose boxes intersect once drawn."""
    with chart_style():
        fig = declared_figure(chart)
        fig.draw_without_rendering()
        hidden = {id(t) for t in _ticks_outside_view(fig)}
        texts = [
            t
            for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden
        ]
        boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
        inside = fig.bbox
    assert all(inside.x0 <= b.x0 and b.x1 <= inside.x1 + 0.5 for _, b in boxes), "clipped"
    return [(a, b) for (a, box), (b, other) in combinations(boxes, 2) if box.overlaps(other)]


def _ticks_outside_view(fig: Figure) -> Iterator[Text]:
    """Tick labels matplotlib keeps but does not draw: their tick is beyond the axis' limits."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    yield tick.label1


def test_bars_carry_every_value_and_year_and_the_units() -> None:
    chart = draw_declared_chart("iran_trade", declared(TRADE))
    shown = svg_texts(chart.svg)
    for text in ("1,279", "1,090", "1,080", "24", "34.9", "2009", "2010", "2011"):
        assert text in shown
    assert "million US dollars" in shown and {"Export", "Import"} <= set(shown)
    assert (chart.key, chart.caption, chart.source_ids) == (
        "iran_trade",
        TRADE["title"],
        ("seed-trade",),
    )


def test_alt_gives_every_value_and_leaves_a_missing_one_out() -> None:
    alt = draw_declared_chart("t", declared(TRADE)).alt
    assert alt.startswith(TRADE["alt"] + " Export, million US dollars — 2009: 1,279;")
    assert "Import, million US dollars — 2009: 24; 2011: 34.9." in alt
    assert "2010: " not in alt.split("Import")[1]  # no figure for 2010, and no zero for it


@pytest.mark.parametrize("kind", KINDS)
def test_string_categories_are_shown_as_given(kind: str) -> None:
    chart = draw_declared_chart("rail", declared(RAILWAY, kind=kind))
    shown = svg_texts(chart.svg)
    assert {"Kazakhstan", "Turkmenistan", "Iran", "km"} <= set(shown)
    assert "Length" not in shown  # one series: no legend
    assert chart.alt.endswith("Length, km — Kazakhstan: 146; Turkmenistan: 700; Iran: 83.")


def test_russian_writes_a_decimal_comma() -> None:
    with use_language(load_language("ru")):
        chart = draw_declared_chart("t", declared(TRADE, kind="bar"))
    assert "34,9" in svg_texts(chart.svg) and "34,9" in chart.alt and "34.9" not in chart.alt
    assert "1\u00a0279" in chart.alt  # Russian groups thousands with a (no-break) space


@pytest.mark.parametrize("kind", KINDS)
def test_persian_numbers_and_words_in_display_order(kind: str) -> None:
    data = declared(TRADE, kind=kind, **PERSIAN)
    with use_language(load_language("fa")):
        chart = draw_declared_chart("t", data)
    shown = svg_texts(chart.svg)
    assert "۲۰۰۹" in shown and "2009" not in shown
    assert display_text("میلیون دلار آمریکا", "fa") in shown
    assert {display_text("صادرات", "fa"), display_text("واردات", "fa")} <= set(shown)
    assert "۱٬۲۷۹" in chart.alt and "۳۴٫۹" in chart.alt and "1279" not in chart.alt
    if kind == "bar":
        assert "۳۴٫۹" in shown


def test_persian_legend_reads_from_the_right() -> None:
    """The first series' label stands right of the second's, as trade.py's legend does."""
    data = declared(TRADE, **PERSIAN)
    with use_language(load_language("fa")), chart_style():
        fig = declared_figure(data)
        fig.draw_without_rendering()
        [legend] = fig.legends
        x = {t.get_text(): t.get_window_extent().x0 for t in legend.get_texts()}
    assert x["صادرات"] > x["واردات"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "fa"])
def test_nothing_overlaps(kind: str, language: str) -> None:
    with use_language(load_language(language)):
        assert overlaps(declared(TRADE, kind=kind)) == []
        assert overlaps(declared(RAILWAY, kind=kind)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_forty_years_and_six_series_are_thinned_not_piled(kind: str) -> None:
    years = list(range(1985, 2025))
    series = [
        {"name": f"Partner {i + 1}", "values": [100 + 37.3 * j + i for j in range(40)]}
        for i in range(6)
    ]
    chart = declared(TRADE, kind=kind, categories=years, series=series)
    assert overlaps(chart) == []
    shown = svg_texts(draw_declared_chart("t", chart).svg)
    assert "2024" in shown and 3 <= len([s for s in shown if s in map(str, years)]) <= 20


@pytest.mark.parametrize("kind", KINDS)
def test_long_names_are_wrapped_or_turned(kind: str) -> None:
    names = [
        "Republic of Kazakhstan",
        "Turkmenistan (state railways)",
        "Islamic Republic of Iran",
        "Russian Federation",
        "Azerbaijan Republic",
        "Uzbekistan",
        "Kyrgyz Republic",
        "People's Republic of China",
    ]
    chart = declared(
        RAILWAY, kind=kind, categories=names, series=[{"name": "km", "values": [9] * 8}]
    )
    assert overlaps(chart) == []
    shown = " ".join(svg_texts(draw_declared_chart("r", chart).svg))
    assert all(part in shown for name in names for part in name.split())  # none thinned away


@pytest.mark.parametrize("kind", KINDS)
def test_long_persian_names_keep_every_word_in_display_order(kind: str) -> None:
    names = ["جمهوری قزاقستان", "ترکمنستان", "جمهوری اسلامی ایران", "فدراسیون روسیه"] * 2
    chart = declared(
        RAILWAY, kind=kind, categories=names, series=[{"name": "km", "values": [9] * 8}]
    )
    with use_language(load_language("fa")):
        assert overlaps(chart) == []
        shown = " ".join(svg_texts(draw_declared_chart("r", chart).svg))
    assert all(display_text(word, "fa") in shown for name in names for word in name.split())


def test_a_missing_value_breaks_the_line() -> None:
    with chart_style():
        fig = declared_figure(declared(TRADE, kind="line"))
    ys = [list(line.get_ydata()) for line in fig.axes[0].lines]
    assert ys[0] == [1279, 1090, 1080]
    assert ys[1][0] == 24 and ys[1][1] != ys[1][1] and ys[1][2] == 34.9  # NaN: a gap


def test_the_model_refuses_a_series_of_the_wrong_length() -> None:
    bad = {"name": "Import", "values": [24, 0.2]}
    with pytest.raises(ValidationError, match="series 'Import' has 2 values for 3 categories"):
        declared(TRADE, series=[TRADE["series"][0], bad])
