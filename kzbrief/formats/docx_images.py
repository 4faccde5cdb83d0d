"""Chart SVGs as PNG for the Word edition: Word and LibreOffice show a raster image (Word
reads SVG only with a PNG beside it, and older readers not at all).

WeasyPrint draws the SVG, as it does in the PDF: it has the fonts (the edition's own
``@font-face`` rules), and the Persian labels, which matplotlib writes in display order,
come out exactly as the PDF shows them; pypdfium2 then rasterises that one-page PDF. Both
are dependencies already. Each PNG is kept in the build cache under its SVG's digest, so
an edition pays for a chart only once, whatever its audiences and languages.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..cache import BuildCache, digest, entry_key

DPI = 200  # sharp in print and on screen; a chart is then ~0.1-0.3 MB
_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', re.S)
_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@dataclass(frozen=True)
class Picture:
    png: bytes
    width_pt: float  # the chart's size as drawn: the PDF's size, kept in Word
    height_pt: float


def svg_size(svg: str) -> tuple[float, float]:
    """The SVG's width and height in points (matplotlib writes them in pt)."""
    found = _SIZE.search(svg[:2000])
    if found is None:
        return 453.6, 250.0  # the charts' usual width; a height that reads well
    return float(found[1]), float(found[2])


class Pictures:
    """The PNG of each chart, made once per build whatever the cache setting (audiences of a
    language share their charts), kept in the build cache too, and the ones an edition still
    lacks drawn in one WeasyPrint document, a page each: its fonts are then loaded once."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.made: dict[str, Picture] = {}  # by cache key
        # (uri, faces) -> (cache key, width, height): an SVG is decoded and hashed once
        self.keys: dict[tuple[str, str], tuple[str, float, float]] = {}

    def prepare(self, uris: list[str], faces: str, roots: tuple[Path, ...]) -> None:
        """Make sure every chart of ``uris`` has its PNG; ``faces``: the edition's
        ``@font-face`` rules, which the labels' fonts come from."""
        missing: list[tuple[str, str, float, float]] = []
        for uri in dict.fromkeys(uris):
            key, width, height = self._key(uri, faces)
            if key in self.made or any(key == m[0] for m in missing):
                continue
            found = self.cache.load(key, _png, "a Word edition's chart")
            if found is not None:
                self.made[key] = Picture(found, width, height)
            else:
                missing.append((key, uri, width, height))
        if missing:
            pages = [(uri, width, height) for _, uri, width, height in missing]
            for (key, _, width, height), png in zip(
                missing, _rasterise(pages, faces, roots), strict=True
            ):
                self.cache.store(key, png)
                self.made[key] = Picture(png, width, height)

    def get(self, uri: str, faces: str) -> Picture:
        """A chart's picture, once ``prepare`` has seen it."""
        return self.made[self._key(uri, faces)[0]]

    def _key(self, uri: str, faces: str) -> tuple[str, float, float]:
        """The chart's cache key and size, worked out once (prepare, then get, ask for it)."""
        if (uri, faces) not in self.keys:
            svg = base64.b64decode(uri.partition(",")[2]).decode("utf-8")
            width, height = svg_size(svg)
            key = entry_key("docx-chart-png", digest(svg), faces, DPI)
            self.keys[uri, faces] = key, width, height
        return self.keys[uri, faces]


def font_faces(html: str) -> str:
    """The ``@font-face`` rules of an edition's HTML, in order."""
    return "\n".join(_FACE.findall(html))


def _png(payload: bytes) -> bytes:
    if not payload.startswith(b"\x89PNG"):
        raise ValueError("not a PNG")
    return payload


def _rasterise(
    pages: list[tuple[str, float, float]], faces: str, roots: tuple[Path, ...]
) -> list[bytes]:
    """Each (SVG data URI, width pt, height pt) as a PNG: one WeasyPrint document with a page
    of each chart's size (named pages), rasterised page by page with pypdfium2."""
    import pypdfium2 as pdfium  # lazy: only a chart not in the cache needs them
    import weasyprint

    from .fetcher import ConfinedFetcher
    from .weasyprint_adapter import adapt_weasyprint

    adapt_weasyprint()  # labels drawn a string at a time, as in the PDF
    rules = "".join(
        f"@page c{n} {{ size: {width}pt {height}pt; margin: 0 }}"
        f" .c{n} {{ page: c{n}; width: {width}pt; height: {height}pt }}"
        for n, (_, width, height) in enumerate(pages)
    )
    images = "".join(f"<img class='c{n}' src='{u}' alt=''>" for n, (u, _, _) in enumerate(pages))
    page = (
        f"<style>{faces}\n{rules} html, body {{ margin: 0 }}"
        f" img {{ display: block; break-after: page }}</style>{images}"
    )
    base = roots[0].as_uri() + "/"
    pdf = weasyprint.HTML(string=page, base_url=base, url_fetcher=ConfinedFetcher(roots))
    document = pdfium.PdfDocument(pdf.write_pdf())
    pngs = []
    try:
        if len(document) != len(pages):  # each chart fits its own page exactly
            raise ValueError(f"{len(pages)} charts gave {len(document)} pages")
        for number in range(len(pages)):
            bitmap = document[number].render(scale=DPI / 72, fill_color=(255, 255, 255, 255))
            image = bitmap.to_pil().convert("RGB")  # no alpha: smaller; Word prints it white
            buffer = io.BytesIO()
            # not optimize=True: its trial compressions took 0.25 s of the 0.55 s four charts
            # cost, for files 2 % smaller
            image.save(buffer, format="PNG", dpi=(DPI, DPI))
            pngs.append(buffer.getvalue())
    finally:
        document.close()
    return pngs
