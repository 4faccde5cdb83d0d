"""Chart labels drawn a string at a time, where WeasyPrint 70 draws SVG text a letter at a time.

WeasyPrint lays out every letter of an SVG ``<text>`` as its own Pango line and draws it on
its own (``weasyprint/svg/text.py``), so that per-letter positions (``dx``, ``rotate``,
``textLength``...) can apply. matplotlib's labels use none of them: one position, one string.
For those, this lays the string out once and draws it once, as the HTML text is drawn (Pango
kerning included, which the letter-by-letter drawing loses). Anything else goes to
WeasyPrint's own function: per-letter attributes, letter spacing, a text with children,
spaces at its ends, and right-to-left letters (the Persian charts' labels are given in
display order, which only the letter-by-letter drawing keeps as given).

Measured on the four English editions typeset in one process: 6.0-6.4 s of CPU -> 5.6-5.7 s.
The tree of SVG nodes, the anchoring (``text-anchor``, done by WeasyPrint around this
function from the bounding box it records) and the drawing calls stay WeasyPrint's own;
``pyproject.toml`` pins WeasyPrint below 71, and tests/test_svg_text.py compares where the
labels land with WeasyPrint's letter-by-letter drawing.
"""

from __future__ import annotations

import importlib
import unicodedata
from math import inf
from typing import Any

_WRAPPED = "_kzbrief_whole_strings"
_POSITION = ("x", "y")  # one value each; a list places letter by letter
_PER_LETTER = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing")
_RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "RLI", "FSI"})


def draw_whole_strings() -> None:
    """Install the string-at-a-time drawing (once per process)."""
    # importlib: the package's attribute "text" is the function, which hides the module.
    svg_module = importlib.import_module("weasyprint.svg")
    text_module = importlib.import_module("weasyprint.svg.text")

    original = text_module.text
    if getattr(original, _WRAPPED, False):
        return

    def text(svg: Any, node: Any, font_size: float) -> None:
        if _plain(node):
            _draw_string(svg, node, font_size)
        else:
            original(svg, node, font_size)

    setattr(text, _WRAPPED, True)
    # svg/__init__.py keeps the function in its TAGS table and compares nodes' entries with
    # it (to anchor text): every reference must be the same new function.
    for tag, function in list(svg_module.TAGS.items()):
        if function is original:
            svg_module.TAGS[tag] = text
    svg_module.text = text
    text_module.text = text


def _plain(node: Any) -> bool:
    string = node.text
    if not string or string != string.strip() or "  " in string or any(True for _ in node):
        return False
    if any(node.get(name) not in (None, "", "0", "normal") for name in _PER_LETTER):
        return False
    if any(len(str(node.get(name, "")).replace(",", " ").split()) > 1 for name in _POSITION):
        return False
    if node.get("direction") not in (None, "ltr"):
        return False
    if node.get("unicode-bidi") not in (None, "normal"):
        return False
    return not any(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in string)


def _draw_string(svg: Any, node: Any, font_size: float) -> None:
    """WeasyPrint's ``text()`` for one string at one position, with one layout."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    weight = {"normal": 400, "bold": 700}.get(weight, weight)
    try:
        style["font_weight"] = int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(node.get("x"), font_size, svg.inner_width) if node.get("x") else None
    y = size(node.get("y"), font_size, svg.inner_height) if node.get("y") else None
    ascent, descent = font_size * 0.8, font_size * 0.2
    y_align = _vertical_alignment(node, height, ascent, descent)
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    points = (
        (x_position, y_position - baseline),
        (x_position + width, y_position - baseline + height),
    )
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
    emojis = draw_first_line(svg.stream, box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def _vertical_alignment(node: Any, height: float, ascent: float, descent: float) -> float:
    """As WeasyPrint aligns a text's baseline (its own approximation of ascent and descent)."""
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0
