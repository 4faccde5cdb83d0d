"""The Word edition's larger blocks: tables with repeating header rows, charts with alt
text and numbered captions, and the cover's contents as a TOC field (docx_build.py walks
the HTML and hands these over)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt

from ..language.current import active
from ..language.words import phrase
from .docx_inline import add_field, add_text, bookmark_name, new_run
from .docx_package import child

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.html import HtmlElement

    from .docx_images import Picture


class Walk(Protocol):
    """What the blocks need of docx_build.Walk (declared here: importing it would make the
    two modules import each other)."""

    document: Document
    rtl: bool
    figures: int
    tables: int
    picture: Callable[[str], Picture]

    def paragraph(
        self, node: HtmlElement, style: str | None, bold: bool = False, prefix: str = ""
    ) -> Paragraph: ...

    def inline(
        self, paragraph: Paragraph, node: HtmlElement, bold: bool = False, italic: bool = False
    ) -> None: ...

    def new_paragraph(self, style: str | None = None) -> Paragraph: ...


def add_table(walk: Walk, node: HtmlElement) -> None:
    caption = node.find("caption")
    if caption is not None:
        walk.tables += 1
        label = phrase("table_caption", number=walk.tables)
        walk.paragraph(
            caption, "Caption", prefix=label + " "
        ).paragraph_format.keep_with_next = True
    rows = [
        (row, section.tag)
        for section in node
        if section.tag in ("thead", "tbody", "tfoot")
        for row in section.findall("tr")
    ]
    columns = max(sum(int(c.get("colspan", 1)) for c in r) for r, _ in rows)
    table = walk.document.add_table(rows=len(rows), cols=columns)
    _table_style(table, walk.document)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if walk.rtl:
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
            walk.inline(paragraph, cell_node, bold=header)
            column += span
    walk.new_paragraph("No Spacing")  # keeps the next table apart


def add_figure(walk: Walk, node: HtmlElement) -> None:
    image = node.find(".//img")
    if image is not None and (image.get("src") or "").startswith("data:image/svg"):
        picture = walk.picture(image.get("src"))
        paragraph = walk.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        import io

        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(picture.png), width=Pt(picture.width_pt))
        properties = shape._inline.docPr
        properties.set("descr", image.get("alt") or "")  # the alt text Word reads out
        walk.figures += 1
        properties.set("name", f"Figure {walk.figures}")
    caption = node.find("figcaption")
    if caption is not None:
        label = phrase("figure_caption", number=walk.figures)
        paragraph = walk.new_paragraph("Caption")
        add_text(paragraph, label + " ", bold=True, rtl=walk.rtl)
        for part in caption:
            if "source-line" in part.get("class", ""):
                add_text(paragraph, "\n", rtl=walk.rtl)
            walk.inline(paragraph, part)


# inline --------------------------------------------------------------------------


def add_contents(walk: Walk, node: HtmlElement) -> None:
    """The contents list as a TOC field: Word rebuilds it from the Heading 1s; its last
    result (shown until then, and by LibreOffice) is the list, each with a page
    reference to its section's heading."""
    title = node.find(".//h2")
    if title is not None:
        walk.paragraph(title, "TOC Heading")
    links = node.findall(".//a")
    for index, link in enumerate(links):
        paragraph = walk.new_paragraph("List")
        if index == 0:
            add_field_start(paragraph, 'TOC \\o "1-1" \\h \\z', walk.rtl)
        number = active().digits(str(index + 1))
        add_text(paragraph, f"{number}  {_text(link)}\t", rtl=walk.rtl)
        target = bookmark_name((link.get("href") or "#")[1:])
        add_field(paragraph, f"PAGEREF {target} \\h", " ", walk.rtl)
        _right_tab(paragraph, walk.document)
        if index == len(links) - 1:
            add_field_end(paragraph, walk.rtl)


# tables and figures --------------------------------------------------------------


def add_field_start(paragraph: Paragraph, instruction: str, rtl: bool) -> None:
    # the field spans paragraphs: its begin here, its end in the last entry
    p = paragraph._p
    begin = new_run(p, rtl=rtl)
    mark = begin.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    begin.append(mark)
    code = new_run(p, rtl=rtl).makeelement(qn("w:instrText"), {})
    code.text = f" {instruction} "
    p[-1].append(code)
    separate = begin.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "separate"})
    new_run(p, rtl=rtl).append(separate)


def add_field_end(paragraph: Paragraph, rtl: bool) -> None:
    run = new_run(paragraph._p, rtl=rtl)
    run.append(run.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))


def _right_tab(paragraph: Paragraph, document: Document) -> None:
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    alignment = WD_TAB_ALIGNMENT.RIGHT
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, alignment)


def _table_style(table: Table, document: Document) -> None:
    names = {style.name for style in document.styles}
    for name in ("Briefing Table", "Light List Accent 1", "Table Grid"):
        if name in names:
            table.style = document.styles[name]
            return


def _text(node: HtmlElement) -> str:
    return " ".join(node.text_content().split())
