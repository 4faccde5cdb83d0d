"""An edition's HTML -> a Word document: the same text, walked element by element into
Word's own structures: Title, Heading 1-3, lists, real tables with repeating header rows,
pictures with alt text and captions, and each [n] citation as a footnote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK
from docx.shared import Pt
from lxml import html as lxml_html

from ..language.current import active
from .docx_blocks import add_contents, add_figure, add_table
from .docx_images import Picture
from .docx_inline import Footnotes, add_field, add_text, bookmark, bookmark_name, reference_note

if TYPE_CHECKING:
    from collections.abc import Callable

    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from lxml.html import HtmlElement

_SPACE = re.compile(r"\s+")
_HEADINGS = {"h2": 1, "h3": 2, "h4": 3}


@dataclass
class Walk:
    document: Document
    notes: Footnotes
    rtl: bool
    picture: Callable[[str], Picture]  # a chart's data: URI -> its PNG
    sources: dict[str, HtmlElement] = field(default_factory=dict)  # id -> Sources list entry
    cited: set[str] = field(default_factory=set)
    bookmarks: int = 0
    figures: int = 0
    tables: int = 0
    sections: int = 0
    style_ids: dict[str, str] = field(default_factory=dict)  # style name -> its id

    def new_paragraph(self, style: str | None = None) -> Paragraph:
        """A paragraph at the end of the body in the named style. python-docx finds a style
        by name with a walk over every style of the document, on each paragraph; an edition
        asks for a dozen styles hundreds of times, so each name is looked up once."""
        paragraph = self.document.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self.style_ids[style]
        return paragraph

    # blocks --------------------------------------------------------------------------
    def blocks(self, element: HtmlElement) -> None:
        for node in element:
            self.block(node)

    def block(self, node: HtmlElement) -> None:
        tag, kind = node.tag, node.get("class", "")
        if not isinstance(tag, str) or kind.startswith("running-"):
            return  # comments; the running head's carriers (the header and footer say them)
        if tag == "h1":
            self.paragraph(node, "Title")
        elif tag in _HEADINGS:
            self.heading(node, _HEADINGS[tag])
        elif tag == "p":
            style = {"cover-subtitle": "Subtitle", "table-note": "Caption"}.get(kind)
            self.paragraph(node, style)
        elif tag in ("ul", "ol"):
            self.listing(node)
        elif tag == "dl":
            for item in node:
                if item.tag == "dt":
                    self.paragraph(item, None, bold=True).paragraph_format.keep_with_next = True
                elif item.tag == "dd":
                    self.paragraph(item, "List Continue")
        elif tag == "blockquote":
            for inner in node:
                self.paragraph(inner, "Quote")
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            self.figure(node)
        elif tag == "nav":
            self.contents(node)
        else:  # section, div, aside, header, main: their children
            self.blocks(node)
        if tag == "header":  # the cover ends its page, as in the PDF
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def paragraph(
        self, node: HtmlElement, style: str | None, bold: bool = False, prefix: str = ""
    ) -> Paragraph:
        paragraph = self.new_paragraph(style)
        if prefix:
            add_text(paragraph, prefix, bold=bold, rtl=self.rtl)
        self.inline(paragraph, node, bold=bold)
        return paragraph

    def heading(self, node: HtmlElement, level: int) -> None:
        number = ""
        if "section-title" in node.get("class", ""):
            self.sections += 1  # numbered as the PDF numbers them
            number = active().digits(str(self.sections)) + "  "
        if "contents-title" in node.get("class", ""):
            self.paragraph(node, "TOC Heading")
            return
        paragraph = self.paragraph(node, f"Heading {level}", prefix=number)
        if node.get("id"):
            self.bookmarks += 1
            bookmark(paragraph, bookmark_name(node.get("id")), self.bookmarks)

    def listing(self, node: HtmlElement) -> None:
        numbered = node.tag == "ol"
        style = "List Number" if numbered else "List Bullet"
        for index, item in enumerate(node.findall("li"), 1):
            if numbered:  # the number written out, in the edition's digits: Word's own
                number = active().digits(f"{index}.") + "\t"  # list would restart nowhere
                paragraph = self.new_paragraph("List")
                paragraph.paragraph_format.first_line_indent = Pt(-14)
                paragraph.paragraph_format.left_indent = Pt(14)
                add_text(paragraph, number, rtl=self.rtl)
            else:
                paragraph = self.new_paragraph(style)
            if item.get("id"):
                self.bookmarks += 1
                bookmark(paragraph, bookmark_name(item.get("id")), self.bookmarks)
            nested = [c for c in item if c.tag in ("ul", "ol")]
            for inner in nested:
                item.remove(inner)
            self.inline(paragraph, item)
            for inner in nested:
                self.listing(inner)

    def contents(self, node: HtmlElement) -> None:
        add_contents(self, node)

    def table(self, node: HtmlElement) -> None:
        add_table(self, node)

    def figure(self, node: HtmlElement) -> None:
        add_figure(self, node)

    def inline(
        self, paragraph: Paragraph, node: HtmlElement, bold: bool = False, italic: bool = False
    ) -> None:
        add_text(paragraph, _squeeze(node.text), bold=bold, italic=italic, rtl=self.rtl)
        for inner in node:
            if isinstance(inner.tag, str):
                self.inline_element(paragraph, inner, bold, italic)
            add_text(paragraph, _squeeze(inner.tail), bold=bold, italic=italic, rtl=self.rtl)

    def inline_element(
        self, paragraph: Paragraph, node: HtmlElement, bold: bool, italic: bool
    ) -> None:
        kind = node.get("class", "")
        href = node.get("href") or ""
        if node.tag == "a" and "cite" in kind:
            self.cite(paragraph, href[1:])
        elif node.tag == "a" and "xref-page" in kind:
            add_field(paragraph, f"PAGEREF {bookmark_name(href[1:])} \\h", "", self.rtl)
        elif node.tag == "br":
            add_text(paragraph, "\n", rtl=self.rtl)
        elif node.tag in ("ul", "ol"):
            return
        else:
            strong = bold or node.tag in ("strong", "b", "th") or "when" in kind
            emphasis = italic or node.tag in ("em", "i")
            self.inline(paragraph, node, strong, emphasis)
            if "when" in kind:
                add_text(paragraph, " ", rtl=self.rtl)

    def cite(self, paragraph: Paragraph, source_id: str) -> None:
        """A footnote giving the source: in full (as the Sources list has it) the first
        time, its title and kind after that."""
        entry = self.sources.get(source_id)
        if entry is None:
            return
        first = source_id not in self.cited
        self.cited.add(source_id)

        def fill(note: object) -> None:
            title = entry.find(".//span[@class='source-title']")
            kind = entry.find(".//span[@class='source-kind']")
            publisher = entry.find(".//span[@class='source-publisher']")
            if first or title is None:
                self.inline(note, entry)  # type: ignore[arg-type]
                return
            add_text(note, _text(title), rtl=self.rtl)
            if publisher is not None:
                add_text(note, " " + _text(publisher), rtl=self.rtl)
            if kind is not None:
                add_text(note, " " + _text(kind), rtl=self.rtl)

        reference_note(paragraph, self.notes.add(fill), self.rtl)


def collect_sources(root: HtmlElement) -> dict[str, HtmlElement]:
    return {
        li.get("id"): li for li in root.iterfind(".//ol[@class='source-list']/li") if li.get("id")
    }


def parse(html: str) -> HtmlElement:
    return lxml_html.fromstring(html)


def _squeeze(text: str | None) -> str:
    return _SPACE.sub(" ", text) if text else ""


def _text(node: HtmlElement) -> str:
    return _SPACE.sub(" ", node.text_content()).strip()
