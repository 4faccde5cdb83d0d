"""The Word format (build --format docx): each edition as a .docx made from its HTML, in
Word's own structures (docx_build.py), styled by a replaceable reference document
(docx_package.py), its charts as PNG (docx_images.py). Reproducible: same inputs, same
bytes; kept in the build cache like the PDFs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..cache import entry_key
from ..language.current import use_language
from ..language.fonts import font_folders
from ..language.words import phrase
from ..render.editions import Rendered
from .docx_images import Pictures, font_faces
from .format import Output, WriterSettings

if TYPE_CHECKING:
    from docx.document import Document

    from .docx_images import Picture


@contextmanager
def make_writer(settings: WriterSettings) -> Iterator[DocxWriter]:
    yield DocxWriter(settings)


class DocxWriter:
    def __init__(self, settings: WriterSettings) -> None:
        self.settings = settings
        self.waiting: list[Rendered] = []
        self.outputs: dict[int, Output] = {}
        self.pictures = Pictures(settings.cache)  # shared by the build's editions

    def add(self, rendered: Rendered) -> None:
        self.waiting.append(rendered)

    def flush(self) -> None:
        """The documents handed over so far (made here, while the PDF workers typeset)."""
        for rendered in self.waiting:
            self.outputs[rendered.number] = self._output(rendered)
        self.waiting = []

    def finish(self) -> dict[int, Output]:
        return self.outputs

    def _output(self, rendered: Rendered) -> Output:
        from .docx_package import reference_path

        reference = reference_path(rendered.folders).read_bytes()
        audience = rendered.edition.audience
        key = entry_key(
            "docx", rendered.html, hashlib.sha256(reference).hexdigest(), rendered.edition_id,
            rendered.issued.isoformat(), audience.paper, audience.distribution,
        )  # fmt: skip

        def make() -> bytes:
            with use_language(rendered.language):  # captions' words and digits
                return word_document(rendered, reference, self.settings, self.pictures)

        content = self.settings.cache.memo(
            key, make, bytes, _docx, f"the {rendered.edition.key} edition"
        )
        # No cpu: build --timings divides it by the pages, and a Word file has none.
        return Output(content, None, ())


def word_document(
    rendered: Rendered, reference: bytes, settings: WriterSettings, pictures: Pictures
) -> bytes:
    """The edition as .docx bytes; call it in the edition's language."""
    import io

    import docx

    from . import docx_package as package
    from .docx_build import Walk, collect_sources, parse
    from .docx_inline import Footnotes

    rtl = rendered.language.direction == "rtl"
    document = docx.Document(io.BytesIO(reference))
    package.clear_body(document)
    audience = rendered.edition.audience
    package.set_page(document, audience.paper, rtl)
    package.set_language_and_fonts(document, rendered.language.code, rtl)
    from .html import _number_references, web_options

    # "Figure 2", "Table 1", section "7" written out as the web edition writes them (the
    # PDF's stylesheet counts them; Word has no such counters). Page references stay
    # empty links, made PAGEREF fields below.
    labels = web_options(rendered.folders, settings.data).labels
    root = parse(_number_references(rendered.html, labels))
    title = " ".join((root.findtext(".//title") or "").split())
    running = " ".join((root.findtext(".//p[@class='running-title']") or "").split())
    _header_and_footer(document, running, audience.distribution, rtl)
    faces = font_faces(rendered.html)
    charts = [u for u in root.xpath("//figure//img/@src") if u.startswith("data:image/svg")]
    pictures.prepare(charts, faces, (*rendered.folders, settings.data, *font_folders()))

    def picture(uri: str) -> Picture:
        return pictures.get(uri, faces)

    notes = Footnotes(document, rtl)
    walk = Walk(document, notes, rtl, picture, collect_sources(root))
    body = root.find("body")
    walk.blocks(body if body is not None else root)
    notes.finish()
    subject = " ".join((root.xpath("string(.//meta[@name='description']/@content)")).split())
    package.set_properties(document, rendered, title, subject)
    return package.save_reproducibly(document, rendered.issued)


def _header_and_footer(document: Document, title: str, marking: str, rtl: bool) -> None:
    """The running title in the header; the handling marking and "Page N of M" in the
    footer, as on the PDF's pages."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    from .docx_inline import add_field, add_text

    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    add_text(header, title, rtl=rtl)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    stops = footer.paragraph_format.tab_stops
    for stop in document.styles["Footer"].paragraph_format.tab_stops:  # the style's centre
        stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)  # tab would take the count
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    add_text(footer, marking.upper() + "\t", bold=True, rtl=rtl)
    # "Page {page} of {pages}" in the edition's language, each number a field
    words = phrase("page_of_pages", page="\0PAGE\0", pages="\0NUMPAGES\0")
    for index, part in enumerate(words.split("\0")):
        if index % 2:
            add_field(footer, f"{part} \\* MERGEFORMAT", "1", rtl)
        else:
            add_text(footer, part, rtl=rtl)
    if rtl:
        from .docx_package import child

        for paragraph in (header, footer):
            child(paragraph._p.get_or_add_pPr(), "w:bidi")


def _docx(payload: bytes) -> bytes:
    if not payload.startswith(b"PK\x03\x04"):
        raise ValueError("not a .docx")
    return payload
