"""Stamp a recipient's copy onto an already-typeset edition PDF: no typesetting again.

Each copy gets a visible line at the foot of every page (in a band print.css keeps free),
an optional diagonal watermark word, and an invisible copy id in three places, so ``trace``
still finds it when one is stripped: the first element of the trailer /ID, the XMP
``xmpMM:DocumentID``, and a page-piece dictionary on every page. The marking is a Form
XObject drawn as a pagination artifact, so screen readers skip it and the structure tree
stays as it was.

The marking is in the copy's language and direction, set in the packaged faces only (a
character none has prints as U+FFFD; the recipients check warns of it): one line of 7 pt,
or two smaller lines when it is long (language/marking_fit.py). The markings of many copies
are laid out together in one WeasyPrint run, and each is then written as a PDF of its own,
so a copy's font subsets hold its own marking's glyphs and no other recipient's.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import pikepdf
from markupsafe import escape

from ..data.glyphs import missing_characters
from ..formats.pdf import fixed_clock
from ..language.fonts import font_faces, font_folders
from ..language.marking_fit import (
    FILL,
    LETTER_SPACING_EM,
    MAX_SIZE_PT,
    MIN_SIZE_PT,
    REPLACEMENT,
    advances_em,
    line_room_pt,
    marking_families,
    width_em,
)
from ..language.scripts import text_direction

PIECE = "/kzbrief"  # our key in each page's /PieceInfo
COPY_ID = "/CopyId"  # read back by trace.py
_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q /%s Do Q EMC\n"
_OPENERS, _POP = "\u2066\u2067\u2068", "\u2069"  # LRI, RLI, FSI; PDI
_WATERMARK_PT = 64.0
_WATERMARK_DEGREES = 38  # its rise, anticlockwise
_WATERMARK_SPACING_EM = 0.12


@dataclass(frozen=True)
class Marking:
    copy_id: str  # a UUID, random per copy
    line: str  # "Copy 7 · Edition 2026-11-27 · Issued to … · 27 November 2026"
    issued: dt.datetime
    watermark: str | None = None
    language: str = "en"  # the copy's edition language: the line's direction and faces


def marking_pdfs(markings: Sequence[Marking], width_pt: float, height_pt: float) -> list[bytes]:
    """For each marking a one-page PDF as large as the edition's pages, with only the
    marking on it, and in its fonts only the marking's glyphs."""
    import weasyprint  # lazy: seconds to import; only issuing copies needs it here

    from ..formats.fetcher import ConfinedFetcher  # lazy: it imports weasyprint

    faces = "".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'font-style: {f.style}; src: url("{f.url}"); }}'
        for f in font_faces()
        if f.style == "normal"
    )
    sheets = "".join(_sheet(marking, width_pt, height_pt) for marking in markings)
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{faces}
@page {{ size: {width_pt}pt {height_pt}pt; margin: 0; }}
body {{ margin: 0; }}
.sheet {{ position: relative; width: {width_pt}pt; height: {height_pt}pt; overflow: hidden;
  page-break-after: always; font-family: {_families("en")}; }}
.sheet:lang(fa) {{ font-family: {_families("fa")}; }}
.copy-line {{ position: absolute; left: 15mm; right: 15mm; bottom: 4.5mm; text-align: center;
  font-weight: 600; color: #5b6470; white-space: nowrap; line-height: 1.2;
  letter-spacing: {LETTER_SPACING_EM}em; }}
.copy-line.two {{ bottom: 2.5mm; }}
.watermark {{ position: absolute; left: -50%; right: -50%; top: 46%; text-align: center;
  font-weight: 700; letter-spacing: {_WATERMARK_SPACING_EM}em; color: #8a1c1c; opacity: 0.11;
  transform: rotate(-{_WATERMARK_DEGREES}deg); white-space: nowrap; }}
</style></head><body>{sheets}</body></html>"""
    fetcher = ConfinedFetcher(font_folders())
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    written = []
    for marking, page in zip(markings, document.pages, strict=True):
        # Each page written alone (a document's fonts are subset from all its pages), at
        # its own time of issue: a copy's bytes depend on nothing else in the batch.
        with fixed_clock(marking.issued):
            written.append(document.copy([page]).write_pdf())
    return written


def _families(language: str) -> str:
    return ", ".join(f'"{family}"' for family in marking_families(language))


def _sheet(marking: Marking, width_pt: float, height_pt: float) -> str:
    language = marking.language
    where = f'lang="{escape(language)}" dir="{text_direction(language)}"'
    watermark = ""
    if marking.watermark:
        text = _printable(marking.watermark)
        # As large as 64 pt, or as fits in 85 % of the slanted line across the page's centre.
        wide = width_em(text, language) + _WATERMARK_SPACING_EM * len(text)
        angle = math.radians(_WATERMARK_DEGREES)
        across = min(width_pt / math.cos(angle), height_pt / math.sin(angle))
        size = min(_WATERMARK_PT, 0.85 * across / max(wide, 1.0))
        watermark = f'<div class="watermark" style="font-size: {size:.2f}pt">{escape(text)}</div>'
    size, lines = fit_line(_printable(marking.line), language, line_room_pt(width_pt))
    kind = "copy-line two" if len(lines) > 1 else "copy-line"
    shown = "".join(f"<div>{escape(line)}</div>" for line in lines)
    line = f'<div class="{kind}" style="font-size: {size:.2f}pt">{shown}</div>'
    return f'<div class="sheet" {where}>{watermark}{line}</div>'


def _printable(text: str) -> str:
    """``text`` with each character no packaged face has as U+FFFD: no system font is used."""
    for character in missing_characters(text):
        text = text.replace(character, REPLACEMENT)
    return text


def fit_line(text: str, language: str, room_pt: float) -> tuple[float, list[str]]:
    """The foot line's size and its one or two lines, for ``room_pt`` of width.

    One line of 7 pt if it fits; else two, broken at the space that balances them best
    (or, when no space gives lines that fit at 5 pt, at the middle character), as large as
    the longer of the two allows. The recipients check keeps every line within two of 5 pt.
    """
    widths = advances_em(text, language)
    room = FILL * room_pt
    if sum(widths) * MAX_SIZE_PT <= room:
        return MAX_SIZE_PT, [text]
    before = [0.0, *accumulate(widths)]
    total = before[-1]

    def longer(i: int, skip: int) -> float:
        return max(before[i], total - before[i + skip])

    spaces = [i for i, c in enumerate(text) if c == " "]
    at = min(spaces, key=lambda i: longer(i, 1), default=None)
    if at is not None and longer(at, 1) * MIN_SIZE_PT <= room:
        first, second = text[:at], text[at + 1 :]
    else:
        places = [i for i in range(1, len(text)) if _may_break_before(text, i)]
        at = min(places, key=lambda i: longer(i, 0), default=len(text) // 2)
        first, second = text[:at], text[at:]
    size = min(MAX_SIZE_PT, room / max(width_em(first, language), width_em(second, language)))
    first, second = _close_isolates(first, second)
    return max(size, MIN_SIZE_PT), [first, second]


def _may_break_before(text: str, index: int) -> bool:
    """Not inside a character's cluster (before a mark or a joiner, after a joiner)."""
    after, before = text[index], text[index - 1]
    return unicodedata.category(after)[0] not in "MC" and unicodedata.category(before) != "Cf"


def _close_isolates(first: str, second: str) -> tuple[str, str]:
    """A name broken across the two lines stays isolated on each: close the isolates open at
    the end of the first line, open them again at the start of the second."""
    open_ = []
    for character in first:
        if character in _OPENERS:
            open_.append(character)
        elif character == _POP and open_:
            open_.pop()
    return first + _POP * len(open_), "".join(open_) + second


def stamp_copy(edition: bytes, marks: bytes, marking: Marking) -> bytes:
    """The edition with the one-page PDF ``marks`` drawn over every page, and the copy id."""
    with pikepdf.open(io.BytesIO(edition)) as pdf, pikepdf.open(io.BytesIO(marks)) as sheet:
        form = pdf.copy_foreign(sheet.pages[0].as_form_xobject())
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
