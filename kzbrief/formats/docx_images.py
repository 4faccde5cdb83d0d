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
from ..language.fonts import font_folders

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


def chart_picture(
    svg_uri: str, faces: str, folders: tuple[Path, ...], data: Path, cache: BuildCache
) -> Picture:
    """The PNG of a ``data:image/svg+xml;base64,…`` chart; ``faces`` are the edition's
    ``@font-face`` rules, which the labels' fonts come from."""
    svg = base64.b64decode(svg_uri.partition(",")[2]).decode("utf-8")
    width, height = svg_size(svg)
    key = entry_key("docx-chart-png", digest(svg), faces, DPI)

    def draw() -> bytes:
        return _rasterise(svg_uri, faces, width, height, (*folders, data, *font_folders()))

    png = cache.memo(key, draw, bytes, _png, "a Word edition's chart")
    return Picture(png, width, height)


def font_faces(html: str) -> str:
    """The ``@font-face`` rules of an edition's HTML, in order."""
    return "\n".join(_FACE.findall(html))


def _png(payload: bytes) -> bytes:
    if not payload.startswith(b"\x89PNG"):
        raise ValueError("not a PNG")
    return payload


def _rasterise(
    svg_uri: str, faces: str, width: float, height: float, roots: tuple[Path, ...]
) -> bytes:
    import pypdfium2 as pdfium  # lazy: only a chart not in the cache needs them
    import weasyprint

    from .fetcher import ConfinedFetcher
    from .weasyprint_adapter import adapt_weasyprint

    adapt_weasyprint()  # labels drawn a string at a time, as in the PDF
    page = (
        f"<style>{faces}\n@page {{ size: {width}pt {height}pt; margin: 0 }}"
        f" html, body {{ margin: 0 }} img {{ display: block; width: {width}pt;"
        f" height: {height}pt }}</style><img src='{svg_uri}' alt=''>"
    )
    base = roots[0].as_uri() + "/"
    pdf = weasyprint.HTML(string=page, base_url=base, url_fetcher=ConfinedFetcher(roots))
    document = pdfium.PdfDocument(pdf.write_pdf())
    try:
        bitmap = document[0].render(scale=DPI / 72, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")  # no alpha: smaller, and Word prints it white
    finally:
        document.close()
    buffer = io.BytesIO()
    # not optimize=True: its trial compressions took 0.25 s of the 0.55 s four charts cost,
    # for files 2 % smaller
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()
