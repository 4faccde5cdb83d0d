"""The two things WeasyPrint has no public API for, patched here and nowhere else.

- **The language of a passage in another language.** WeasyPrint 70 writes the document's
  language into the catalogue but drops an element's own ``lang`` when it builds the
  structure tree, so a screen reader would read an English source title in a Persian
  edition with Persian rules; PDF/UA-1 (7.2) asks for each change of language to be
  declared. Once the PDF is written a Span is a Span, whatever HTML element it came from,
  so the tree builder (``weasyprint.pdf.tags._build_box_tree``, which calls itself through
  its module global) is wrapped: each element made for a box whose HTML element has its
  own ``lang`` gets a ``/Lang``.
- **Chart labels a string at a time.** WeasyPrint lays out and draws each letter of an SVG
  ``<text>`` as its own Pango line (``weasyprint.svg.text.text``), so that per-letter
  positions can apply. matplotlib's labels have one position and one string: those are
  laid out and drawn once, as HTML text is (kerning included): the four English editions,
  6.0-6.4 -> 5.6-5.7 s of CPU. Per-letter attributes, letter spacing, children, spaces at
  the ends and right-to-left letters (the Persian labels come in display order, which only
  the letter-by-letter drawing keeps) go to WeasyPrint's own function.

Both are installed only under a WeasyPrint this module was tested with (``TESTED_WITH``).
Under any other, it says so once and leaves WeasyPrint alone: the PDFs are WeasyPrint's
own, valid, without ``/Lang`` on passages and with labels drawn a letter at a time.
``INTERNALS`` lists what the patches rely on; tests/test_weasyprint_adapter.py checks each,
so an upgrade that changes one fails there, loudly, before anyone raises ``TESTED_WITH``.
"""

from __future__ import annotations

import functools
import importlib
import logging
import unicodedata
from collections.abc import Callable, Iterator
from math import inf
from typing import Any

LOGGER = logging.getLogger(__name__)
TESTED_WITH = ("70.0",)  # the WeasyPrint versions these patches were written and tested for

# What the patches call or replace, with the parameters they pass (None: not a function).
INTERNALS: dict[str, tuple[str, ...] | None] = {
    "weasyprint.pdf.tags:_build_box_tree": (
        "box", "parent", "pdf", "page_number", "nums", "annotations", "tags",
    ),
    "weasyprint.svg.text:text": ("svg", "node", "font_size"),
    "weasyprint.svg:TAGS": None,
    "weasyprint.text.line_break:split_first_line": (
        "text", "style", "context", "max_width", "justification_spacing", "is_line_start",
        "minimum",
    ),
    "weasyprint.draw.text:draw_first_line": (
        "stream", "textbox", "text_overflow", "block_ellipsis", "matrix",
    ),
    "weasyprint.draw.text:draw_emojis": ("stream", "style", "x", "y", "emojis"),
    "weasyprint.svg.bounding_box:extend_bounding_box": ("bounding_box", "points"),
    "weasyprint.svg.utils:size": ("string", "font_size", "percentage_reference"),
    "weasyprint.svg.text:TextBox": ("pango_layout", "style"),
    "weasyprint.svg.text:Style": None,
    "weasyprint.matrix:Matrix": None,
    "weasyprint.css.properties:INITIAL_VALUES": None,
}  # fmt: skip

_WRAPPED = "_kzbrief_adapter"
_DOCUMENT_LEVEL = frozenset({"html", "body"})  # their lang is already the catalogue's
_POSITION = ("x", "y")  # one value each; a list places letter by letter
_PER_LETTER = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing")
_RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "RLI", "FSI"})


def weasyprint_version() -> str:
    """The installed WeasyPrint's version, read without importing it (the build process
    never imports WeasyPrint unless it typesets itself)."""
    from importlib import metadata  # lazy: 40 ms, and only a typesetting build asks

    return metadata.version("weasyprint")


@functools.cache
def weasyprint_tested() -> bool:
    """Whether this WeasyPrint is one the patches were tested with; if not, one warning
    (once per process: the answer is kept)."""
    version = weasyprint_version()
    if version in TESTED_WITH:
        return True
    LOGGER.warning(
        "WeasyPrint %s is not a version kzbrief was tested with (%s): PDFs are made "
        "without the language of passages in another language in their structure tree, "
        "and with chart labels drawn a letter at a time",
        version,
        ", ".join(TESTED_WITH),
    )
    return False


def adapt_weasyprint() -> bool:
    """Install both patches in this process (once), if this WeasyPrint was tested."""
    if not weasyprint_tested():
        return False
    _tag_span_languages()
    _draw_whole_strings()
    return True


def _tag_span_languages() -> None:
    import pydyf  # lazy: WeasyPrint's PDF writer, with WeasyPrint

    tags = importlib.import_module("weasyprint.pdf.tags")
    original: Callable[..., Iterator[Any]] = tags._build_box_tree
    if getattr(original, _WRAPPED, False):
        return

    @functools.wraps(original)  # its signature too, which the tests check
    def build(box: Any, parent: Any, *rest: Any) -> Iterator[Any]:
        language = _own_language(box)
        for element in original(box, parent, *rest):
            if language:
                element["Lang"] = pydyf.String(language)
            yield element

    setattr(build, _WRAPPED, True)
    tags._build_box_tree = build


def _own_language(box: Any) -> str | None:
    box = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in _DOCUMENT_LEVEL:
        return None
    language = element.get("lang")
    return language.strip() if isinstance(language, str) and language.strip() else None


def _draw_whole_strings() -> None:
    svg_module = importlib.import_module("weasyprint.svg")
    text_module = importlib.import_module("weasyprint.svg.text")
    original = text_module.text
    if getattr(original, _WRAPPED, False):
        return

    @functools.wraps(original)
    def text(svg: Any, node: Any, font_size: float) -> None:
        if _plain(node):
            _draw_string(svg, node, font_size)
        else:
            original(svg, node, font_size)

    setattr(text, _WRAPPED, True)
    # svg/__init__.py keeps the function in TAGS and compares nodes' entries with its own
    # global "text" (to anchor text): every reference must be the same new function.
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
    # lazy, as all of WeasyPrint: a build served from the cache never imports it
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
    families = node.get("font-family", "sans-serif").split(",")
    style["font_family"] = [font.strip("\"'") for font in families]
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
    y_align = _vertical_alignment(node, height, ascent=font_size * 0.8, descent=font_size * 0.2)
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + y_align
    top = y_position - baseline
    points = ((x_position, top), (x_position + width, top + height))
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
