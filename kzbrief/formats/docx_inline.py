"""Runs inside a Word paragraph: text with its emphasis, footnote references, fields
(page references) and bookmarks; and the footnotes part the notes go into.

python-docx 1.2 has no footnote API, so the part is made here: taken from the reference
document if it has one (its separators kept, any sample notes dropped), else made with
Word's two separator notes; the footnote styles are added if the reference lacks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from .docx_package import child

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.text.paragraph import Paragraph

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_SEPARATORS = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """The document's footnotes part; ``add`` appends a note and returns its id."""

    def __init__(self, document: Document, rtl: bool) -> None:
        self.rtl = rtl
        part = document.part
        existing = next(
            (r.target_part for r in part.rels.values() if r.reltype == RT.FOOTNOTES), None
        )
        if existing is not None and not isinstance(existing, XmlPart):
            self.element = parse_xml(existing.blob)
            self._keep: Part | None = existing
        else:
            self.element = parse_xml(_SEPARATORS)
            self._keep = None
            made = XmlPart(
                PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, self.element, part.package
            )
            part.relate_to(made, RT.FOOTNOTES)
        for note in self.element.findall(qn("w:footnote")):
            if note.get(qn("w:type")) not in ("separator", "continuationSeparator"):
                self.element.remove(note)  # the reference's sample notes
        self.next_id = 1
        _footnote_styles(document)

    def add(self, fill: Callable[[BaseOxmlElement], None]) -> int:
        """A new note; ``fill`` adds its runs to the note's paragraph (after the mark)."""
        number = self.next_id
        self.next_id += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        paragraph = OxmlElement("w:p")
        properties = child(paragraph, "w:pPr")
        child(properties, "w:pStyle").set(qn("w:val"), "FootnoteText")
        if self.rtl:
            child(properties, "w:bidi")
        mark = new_run(paragraph, rtl=self.rtl)
        child(child(mark, "w:rPr"), "w:rStyle").set(qn("w:val"), "FootnoteReference")
        mark.append(OxmlElement("w:footnoteRef"))
        add_text(paragraph, " ", rtl=self.rtl)
        fill(paragraph)
        note.append(paragraph)
        self.element.append(note)
        return number

    def finish(self) -> None:
        """Write the notes into a reference's own footnotes part (a generic part keeps
        bytes, not XML)."""
        if self._keep is not None:
            from lxml import etree

            self._keep._blob = etree.tostring(
                self.element, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def reference_note(paragraph: Paragraph | BaseOxmlElement, number: int, rtl: bool) -> None:
    """The footnote's mark in the text."""
    run = new_run(_element(paragraph), rtl=rtl)
    child(child(run, "w:rPr"), "w:rStyle").set(qn("w:val"), "FootnoteReference")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run.append(reference)


def add_text(
    paragraph: Paragraph | BaseOxmlElement,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    rtl: bool = False,
    style: str | None = None,
) -> BaseOxmlElement | None:
    """A run of ``text`` (nothing for an empty string)."""
    if not text:
        return None
    run = new_run(_element(paragraph), rtl=rtl, bold=bold, italic=italic, style=style)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
    return run


def add_field(
    paragraph: Paragraph | BaseOxmlElement, instruction: str, shown: str, rtl: bool = False
) -> None:
    """A field (PAGE, NUMPAGES, PAGEREF, TOC…) with ``shown`` as its last known result,
    which readers show until they update it."""
    p = _element(paragraph)
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = new_run(p, rtl=rtl)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
        else:
            code = OxmlElement("w:instrText")
            code.text = f" {text} "
            code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(code)
    add_text(p, shown or " ", rtl=rtl)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    new_run(p, rtl=rtl).append(end)


def add_fields(paragraph: Paragraph, parts: Iterable[tuple[str, str]], rtl: bool) -> None:
    """Text and fields in turn: ("text", words) or (instruction, shown)."""
    for kind, value in parts:
        if kind == "text":
            add_text(paragraph, value, rtl=rtl)
        else:
            add_field(paragraph, kind, value, rtl)


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """A bookmark around the paragraph's content: what page references point to."""
    p = _element(paragraph)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    properties = p.find(qn("w:pPr"))
    p.insert(0 if properties is None else 1, start)
    p.append(end)


def bookmark_name(target: str) -> str:
    """Word's bookmark names: a letter first, letters, digits and _ only, 40 at most (no
    leading _: LibreOffice leaves page references to such hidden bookmarks unresolved)."""
    cleaned = "".join(c if c.isalnum() and c.isascii() else "_" for c in target)
    return f"kz_{cleaned}"[:40]


def new_run(
    p: BaseOxmlElement,
    *,
    rtl: bool,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    if bold or italic or rtl or style:
        properties = child(run, "w:rPr")
        if style:
            child(properties, "w:rStyle").set(qn("w:val"), style)
        if bold:
            child(properties, "w:b")
            child(properties, "w:bCs")
        if italic:
            child(properties, "w:i")
            child(properties, "w:iCs")
        if rtl:
            child(properties, "w:rtl")
    p.append(run)
    return run


def _element(paragraph: Paragraph | BaseOxmlElement) -> BaseOxmlElement:
    return getattr(paragraph, "_p", paragraph)


def _footnote_styles(document: Document) -> None:
    names = {style.name for style in document.styles}
    if "Footnote Text" not in names:
        text = document.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = document.styles["Normal"]
        text.font.size = Pt(8)
        text.paragraph_format.space_after = Pt(0)
    if "Footnote Reference" not in names:
        mark = document.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        mark.font.superscript = True
