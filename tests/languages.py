"""The English briefing rendered as an edition in another language would be (direction,
typefaces), typeset in memory: the cheap way to test scripts before the data is translated.

The audience's language is swapped on a copy of the model (its validator knows only the
languages whose text exists), which is all that direction and typefaces depend on.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from kzbrief.charts.registry import CHARTS
from kzbrief.data.audiences import load_audiences
from kzbrief.data.briefing import load_briefing
from kzbrief.formats.pdf import Typeset, typeset_options, typeset_pdf
from kzbrief.language.current import Language
from kzbrief.language.fonts import font_faces
from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render.html import TemplateStack, render_html

from .conftest import REPO
from .pdf_glyphs import Glyph, glyphs


def render_in(language: str, audience_id: str, **changes: object) -> str:
    """The audience's briefing as HTML, laid out as an edition in ``language``; charts are
    empty pictures (their drawing is tested elsewhere)."""
    briefing = load_briefing(REPO / "data")
    audience = load_audiences(REPO / "data")[audience_id]
    audience = audience.model_copy(update={"languages": [language], **changes})
    charts = {
        key: SimpleNamespace(key=key, svg="<svg/>", caption=key, alt=key, source_ids=("seed",))
        for key in CHARTS
    }
    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience_id, None)
    edition = _Layout(language)
    return render_html(briefing, audience, charts, stack, language=edition)  # type: ignore[arg-type]


class _Layout(Language):
    """A language's direction and typefaces with English words and ASCII digits: these tests
    measure where known English strings land (the words are tested in test_languages.py)."""

    def digits(self, text: str) -> str:
        return text

    @property
    def counter_style(self) -> str:
        return "decimal"


def with_body(html: str, body: str) -> str:
    """``html``'s head (its stylesheet and @font-face rules) over another body."""
    return f"{html[: html.index('<body>')]}<body>{body}</body></html>"


def typeset(html: str, audience_id: str) -> Typeset:
    """As a build typesets it, warnings (font fallbacks) included."""
    folders = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience_id, None).folders
    timestamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return typeset_pdf(html, typeset_options(folders, REPO / "data", None, "none", timestamp))


def embedded_fonts(pdf: bytes) -> dict[str, set[str]]:
    """The PostScript name of each font file embedded in ``pdf`` -> the characters it draws
    (WeasyPrint names fonts after the CSS family, so the file itself is read)."""
    found: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        files = {}
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            data = descriptor["/FontFile2"].get_object().get_data()
            files[str(font["/BaseFont"])] = TTFont(io.BytesIO(data))["name"].getDebugName(6)
        for glyph in glyphs(page):
            found.setdefault(files[glyph.font], set()).add(glyph.char)
    return found


def packaged_names() -> set[str]:
    """The PostScript names of every packaged face."""
    return {TTFont(face.path)["name"].getDebugName(6) for face in font_faces()}


def glyph_rows(found: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs by baseline, top first, each row left to right."""
    rows: dict[float, list[Glyph]] = {}
    for glyph in found:
        rows.setdefault(round(glyph.y, 1), []).append(glyph)
    return [sorted(row, key=lambda g: g.x0) for _, row in sorted(rows.items(), reverse=True)]
