"""Whose copy is this PDF? The ids and the foot line ``stamp_copy`` left, read page by page.

A copy carries its id in three places (stamp.py): the trailer /ID, the XMP DocumentID and
each page's /PieceInfo. The page ids say where each page came from, so a PDF put together
from pages of several copies names every one of them. A copy whose hidden ids were
stripped still shows its foot line, "Copy 3 · Edition 2026-11-27 · Issued to …": that is
read from the page text (PDFium) and looked up by edition and number.

Only ids from kzbrief's own places (XMP ``uuid:``, page marks) or confirmed by the register
are ever shown: in any other PDF the trailer /ID is random bytes, not a copy id.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..errors import Location, UnreadableError
from .register import CopyRecord, Register
from .stamp import COPY_ID, PIECE
from .trace_report import BY_DOCUMENT_ID, BY_PAGE_MARKS, BY_SHA256, BY_XMP, Finding, Trace

# What a stripped copy lacks: a place that is missing or malformed is skipped.
_MISSING = (KeyError, AttributeError, ValueError, TypeError, IndexError, pikepdf.PdfError)
# The foot line's edition id, and the copy number nearest before it on the same line: the
# words around them are translated (ru, kk, fa), the two figures are not.
_FOOT_LINE = re.compile(r"(?<!\d)(\d{1,6})[^\d\n]{1,40}?(\d{4}-\d{2}-\d{2}(?:\.\d+)?)(?![\d-])")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"), "-")

# Why there are no Word copies (docs/guides/formats.md): anyone can edit a .docx, and its copy
# marks (a footer, a custom property) go with one keystroke; a leaked Word file could never
# be traced with the confidence a PDF copy's invisible id gives.
WORD_NOT_A_COPY = (
    "a Word document is never a numbered copy: kzbrief issues copies as PDF only, since a "
    ".docx and its marks are trivially edited (trace the PDF copy the recipient was sent)"
)


def read_pdf(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder or a file that is no PDF is an
    UnreadableError naming the file and nothing of Python's."""
    if path.is_dir():
        raise UnreadableError("a folder, not a PDF", Location(path))
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableError("no such file", Location(path)) from None
    except OSError as exc:
        raise UnreadableError(f"cannot be read ({exc.strerror})", Location(path)) from None
    if b"%PDF-" not in content[:1024]:  # where qpdf and PDFium look for the header
        if content.startswith(b"PK") and path.suffix.lower() == ".docx":
            raise UnreadableError(WORD_NOT_A_COPY, Location(path))
        raise UnreadableError("not a PDF (it does not begin with %PDF-)", Location(path))
    return content


@contextlib.contextmanager
def _opened(content: bytes, where: Path) -> Iterator[pikepdf.Pdf]:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            len(pdf.pages)  # a damaged page tree fails here, not halfway through the pages
            yield pdf
    except pikepdf.PasswordError:
        raise UnreadableError(
            "an encrypted PDF: it cannot be read without its password", Location(where)
        ) from None
    except pikepdf.PdfError:
        # qpdf's message names the BytesIO object, not the file: say what it means instead.
        raise UnreadableError(
            "not a readable PDF (damaged or cut short)", Location(where)
        ) from None


def page_copy_ids(pdf: pikepdf.Pdf) -> list[str | None]:
    """The copy id in each page's marks (/PieceInfo /kzbrief), or None."""
    found: list[str | None] = []
    for page in pdf.pages:
        copy_id = None
        with contextlib.suppress(*_MISSING):
            copy_id = str(uuid.UUID(str(page.obj.PieceInfo[PIECE].Private[COPY_ID])))
        found.append(copy_id)
    return found


def xmp_copy_id(pdf: pikepdf.Pdf) -> str | None:
    """The copy id in the XMP DocumentID, if it is one kzbrief wrote (``uuid:``)."""
    with contextlib.suppress(*_MISSING):
        document_id = str(pdf.open_metadata().get("xmpMM:DocumentID", ""))
        if document_id.startswith("uuid:"):
            return str(uuid.UUID(document_id.removeprefix("uuid:")))
    return None


def trailer_id(pdf: pikepdf.Pdf) -> str | None:
    """The first trailer /ID element read as a UUID: a copy id only if the register says so."""
    with contextlib.suppress(*_MISSING):
        first = bytes(pdf.trailer.ID[0]) if "/ID" in pdf.trailer else b""
        if len(first) == 16:
            return str(uuid.UUID(bytes=first))
    return None


def read_foot_line(text: str) -> tuple[str, int] | None:
    """(edition id, copy number) from a page's text, or None: the last foot line on the page
    (the marking is drawn over the page, so it comes last), in any script's digits."""
    text = re.sub(r"\d", lambda digit: str(unicodedata.decimal(digit[0])), text)
    matches = list(_FOOT_LINE.finditer(text.translate(_DASHES)))
    return (matches[-1][2], int(matches[-1][1])) if matches else None


def page_texts(content: bytes, indices: list[int], where: Path) -> dict[int, str]:
    """The text of the pages at ``indices`` (0-based), as PDFium extracts it."""
    import pypdfium2  # lazy: PDFium, needed only when the hidden ids are gone

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        raise UnreadableError(
            "not a readable PDF (damaged or cut short)", Location(where)
        ) from None
    try:
        texts = {}
        for index in indices:
            page = document[index]
            textpage = page.get_textpage()
            texts[index] = textpage.get_text_bounded().replace("\r\n", "\n")
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


@dataclass(frozen=True)
class Source:
    """Where a page came from: ``key`` is the same for every page of one copy."""

    key: str
    label: str
    record: CopyRecord | None
    how: str


def _source(label: str, record: CopyRecord | None, how: str) -> Source:
    return Source(record.copy_id if record else label, label, record, how)


def trace_pdf(content: bytes, where: Path, register: Register) -> Trace:
    """Which copies the PDF's pages come from, as far as the register and the file tell."""
    same = register.by_sha256(hashlib.sha256(content).hexdigest())
    with _opened(content, where) as pdf:
        count = len(pdf.pages)
        if same is not None:
            return Trace(count, [_finding(register, same, range(count), BY_SHA256)])
        by_page = page_copy_ids(pdf)
        document = _document_copy(register, xmp_copy_id(pdf), trailer_id(pdf))
    sources: dict[int, Source] = {}
    for index, copy_id in enumerate(by_page):
        if copy_id is not None:
            sources[index] = _source(
                f"copy id {copy_id}", register.by_copy_id(copy_id), BY_PAGE_MARKS
            )
    rest = [index for index in range(count) if index not in sources]
    texts = page_texts(content, rest, where) if rest else {}
    for index in rest:
        line = read_foot_line(texts[index])
        found = register.by_number(*line) if line else None
        if document is not None and (line is None or document.record == found):
            sources[index] = document
        elif line is not None:
            sources[index] = _source(
                f"copy {line[1]} of edition {line[0]}", found, _by_foot_line(*line)
            )
    unmarked = [index + 1 for index in rest if index not in sources]
    blank = tuple(n for n in unmarked if not texts[n - 1].strip())  # images: no text layer
    textful = tuple(n for n in unmarked if n not in blank)
    return Trace(count, _findings(register, sources), textful, blank)


def _document_copy(register: Register, xmp: str | None, trailer: str | None) -> Source | None:
    """The copy the document as a whole names: its XMP or trailer id if the register knows
    it; an XMP id it does not know only if the trailer /ID carries it too, as stamp_copy
    writes them: Acrobat and InDesign write ``uuid:`` DocumentIDs of their own."""
    for copy_id, how in ((xmp, BY_XMP), (trailer, BY_DOCUMENT_ID)):
        found = register.by_copy_id(copy_id) if copy_id else None
        if found is not None:
            return _source(f"copy id {found.copy_id}", found, how)
    return _source(f"copy id {xmp}", None, BY_XMP) if xmp and xmp == trailer else None


def _by_foot_line(edition_id: str, number: int) -> str:
    return (
        f"matched by the visible marking only (copy {number}, edition {edition_id} on the "
        "foot line; the hidden copy ids are gone)"
    )


def _findings(register: Register, sources: dict[int, Source]) -> list[Finding]:
    """One finding per copy, in the order of its first page."""
    pages: dict[str, list[int]] = {}
    for index in sorted(sources):
        pages.setdefault(sources[index].key, []).append(index)
    findings = []
    for indices in pages.values():
        source = sources[indices[0]]
        if source.record is None:
            pages_ = tuple(index + 1 for index in indices)
            findings.append(Finding(pages_, None, source.how, source.label))
        else:
            findings.append(_finding(register, source.record, indices, source.how))
    return findings


def _finding(register: Register, record: CopyRecord, indices: Iterable[int], how: str) -> Finding:
    pages = tuple(index + 1 for index in indices)
    history = tuple(register.history(record.copy_id))
    return Finding(pages, record, how, f"copy id {record.copy_id}", history)
