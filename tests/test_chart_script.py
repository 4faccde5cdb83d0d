"""Chart text in Persian: matplotlib does not shape Arabic script, so labels are given to it
joined (presentation forms) and in visual order; left-to-right text is left alone."""

from __future__ import annotations

import base64
import io
import logging
import re
import unicodedata

import matplotlib
import pytest
from pypdf import PdfReader

from kzbrief.charts.registry import draw_chart
from kzbrief.charts.script import chart_family, display_text
from kzbrief.charts.style import chart_style, new_figure, to_svg
from kzbrief.data.briefing import load_briefing
from kzbrief.language.current import load_language, use_language

from .conftest import REPO
from .languages import glyph_rows, render_in, typeset, with_body
from .pdf_glyphs import Glyph, glyphs

LABEL = "تجارت ایران و قزاقستان (USD 2011)"


def test_left_to_right_text_passes_unchanged() -> None:
    for text, language in [
        ("Trade, 2009–2011 (USD bn)", "en"),
        ("Товарооборот Казахстана", "ru"),
        ("Қазақстан мен Иран", "kk"),
        ("ایران", "en"),  # the language decides, not the letters
    ]:
        assert display_text(text, language) == text
    assert chart_family("kk") == chart_family("en") == ["Source Sans 3"]


def test_persian_is_joined_and_in_visual_order() -> None:
    # ا ی ر ا ن: alef and reh never join the next letter, so the forms are isolated alef,
    # initial yeh, final reh, isolated alef, isolated noon, shown right to left (reversed).
    assert display_text("ایران", "fa") == "\ufee5\ufe8d\ufeae\ufbfe\ufe8d"
    # A Latin run keeps its order, and stands where a Persian reader expects it: on the left,
    # at the end of the sentence.
    shown = display_text("ایران (USD 2011)", "fa")
    assert shown == "(USD 2011) \ufee5\ufe8d\ufeae\ufbfe\ufe8d"
    assert chart_family("fa")[0] == "Vazirmatn"


def test_outlined_text_is_shaped_by_matplotlib_as_the_presentation_forms_are_drawn() -> None:
    """matplotlib >= 3.11 shapes and orders the text it outlines itself (libraqm), so the
    logical text goes in. Compared on the outlines drawn, not on SVG ids (which 3.11 names by
    glyph index, 3.10 by character): the same glyphs, left to right, as the presentation
    forms display_text gives for text left as text, each drawn alone."""
    drawn = _outlines(LABEL)
    alone = [o for char in display_text(LABEL, "fa") if char != " " for o in _outlines(char)]
    assert len(drawn) == len(alone)
    # Place by place the same glyphs, but for the few where HarfBuzz takes a contextual
    # variant from Vazirmatn's own tables; drawn in reverse, next to none would match.
    same = sum(d == a for d, a in zip(drawn, alone, strict=True))
    reversed_same = sum(d == a for d, a in zip(drawn[::-1], alone, strict=True))
    assert same >= 0.8 * len(alone) > reversed_same


def _outlines(text: str) -> list[str]:
    """The glyph outlines (SVG path data) of ``text`` outlined in the Persian chart style,
    in drawing order; spaces draw none."""
    with chart_style("fa"), matplotlib.rc_context({"svg.fonttype": "path"}):
        figure = new_figure(1.0)
        figure.text(0.5, 0.5, text, ha="center")
        svg = to_svg(figure)
    shapes = dict(re.findall(r'<path id="([^"]+)" d="([^"]*)"', svg))
    assert shapes and all(k.startswith("Vazirmatn-Regular-") for k in shapes)
    used = re.findall(r'<use xlink:href="#([^"]+)"', svg)
    return [shapes[name] for name in used if shapes.get(name, "").strip()]


def test_the_typeset_chart_label_matches_the_typesetters_own_shaping() -> None:
    # The charts keep SVG text as text, set by WeasyPrint. The label drawn through the chart
    # style must come out as Pango shapes the same words in a paragraph of the Persian page.
    with chart_style("fa"):
        figure = new_figure(1.0)
        figure.text(0.5, 0.5, display_text(LABEL, "fa"), ha="center", fontsize=14)
        svg = to_svg(figure)
    picture = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    body = f'<p>{LABEL}</p><img src="{picture}" alt="{LABEL}">'
    result = typeset(with_body(render_in("fa", "press"), body), "press")
    assert result.warnings == ()
    paragraph, chart = glyph_rows(glyphs(PdfReader(io.BytesIO(result.pdf)).pages[0]))[:2]
    # Same letters in the same left-to-right order (the chart's are presentation forms).
    assert _letters(chart) == _letters(paragraph)
    assert chart[0].font.endswith("+Vazirmatn")


def _letters(row: list[Glyph]) -> str:
    return unicodedata.normalize("NFKC", "".join(g.char for g in row)).replace(" ", "")


def test_persian_chart_text_is_kept_in_the_order_it_is_drawn_in_a_browser_too() -> None:
    # WeasyPrint sets the display-ordered text as given; a browser would reorder it again
    # unless the SVG overrides the bidi algorithm on each text.
    briefing = load_briefing(REPO / "data")
    svgs = {}
    for code in ("en", "fa"):
        with use_language(load_language(code)):
            svgs[code] = draw_chart("railway", briefing).svg
    override = '<text direction="ltr" unicode-bidi="bidi-override" '
    assert override in svgs["fa"] and "<text " not in svgs["fa"].replace(override, "")
    assert override not in svgs["en"]


def test_every_weight_the_charts_ask_for_is_registered(caplog: pytest.LogCaptureFixture) -> None:
    """No "findfont: Failed to find font weight semibold" (titles are semibold): each
    language's family has every weight, so matplotlib never falls back quietly."""
    for code in ("en", "ru", "kk", "fa"):
        with chart_style(code), caplog.at_level(logging.WARNING, logger="matplotlib"):
            figure = new_figure(1.0)
            figure.suptitle("Trade", weight="semibold")
            figure.text(0.1, 0.5, "Trade", weight="bold", style="italic")
            figure.text(0.5, 0.5, "Trade", weight="normal")
            to_svg(figure)
    assert [r.getMessage() for r in caplog.records] == []
