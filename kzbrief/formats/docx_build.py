"""An edition's HTML -> a Word document: the same text, walked element by element into
Word's own structures: Title, Heading 1-3, lists, real tables with repeating header rows,
pictures with alt text and captions, and each [n] citation as a footnote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import html as lxml_html

from ..language.current import active
from ..language.words import phrase
from .docx_images import Picture
from .docx_inline import Footnotes, add_field, add_text, bookmark, bookmark_name, reference_note
from .docx_package import child

if TYPE_CHECKING:
    from collections.abc import Callable

    from docx.document import Document
    from docx.table import Table
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
        paragraph = self.document.add_paragraph(style=style)
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
                paragraph = self.document.add_paragraph(style="List")
                paragraph.paragraph_format.first_line_indent = Pt(-14)
                paragraph.paragraph_format.left_indent = Pt(14)
                add_text(paragraph, number, rtl=self.rtl)
            else:
                paragraph = self.document.add_paragraph(style=style)
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
        """The contents list as a TOC field: Word rebuilds it from the Heading 1s; its last
        result (shown until then, and by LibreOffice) is the list, each with a page
        reference to its section's heading."""
        title = node.find(".//h2")
        if title is not None:
            self.paragraph(title, "TOC Heading")
        links = node.findall(".//a")
        for index, link in enumerate(links):
            paragraph = self.document.add_paragraph(style="List")
            if index == 0:
                add_field_start(paragraph, 'TOC \\o "1-1" \\h \\z', self.rtl)
            number = active().digits(str(index + 1))
            add_text(paragraph, f"{number}  {_text(link)}\t", rtl=self.rtl)
            target = bookmark_name((link.get("href") or "#")[1:])
            add_field(paragraph, f"PAGEREF {target} \\h", " ", self.rtl)
            _right_tab(paragraph, self.document)
            if index == len(links) - 1:
                add_field_end(paragraph, self.rtl)

    # tables and figures --------------------------------------------------------------
    def table(self, node: HtmlElement) -> None:
        caption = node.find("caption")
        if caption is not None:
            self.tables += 1
            label = phrase("table_caption", number=self.tables)
            self.paragraph(
                caption, "Caption", prefix=label + " "
            ).paragraph_format.keep_with_next = True
        rows = [
            (row, section.tag)
            for section in node
            if section.tag in ("thead", "tbody", "tfoot")
            for row in section.findall("tr")
        ]
        columns = max(sum(int(c.get("colspan", 1)) for c in r) for r, _ in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        _table_style(table, self.document)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.rtl:
            child(table._tbl.tblPr, "w:bidiVisual")
        for index, (row, part) in enumerate(rows):
            cells = table.rows[index].cells
            if part == "thead":  # repeated at the top of each page the table runs onto
                child(table.rows[index]._tr.get_or_add_trPr(), "w:tblHeader")
            column = 0
            for cell_node in row:
                span = int(cell_node.get("colspan", 1))
                cell = cells[column]
                if span > 1:
                    cell = cell.merge(cells[column + span - 1])
                paragraph = cell.paragraphs[0]
                header = cell_node.tag == "th" or part in ("thead", "tfoot")
                self.inline(paragraph, cell_node, bold=header)
                column += span
        self.document.add_paragraph(style="No Spacing")  # keeps the next table apart

    def figure(self, node: HtmlElement) -> None:
        image = node.find(".//img")
        if image is not None and (image.get("src") or "").startswith("data:image/svg"):
            picture = self.picture(image.get("src"))
            paragraph = self.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True
            import io

            run = paragraph.add_run()
            shape = run.add_picture(io.BytesIO(picture.png), width=Pt(picture.width_pt))
            properties = shape._inline.docPr
            properties.set("descr", image.get("alt") or "")  # the alt text Word reads out
            self.figures += 1
            properties.set("name", f"Figure {self.figures}")
        caption = node.find("figcaption")
        if caption is not None:
            label = phrase("figure_caption", number=self.figures)
            paragraph = self.document.add_paragraph(style="Caption")
            add_text(paragraph, label + " ", bold=True, rtl=self.rtl)
            for part in caption:
                if "source-line" in part.get("class", ""):
                    add_text(paragraph, "\n", rtl=self.rtl)
                self.inline(paragraph, part)

    # inline --------------------------------------------------------------------------
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


def add_field_start(paragraph: Paragraph, instruction: str, rtl: bool) -> None:
    from .docx_inline import _run  # the field spans paragraphs: its begin here, end later

    p = paragraph._p
    begin = _run(p, rtl=rtl)
    mark = begin.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    begin.append(mark)
    code = _run(p, rtl=rtl).makeelement(qn("w:instrText"), {})
    code.text = f" {instruction} "
    p[-1].append(code)
    _run(p, rtl=rtl).append(begin.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "separate"}))


def add_field_end(paragraph: Paragraph, rtl: bool) -> None:
    from .docx_inline import _run

    run = _run(paragraph._p, rtl=rtl)
    run.append(run.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))


def _right_tab(paragraph: Paragraph, document: Document) -> None:
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    from docx.enum.text import WD_TAB_ALIGNMENT

    alignment = WD_TAB_ALIGNMENT.RIGHT
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, alignment)


def _table_style(table: Table, document: Document) -> None:
    names = {style.name for style in document.styles}
    for name in ("Briefing Table", "Light List Accent 1", "Table Grid"):
        if name in names:
            table.style = document.styles[name]
            return


def _squeeze(text: str | None) -> str:
    return _SPACE.sub(" ", text) if text else ""


def _text(node: HtmlElement) -> str:
    return _SPACE.sub(" ", node.text_content()).strip()
