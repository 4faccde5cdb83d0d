"""The Word edition's package: the reference document it starts from, its page, its
languages and fonts, its properties, and the reproducible zip it is saved as.

The look (styles, colours, spacing) is the reference document's: ``reference.docx`` in the
template folders, the project's own (``templates/reference.docx``, or an audience's
``templates/audiences/<id>/reference.docx``) before the packaged one, as for any template.
What the edition decides is set here over it: paper and margins (the PDF's), the language,
the direction and the fonts that go with it, and the document's properties.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement

    from ..render.editions import Rendered

REFERENCE = "reference.docx"
# The PDF's page sizes (print.css) and margins (labels.css.j2: start 22 mm, end 20 mm).
PAPER = {"A4": (Mm(210), Mm(297)), "Letter": (Mm(215.9), Mm(279.4))}
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_START, MARGIN_END = Mm(24), Mm(22), Mm(22), Mm(20)
SERIF, SANS, PERSIAN = "Source Serif 4", "Source Sans 3", "Vazirmatn"
# Word's language tags for the editions' languages (w:lang wants a region for most).
WORD_LANGUAGES = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ", "fa": "fa-IR"}


def reference_path(folders: tuple[Path, ...]) -> Path:
    """The first ``reference.docx`` of the edition's template folders (the audience's
    first, the packaged base last, which always has one)."""
    for folder in folders:
        if (folder / REFERENCE).is_file():
            return folder / REFERENCE
    raise FileNotFoundError(f"no {REFERENCE} in the template folders")


def clear_body(document: Document) -> None:
    """Remove the reference's sample content, keeping its last section's page setup."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def word_language(code: str) -> str:
    primary = code.split("-")[0]
    return code if "-" in code else WORD_LANGUAGES.get(primary, code)


def set_page(document: Document, paper: str, rtl: bool) -> None:
    """The audience's paper and the PDF's margins; a right-to-left edition's start margin
    is on the right, and its section reads right to left."""
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    left, right = (MARGIN_END, MARGIN_START) if rtl else (MARGIN_START, MARGIN_END)
    section.left_margin, section.right_margin = left, right
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    if rtl:
        child(section._sectPr, "w:bidi")


def set_language_and_fonts(document: Document, code: str, rtl: bool) -> None:
    """The default run language (w:lang), and the fonts named for it, in the document
    defaults: Source Serif 4 / Source Sans 3, Vazirmatn for complex script (and for all
    text of a Persian edition, as in the PDF). Paragraphs of a right-to-left edition are
    right to left by default (w:bidi in the default paragraph properties)."""
    styles = document.styles.element
    defaults = child(styles, "w:docDefaults")
    run = child(child(defaults, "w:rPrDefault"), "w:rPr")
    latin = PERSIAN if rtl else SERIF
    fonts = child(run, "w:rFonts")
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names
    for name, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", latin)):
        fonts.set(qn(name), value)
    fonts.set(qn("w:cs"), PERSIAN if rtl else SERIF)
    language = child(run, "w:lang")
    tag = word_language(code)
    language.set(qn("w:val"), "en-GB" if rtl else tag)
    language.set(qn("w:bidi"), tag if rtl else "fa-IR")
    if rtl:
        paragraph = child(child(defaults, "w:pPrDefault"), "w:pPr")
        child(paragraph, "w:bidi")
        child(run, "w:rtl")
    for style in document.styles:  # headings and captions are set in the sans
        name = style.name or ""
        if name.startswith(("Heading", "Title", "Subtitle", "Caption", "TOC", "Header")):
            element = style.element.get_or_add_rPr()
            style_fonts = child(element, "w:rFonts")
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                style_fonts.attrib.pop(qn(theme), None)
            face = PERSIAN if rtl else SANS
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                style_fonts.set(qn(attribute), face)
            size = element.find(qn("w:sz"))
            if size is not None:  # the complex-script size follows the Latin one
                child(element, "w:szCs").set(qn("w:val"), size.get(qn("w:val")))


def set_properties(document: Document, rendered: Rendered, title: str, subject: str) -> None:
    """Title, language, subject, and the edition id as ``dc:identifier`` (and ``version``),
    the dates the edition's (reproducible)."""
    props = document.core_properties
    props.title, props.subject, props.language = title, subject, rendered.language.code
    props.identifier = rendered.edition_id
    props.version = rendered.edition_id
    props.author = props.last_modified_by = "kzbrief"
    props.keywords, props.comments, props.category = "", "", ""
    props.revision = 1
    issued = rendered.issued.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = props.modified = props.last_printed = issued


def save_reproducibly(document: Document, issued: dt.datetime) -> bytes:
    """The .docx bytes with nothing of the moment in them: entries in a fixed order
    ([Content_Types].xml first, as readers expect), each dated the edition's date."""
    raw = io.BytesIO()
    document.save(raw)
    stamp = issued.astimezone(dt.UTC).timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])  # zip dates start in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


# The schema's order of the children this module adds (Word refuses a file whose
# properties are out of order); a tag not listed goes last.
_ORDER = {
    "w:rPr": (
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:color",
        "w:spacing",
        "w:sz",
        "w:szCs",
        "w:u",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:lang",
    ),
    "w:pPr": (
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:widowControl",
        "w:numPr",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:bidi",
        "w:spacing",
        "w:ind",
        "w:jc",
        "w:outlineLvl",
        "w:rPr",
    ),
    "w:sectPr": (
        "w:headerReference",
        "w:footerReference",
        "w:footnotePr",
        "w:type",
        "w:pgSz",
        "w:pgMar",
        "w:cols",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
    ),
    "w:docDefaults": ("w:rPrDefault", "w:pPrDefault"),
    "w:styles": ("w:docDefaults", "w:latentStyles", "w:style"),
    "w:settings": (
        "w:updateFields",
        "w:hdrShapeDefaults",
        "w:footnotePr",
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:shapeDefaults",
        "w:decimalSymbol",
        "w:listSeparator",
    ),
}


def child(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """``parent``'s first ``tag`` child, added in its schema place if it has none."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    order = next((o for name, o in _ORDER.items() if parent.tag == qn(name)), ())
    later = order[order.index(tag) + 1 :] if tag in order else ()
    for index, existing in enumerate(parent):
        if any(existing.tag == qn(t) for t in later):
            parent.insert(index, found)
            return found
    parent.append(found)
    return found
