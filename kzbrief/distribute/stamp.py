"""Stamp a recipient's copy onto an already-typeset edition PDF: no typesetting again.

Each copy gets a visible line at the foot of every page (in the briefing's own Source
Sans, in a band print.css keeps free), an optional diagonal watermark word, and an
invisible copy id in three places, so ``trace`` still finds it when one is stripped:
the first element of the trailer /ID, the XMP ``xmpMM:DocumentID``, and a page-piece
dictionary on every page. The marking is a Form XObject drawn as a pagination artifact,
so screen readers skip it and the structure tree stays as it was.

The markings of many copies are typeset together, one page each, in one WeasyPrint
run: that run costs about what one copy's pikepdf work does, not once per copy.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from markupsafe import escape

from ..formats.pdf import fixed_clock
from ..language.fonts import font_faces, font_folders

PIECE = "/kzbrief"  # our key in each page's /PieceInfo
COPY_ID = "/CopyId"  # read back by trace.py
_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q /%s Do Q EMC\n"
_LINE_LIMIT = 150  # characters that fit the foot at 7 pt on the narrowest paper


@dataclass(frozen=True)
class Marking:
    copy_id: str  # a UUID, random per copy
    line: str  # "Copy 7 · Issued to … · 27 November 2026"
    issued: dt.datetime
    watermark: str | None = None


def marking_pdf(markings: Sequence[Marking], width_pt: float, height_pt: float) -> bytes:
    """One page per marking, as large as the edition's pages, with only the marking on it."""
    import weasyprint  # lazy: seconds to import; only issuing copies needs it here

    from ..formats.fetcher import ConfinedFetcher  # lazy: it imports weasyprint

    faces = "".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'font-style: {f.style}; src: url("{f.url}"); }}'
        for f in font_faces()
        if f.family == "Source Sans 3" and f.style == "normal"
    )
    sheets = "".join(_sheet(marking) for marking in markings)
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{faces}
@page {{ size: {width_pt}pt {height_pt}pt; margin: 0; }}
body {{ margin: 0; font-family: "Source Sans 3"; }}
.sheet {{ position: relative; width: {width_pt}pt; height: {height_pt}pt; overflow: hidden;
  page-break-after: always; }}
.copy-line {{ position: absolute; left: 15mm; right: 15mm; bottom: 4.5mm; text-align: center;
  font-weight: 600; color: #5b6470; white-space: nowrap; letter-spacing: 0.02em; }}
.watermark {{ position: absolute; left: -50%; right: -50%; top: 46%; text-align: center;
  font: 700 64pt "Source Sans 3"; letter-spacing: 0.12em; color: #8a1c1c; opacity: 0.11;
  transform: rotate(-38deg); white-space: nowrap; }}
</style></head><body>{sheets}</body></html>"""
    with fixed_clock(markings[0].issued):
        document = weasyprint.HTML(string=html, url_fetcher=ConfinedFetcher(font_folders()))
        return document.write_pdf()


def _sheet(marking: Marking) -> str:
    # A long organisation name shrinks the line rather than run it off the page.
    size = max(5.0, min(7.0, 7.0 * _LINE_LIMIT / max(len(marking.line), 1)))
    watermark = (
        f'<div class="watermark">{escape(marking.watermark)}</div>' if marking.watermark else ""
    )
    line = f'<div class="copy-line" style="font-size: {size:.2f}pt">{escape(marking.line)}</div>'
    return f'<div class="sheet">{watermark}{line}</div>'


def stamp_copy(edition: bytes, marks: pikepdf.Pdf, index: int, marking: Marking) -> bytes:
    """The edition with ``marks``' page ``index`` drawn over every page, and the copy id."""
    with pikepdf.open(io.BytesIO(edition)) as pdf:
        form = pdf.copy_foreign(marks.pages[index].as_form_xobject())
        identifier = uuid.UUID(marking.copy_id)
        when = pikepdf.String(_pdf_date(marking.issued))
        for page in pdf.pages:
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/KzbriefCopy"))
            # Wrap the page's own content in q/Q so no state it leaves can move the marking.
            page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
            page.contents_add(
                pikepdf.Stream(pdf, b"Q\n" + _ARTIFACT % str(name).lstrip("/").encode())
            )
            piece = pikepdf.Dictionary(
                LastModified=when, Private=pikepdf.Dictionary(CopyId=str(identifier))
            )
            page.obj.PieceInfo = pikepdf.Dictionary({PIECE: piece})
            page.obj.LastModified = when
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmpMM:DocumentID"] = f"uuid:{identifier}"
            meta["xmpMM:InstanceID"] = f"uuid:{identifier}"
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(identifier.bytes), pdf.trailer.ID[1]])
        buffer = io.BytesIO()
        # deterministic_id: the second /ID element is a hash of the content, so issuing the
        # same copy again gives the same bytes; qpdf keeps the first element, our copy id.
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue()


def _pdf_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
