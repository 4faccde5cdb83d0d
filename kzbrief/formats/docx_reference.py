"""Makes the packaged reference document, templates/base/reference.docx: python-docx's
default template restyled to the PDF's look (Source Serif 4 text, Source Sans 3 headings
in the accent colour, footnote styles, a footnotes part with Word's separators).

    python -m kzbrief.formats.docx_reference templates/base/reference.docx

A project replaces the look by putting its own reference.docx (saved from Word or
LibreOffice, its styles named as Word names them) in its template folder.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import docx
from docx.shared import Pt, RGBColor

from .docx_inline import Footnotes
from .docx_package import SANS, SERIF, save_reproducibly

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)  # print.css --accent
TEXT = RGBColor(0x1C, 0x1F, 0x23)
MUTED = RGBColor(0x5B, 0x64, 0x70)
# style: (face, size pt, bold, colour, space before, space after)
STYLES = {
    "Normal": (SERIF, 10, False, TEXT, 0, 6),
    "Title": (SANS, 30, True, ACCENT, 0, 12),
    "Subtitle": (SERIF, 15, False, TEXT, 0, 18),
    "Heading 1": (SANS, 16, True, ACCENT, 18, 8),
    "Heading 2": (SANS, 11.5, True, TEXT, 12, 4),
    "Heading 3": (SANS, 10, True, ACCENT, 8, 3),
    "TOC Heading": (SANS, 12, True, ACCENT, 18, 4),
    "Caption": (SANS, 9, False, TEXT, 4, 10),
    "Quote": (SERIF, 10, False, TEXT, 4, 6),
    "Header": (SANS, 8, False, MUTED, 0, 0),
    "Footer": (SANS, 7.5, False, MUTED, 0, 0),
}


def reference_document() -> bytes:
    document = docx.Document()
    for name, (face, size, bold, colour, before, after) in STYLES.items():
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = face, Pt(size), bold
        style.font.color.rgb = colour
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    document.styles["Title"].element.get_or_add_pPr()  # keeps Word's bottom rule
    Footnotes(document, rtl=False).finish()  # the part and its two styles
    return save_reproducibly(document, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(reference_document())
