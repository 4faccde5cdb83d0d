"""Chart labels drawn a string at a time (formats/weasyprint_adapter.py) land where
WeasyPrint's own letter-by-letter drawing puts them; right-to-left and letter-spaced text keep
WeasyPrint's way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .marked_content import object_text

SANS, PERSIAN = "font-family: 'Source Sans 3'", "font-family: 'Vazirmatn'"
LABELS = [  # x, y, style, text; the anchors matplotlib writes
    (10, 20, f"font-size: 9px; {SANS}", "Turnover, USD bn"),
    (150, 50, f"font-size: 7.5px; {SANS}; text-anchor: middle", "1.279 bn"),
    (290, 80, f"font-size: 7.5px; {SANS}; text-anchor: end", "AVAWAY 2011"),
    (10, 110, f"font-size: 7.5px; {SANS}; letter-spacing: 2px", "KAZAKHSTAN"),
    (290, 110, f"font-size: 8px; {PERSIAN}; text-anchor: end", "\ufee5\ufe8d\ufeae\ufbfe\ufe8d"),
]
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="120pt" viewBox="0 0 300 120">'
    + "".join(
        f'<text x="{x}" y="{y}" style="{style}"'
        + (' direction="ltr" unicode-bidi="bidi-override"' if "Vazirmatn" in style else "")
        + f">{text}</text>"
        for x, y, style, text in LABELS
    )
    + "</svg>"
)

TYPESET = """
import base64, sys
from pathlib import Path
import weasyprint
if sys.argv[2] == "strings":
    from kzbrief.formats.weasyprint_adapter import adapt_weasyprint
    assert adapt_weasyprint()
svg = Path(sys.argv[1]).read_text(encoding="utf-8")
uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
weasyprint.HTML(string=f'<img src="{uri}">').write_pdf(sys.argv[3])
"""


def _typeset(tmp_path: Path, how: str) -> Path:
    """In a process of its own: WeasyPrint unchanged ("letters"), or with the wrapper."""
    svg, pdf = tmp_path / "labels.svg", tmp_path / f"{how}.pdf"
    svg.write_text(SVG, encoding="utf-8")
    subprocess.run([sys.executable, "-c", TYPESET, str(svg), how, str(pdf)], check=True)
    return pdf


def _text_objects(pdf: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each text object's text and box: a string drawn at once is one object."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        text_page = page.get_textpage()
        found = []
        for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=8):
            found.append((object_text(item, text_page).strip(), item.get_bounds()))
        return found
    finally:
        document.close()


def _extent(pdf: Path, label: str) -> tuple[float, float]:
    """Left and right of ``label``'s letters on the page (pdfium's character boxes)."""
    document = pdfium.PdfDocument(pdf)
    try:
        text_page = document[0].get_textpage()
        text = text_page.get_text_range(0, text_page.count_chars())
        start = text.index(label)
        boxes = [
            text_page.get_charbox(i)
            for i in range(start, start + len(label))
            if not text[i].isspace()
        ]
        return min(box[0] for box in boxes), max(box[2] for box in boxes)
    finally:
        document.close()


def test_plain_labels_are_one_string_each_where_the_letters_were(tmp_path: Path) -> None:
    letters, strings = _typeset(tmp_path, "letters"), _typeset(tmp_path, "strings")
    by_letter, by_string = _text_objects(letters), _text_objects(strings)
    whole = [text for text, _ in by_string]
    for label in ("Turnover, USD bn", "1.279 bn", "AVAWAY 2011"):
        assert label in whole, whole  # one object: laid out and drawn once
        assert label not in [text for text, _ in by_letter]  # WeasyPrint: a letter each
    # Anchored as WeasyPrint anchors the letters: the start, middle or end of the ink agrees
    # on the page (kerning moves the other end of "AVAWAY" by design).
    for _, _, style, label in LABELS[:3]:
        (left, right), (l_left, l_right) = _extent(strings, label), _extent(letters, label)
        if "middle" in style:
            assert abs((left + right) / 2 - (l_left + l_right) / 2) < 0.1, label
        elif "end" in style:
            assert abs(right - l_right) < 0.1, label
        else:
            assert abs(left - l_left) < 0.1, label
        if label.startswith("AVAWAY"):  # kerned pairs: the string is narrower than its letters
            assert 0 < (l_right - l_left) - (right - left) < 3
    # Letter-spaced and right-to-left labels are still drawn a letter at a time.
    assert "KAZAKHSTAN" not in whole and "K" in whole
    assert not any(len(text) > 1 and "\ufe8d" <= text[0] <= "\ufefc" for text in whole)
