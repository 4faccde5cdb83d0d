"""A right-to-left edition is the left-to-right page mirrored: measured on the glyphs of the
press briefing typeset as a Persian edition would be (``dir="rtl"``, ``lang="fa"``)."""

from __future__ import annotations

import io

import pytest
from bidi.algorithm import get_display
from pypdf import PageObject, PdfReader

from kzbrief.data.briefing import load_briefing

from .conftest import REPO
from .languages import glyph_rows, render_in, typeset, with_body
from .pdf_glyphs import Glyph, glyphs, lines

MM = 72 / 25.4
SIDE = 18 * MM  # the press page's side margins (its @page override)


@pytest.fixture(scope="module")
def pages() -> dict[str, list[PageObject]]:
    """The press briefing as an English (ltr) and a Persian (rtl) edition."""
    typeset_pages = {}
    for language in ("en", "fa"):
        result = typeset(render_in(language, "press"), "press")
        assert result.warnings == ()
        typeset_pages[language] = PdfReader(io.BytesIO(result.pdf)).pages
    return typeset_pages


def _near(x: float, expected: float) -> bool:
    return abs(x - expected) < 1.5


def _first_line(page: PageObject, text: str) -> tuple[float, float]:
    """(left, right) of the first line holding ``text``."""
    found = [line for line in lines(page) if text in line.text]
    assert found, f"{text!r} is not on the page"
    return found[0].x0, found[0].x1


def test_headings_and_captions_sit_on_the_start_side(pages: dict[str, list[PageObject]]) -> None:
    headings = load_briefing(REPO / "data").narrative.headings.values()
    for language, typeset_pages in pages.items():
        page = typeset_pages[0]
        right = float(page.mediabox.width) - SIDE
        titles = [line for line in lines(page) if any(h in line.text for h in headings)]
        assert len(titles) >= 2
        for left_edge, right_edge in [(t.x0, t.x1) for t in titles] + [
            _first_line(page, "Figure 1")
        ]:
            # English lines start at the left margin; Persian ones end at the right margin.
            assert _near(left_edge, SIDE) if language == "en" else _near(right_edge, right)


def test_page_numbers_and_running_heads_change_sides(pages: dict[str, list[PageObject]]) -> None:
    for language, typeset_pages in pages.items():
        page = typeset_pages[1]
        right = float(page.mediabox.width) - SIDE
        number = _first_line(page, "Page 2 of 2")
        title = _first_line(page, "Kazakhstan and Iran")  # the running head
        if language == "en":
            assert _near(number[1], right) and _near(title[0], SIDE)
        else:
            assert _near(number[0], SIDE) and _near(title[1], right)


def test_key_facts_put_their_labels_on_the_start_side(pages: dict[str, list[PageObject]]) -> None:
    for language, typeset_pages in pages.items():
        label, text = _word_x(typeset_pages[0], "Ferry"), _word_x(typeset_pages[0], "Aktau")
        assert label < text if language == "en" else label > text


def test_the_contents_numbers_pages_on_the_left_and_nothing_leaves_the_page() -> None:
    result = typeset(render_in("fa", "government"), "government")
    assert result.warnings == ()
    typeset_pages = PdfReader(io.BytesIO(result.pdf)).pages
    cover = typeset_pages[0]
    entries = [line for line in lines(cover) if line.text.rstrip().endswith("Trade dynamics 4")]
    # The page number (6, say) ends the entry's line on the left, at the cover's 24 mm inset.
    assert len(entries) == 1 and _near(entries[0].x0, 24 * MM), entries
    for page in typeset_pages:
        width = float(page.mediabox.width)
        assert all(g.x0 >= 0 and g.x1 <= width for g in glyphs(page))


def test_latin_words_in_persian_text_read_in_order() -> None:
    sentence = "سازمان CICA در سال 2011 گردهمایی داشت و تجارت USD 1.11 bn بود."
    result = typeset(with_body(render_in("fa", "press"), f"<p>{sentence}</p>"), "press")
    assert result.warnings == ()
    (line, *_) = glyph_rows(glyphs(PdfReader(io.BytesIO(result.pdf)).pages[0]))
    # Left to right on the page: the Unicode bidi algorithm's visual order (python-bidi is
    # the reference), so each Latin run reads left to right among Persian words read right
    # to left, and the full stop ends the sentence on the left.
    shown = "".join(g.char for g in line)
    assert shown == get_display(sentence, base_dir="R")
    assert shown.startswith(".") and "USD 1.11 bn" in shown and "2011" in shown


def test_text_between_isolate_marks_keeps_its_own_punctuation() -> None:
    # How data text can isolate a Latin run in the PDF (WeasyPrint 70 has no unicode-bidi
    # and treats <bdi> as any inline): the title's full stop stays at its right end inside
    # U+2068 ... U+2069; without them it follows the Persian sentence, left of the title.
    title = "Kazakhstan–Iran relations."
    body = f"<p>گزارش \u2068{title}\u2069 منتشر شد</p><p>گزارش {title} منتشر شد</p>"
    result = typeset(with_body(render_in("fa", "press"), body), "press")
    assert result.warnings == ()
    isolated, plain = ("".join(g.char for g in row) for row in _page_rows(result.pdf)[:2])
    assert "Kazakhstan–Iran relations. " in isolated
    assert " .Kazakhstan–Iran relations " in plain


def _page_rows(pdf: bytes) -> list[list[Glyph]]:
    return glyph_rows(glyphs(PdfReader(io.BytesIO(pdf)).pages[0]))


def _word_x(page: PageObject, word: str) -> float:
    """Where the first ``word`` on the page starts (its leftmost glyph)."""
    for row in glyph_rows(glyphs(page)):
        text = "".join(g.char for g in row)
        if word in text:
            return row[text.index(word)].x0
    raise AssertionError(f"{word!r} is not on the page")
