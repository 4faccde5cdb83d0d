"""The web edition's charts and tables, made to read on a screen of any width.

Each chart reaches the page as an ``<img>`` of an SVG (what WeasyPrint typesets for the
PDF). An SVG shown through ``<img>`` cannot use the page's fonts, so a browser drew its
labels in a fallback face; here the SVG is put into the page itself, where its text is set
in the page's @font-face subsets, the briefing's own faces. matplotlib names the parts of
every chart alike (``patch_1``, ``text_3``, clip paths by a hash of their shape), so each
chart's ids get its figure's id in front: ids stay unique on a page of several charts.

A chart keeps a minimum width at which its smallest label is 11 CSS px, and scrolls
sideways in its box on a narrower screen: scaled down to a phone's 350 px, its 7.5-unit
labels would be 5.8 px, too small to read, and a narrow-screen variant would need the
charts drawn again for another width. The box, as each table's, can take the keyboard's
focus, so that it can be scrolled without a pointer, and is named by its caption.
"""

from __future__ import annotations

import base64
import math
import re

MIN_LABEL_PX = 11.0  # the smallest chart label on the web page, in CSS px

_FIGURE = re.compile(
    r'<figure class="chart" id="(?P<id>[^"]+)">(?P<space>\s*)'
    r'<img src="data:image/svg\+xml;base64,(?P<data>[A-Za-z0-9+/=]+)" alt="(?P<alt>[^"]*)">'
    r"(?P<between>\s*)<figcaption>"
)
_TABLE = re.compile(
    r'<div class="table-block">(?P<space>\s*)'
    r'(?P<table><table class="data[^"]*" id="(?P<id>[^"]+)">)(?P<between>\s*)<caption>'
)
_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?")
_ROOT = re.compile(r"<svg\b(?P<attributes>[^>]*)>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_VIEW_BOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ (?P<width>[\d.]+) [\d.]+"')
# The places an SVG names an element by its id: its own id, url(#id) and (xlink:)href="#id".
_ID_USE = re.compile(r'(?P<before>\bid="|url\(#|\bhref="#)(?P<id>[^")]+)')
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
_RULE = re.compile(r"(?P<selectors>[^{}]+)\{")
_FONT_SIZE = re.compile(r"font-size:\s*(?P<size>[\d.]+)px")


def inline_charts(html: str) -> str:
    """Every chart of ``html`` as SVG inside the page, in a box that scrolls sideways."""

    def inline(match: re.Match[str]) -> str:
        figure = match.group("id")
        svg = base64.b64decode(match.group("data")).decode("utf-8")
        caption = f"{figure}-caption"
        return (
            f'<figure class="chart" id="{figure}">{match.group("space")}'
            f'<div class="chart-scroll" tabindex="0" role="group" aria-labelledby="{caption}">'
            f"{inline_svg(svg, f'{figure}-', match.group('alt'))}</div>"
            f'{match.group("between")}<figcaption id="{caption}">'
        )

    return _FIGURE.sub(inline, html)


def scrolling_tables(html: str) -> str:
    """Each table's box focusable and named by the table's caption, so that a keyboard can
    scroll a table wider than the screen (axe-core: scrollable-region-focusable)."""

    def focusable(match: re.Match[str]) -> str:
        caption = f"{match.group('id')}-caption"
        return (
            f'<div class="table-block" tabindex="0" role="group" aria-labelledby="{caption}">'
            f"{match.group('space')}{match.group('table')}"
            f'{match.group("between")}<caption id="{caption}">'
        )

    return _TABLE.sub(focusable, html)


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """The SVG document ``svg`` as an element of an HTML page: no XML prologue, every id
    starting with ``prefix``, its style rules kept to itself, sized by the page's CSS (at
    least as wide as keeps its labels readable), an image named ``label`` (HTML-escaped)."""
    svg = _PROLOGUE.sub("", svg)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))

    def renamed(match: re.Match[str]) -> str:
        name = match.group("id")
        return match.group("before") + (prefix + name if name in ids else name)

    svg = _ID_USE.sub(renamed, svg)
    root = f"{prefix}svg"
    # matplotlib's one rule (*{stroke-linejoin: round; ...}) would otherwise style the page.
    svg = _STYLE.sub(lambda m: m.group(1) + _scoped(m.group(2), root) + m.group(3), svg)
    found = _ROOT.search(svg)
    if found is None:
        return svg
    attributes = _SIZE.sub("", found.group("attributes"))
    width = _minimum_width(svg, attributes)
    style = f' style="min-width: {width}px"' if width else ""
    opening = (
        f'<svg id="{root}" class="chart-svg" role="img" aria-label="{label}"{style}{attributes}>'
    )
    return svg[: found.start()] + opening + svg[found.end() :]


def _scoped(css: str, root: str) -> str:
    def scope(match: re.Match[str]) -> str:
        selectors = [s.strip() for s in match.group("selectors").split(",")]
        return ", ".join(f"#{root} {s}" for s in selectors) + "{"

    return _RULE.sub(scope, css)


def _minimum_width(svg: str, attributes: str) -> int | None:
    """The CSS width at which the smallest label is MIN_LABEL_PX high; None when the SVG
    has no sized text (or no viewBox to scale it by)."""
    view_box = _VIEW_BOX.search(attributes)
    sizes = [float(m.group("size")) for m in _FONT_SIZE.finditer(svg)]
    if view_box is None or not sizes or min(sizes) <= 0:
        return None
    return math.ceil(float(view_box.group("width")) * MIN_LABEL_PX / min(sizes))
