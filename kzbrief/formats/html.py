"""HTML -> the web edition: one self-contained page that needs no other file.

Every resource the page refers to (the fonts, a logo) is inlined as a ``data:`` URL, fonts
cut down to the characters the page uses, under the same rule as the PDF (resources.py):
files below the allowed folders only, never the network. The charts become SVG elements
of the page (web_charts.py).
Cross-references that the PDF numbers with CSS ``target-counter()`` (which browsers
do not support) are written out: "Figure 2", "Table 1", section "6".
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import escape

from ..cache import BuildCache, digest, entry_key
from ..language.current import active
from ..language.fonts import font_folders
from ..language.words import MESSAGES
from .resources import allowed, local_file
from .web_charts import inline_charts, scrolling_tables

_FONTS = (".ttf", ".otf", ".woff", ".woff2")
# Fonts keep at least Latin-1 and common punctuation, beyond the page's own characters: every
# English page then needs the same subsets, made once and served from the cache after that.
_BASE_CHARACTERS = frozenset(
    [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100))]
    + list("\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2212")
)
# A src/href attribute or a CSS url(): the places a page names another resource.
_REFERENCE = re.compile(
    r"""(?P<attr>\b(?:src|href)=")(?P<a>[^"]*)"|url\((?P<q>["']?)(?P<u>[^"')]*)(?P=q)\)"""
)
_NUMBERED = {  # xref class -> how the numbered element's id appears, in document order
    "xref-figure": re.compile(r'<figure class="chart" id="([^"]+)"'),
    "xref-table": re.compile(r'<table class="data[^"]*" id="([^"]+)"'),
    "xref-section": re.compile(r'class="section-title" id="([^"]+)"'),
}
_XREF = re.compile(r'<a class="(xref-[a-z]+)" href="#([^"]+)"></a>')


@dataclass(frozen=True)
class WebOptions:
    base_url: Path  # relative references resolve against this folder, as in the PDF
    allowed_roots: tuple[Path, ...]
    labels: Mapping[str, str]  # xref class -> its label with {number} ("Figure {number}")


def web_options(folders: tuple[Path, ...], data_dir: Path) -> WebOptions:
    """As the PDF: the template folders (the first is the base URL), data and fonts."""
    words = {"xref-figure": "figure_reference", "xref-table": "table_reference"}
    labels = {kind: active().gettext(MESSAGES[key]) for kind, key in words.items()}
    return WebOptions(folders[0], (*folders, data_dir, *font_folders()), labels)


@dataclass(frozen=True)
class WebPage:
    html: bytes
    warnings: tuple[str, ...]


def web_page(html: str, options: WebOptions, cache: BuildCache) -> WebPage:
    """The self-contained web edition of ``html``; call it in the edition's language."""
    warnings: list[str] = []
    # The charts first: their labels, now text of the page, are set in its fonts, whose
    # subsets must then hold the labels' characters too.
    html = scrolling_tables(inline_charts(html))
    characters = "".join(sorted(_BASE_CHARACTERS | set(html)))

    def inline(match: re.Match[str]) -> str:
        url = match.group("a") if match.group("attr") else match.group("u")
        data = _inline_url(url, options, characters, cache, warnings)
        return f'{match.group("attr")}{data}"' if match.group("attr") else f'url("{data}")'

    page = _number_references(_REFERENCE.sub(inline, html), options.labels)
    return WebPage(page.encode("utf-8"), tuple(warnings))


def inline_stylesheet(
    css: str, text: str, options: WebOptions, cache: BuildCache
) -> tuple[str, tuple[str, ...]]:
    """``css`` with every ``url()`` inlined as for a web edition, fonts cut down to the
    characters of ``text``: for pages whose links must stay links (the public site)."""
    warnings: list[str] = []
    characters = "".join(sorted(_BASE_CHARACTERS | set(text)))

    def inline(match: re.Match[str]) -> str:
        if match.group("attr"):
            return match.group(0)
        return f'url("{_inline_url(match.group("u"), options, characters, cache, warnings)}")'

    return _REFERENCE.sub(inline, css), tuple(warnings)


def _inline_url(
    url: str, options: WebOptions, characters: str, cache: BuildCache, warnings: list[str]
) -> str:
    if url.startswith("#") or (url.startswith("data:") and allowed(url, ())):
        return url
    absolute = urljoin(options.base_url.as_uri() + "/", url)
    path = local_file(absolute, options.allowed_roots)
    if path is None or not path.is_file():
        warnings.append(f"kzbrief blocked a resource outside the project: {url[:200]}")
        return "data:,"  # the page stays self-contained: a missing picture, not a fetch
    if path.suffix.lower() in _FONTS:
        kind, content = "font/woff2", _cached_subset(path, characters, cache)
    else:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        content = path.read_bytes()
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def _cached_subset(path: Path, characters: str, cache: BuildCache) -> bytes:
    key = entry_key("font", digest(path.read_bytes()), characters)
    what = f"the web font {path.name}"
    return cache.memo(key, lambda: _font_subset(path, characters), bytes, bytes, what)


@lru_cache(maxsize=64)
def _font_subset(path: Path, characters: str) -> bytes:
    """The font as WOFF2 with only the glyphs ``characters`` need: a tenth of its size.

    HarfBuzz cuts the font (uharfbuzz): fontTools' subsetter first decodes the whole font's
    layout tables, about 0.5 s a face for Source Serif, and a Persian web page needs
    thirteen faces; HarfBuzz takes 0.04-0.17 s. fontTools then only compresses the small
    result to WOFF2."""
    import uharfbuzz as hb  # lazy: needed only for web pages
    from fontTools.ttLib import TTFont

    plan = hb.SubsetInput()
    plan.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in characters)
    names = plan.sets(hb.SubsetInputSets.NAME_ID)  # by default 0-6 only
    names.clear()
    names.invert()  # every name stays: the licence notice (13, 14) with the family's names
    # The default layout features stay (kerning, ligatures, marks), as does .notdef's box.
    plan.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    cut = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), plan)
    if cut is None:
        raise ValueError(f"HarfBuzz could not subset {path.name}")
    # recalcTimestamp off: the subset keeps the font's own date, so the page is reproducible.
    font = TTFont(io.BytesIO(cut.blob.data), recalcTimestamp=False)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _number_references(html: str, labels: Mapping[str, str]) -> str:
    """Write out each empty cross-reference link as its label with the number in it
    ("Table 1", Kazakh "1-кесте", Russian "табл. 1")."""
    numbers = {
        kind: {target: n for n, target in enumerate(pattern.findall(html), 1)}
        for kind, pattern in _NUMBERED.items()
    }

    def written(match: re.Match[str]) -> str:
        kind, target = match.groups()
        number = numbers.get(kind, {}).get(target)
        if number is None:
            return match.group(0)  # a page number (xref-page) has no meaning on the web
        digits = active().digits(str(number))
        label = escape(labels[kind]).format(number=digits) if kind in labels else digits
        return f'<a class="{kind}" href="#{target}">{label}</a>'

    return _XREF.sub(written, html)
