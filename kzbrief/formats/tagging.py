"""What WeasyPrint's tagged PDF leaves out for a screen reader, added after typesetting.

- Table header cells get ``/Scope``: ``/Column`` in a table's head, ``/Row`` in its body
  and foot (the templates' ``scope`` attributes, which WeasyPrint uses only to pair cells
  with headers). A checker cannot otherwise tell which header a number belongs to.
- The page margins' content (running title, section, marking, page number) becomes
  pagination artifacts. WeasyPrint marks it as tagged content whose structure elements it
  leaves out of the tree (PDF 1.7 has no artifact elements), so it is neither read nor
  declared skippable; as artifacts, screen readers skip it on every page by design.
- An archival (PDF/A) edition also claims PDF/UA-1 in its XMP (``pdfuaid:part``), with the
  extension schema PDF/A asks for any schema it does not predefine: the two claims combine.

pikepdf rewrites the file once; its trailer /ID and every date are kept, so a rebuild
stays byte-identical.
"""

from __future__ import annotations

import io
import re
import zlib
from xml.sax.saxutils import escape

import pikepdf

# The PDF/A extension schema that declares the pdfuaid namespace (ISO 14289-1, 5.4).
_UA_SCHEMA = """<rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>The part of ISO 14289 followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
  <pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
"""


def finish_tags(pdf: bytes, variant: str, edition_id: str = "") -> bytes:
    """``pdf`` with its table headers scoped and, for a PDF/A ``variant``, its PDF/UA-1
    claim, and the ``edition_id`` in its XMP (xmpMM:VersionID); unchanged if it has no
    structure tree (an untagged variant)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        _scope_headers(tree)
        _margins_as_artifacts(document, tree)
        if variant.startswith("pdf/a-"):
            _claim_pdf_ua(document)
        if edition_id:
            _add_to_xmp(document, _VERSION.format(escape(edition_id)))
        out = io.BytesIO()
        # static_id: the trailer /ID WeasyPrint derived from the content stays. Streams keep
        # their compressed bytes as they are (no decoding); qpdf leaves the XMP uncompressed.
        document.save(out, static_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()


def _scope_headers(tree: pikepdf.Dictionary) -> None:
    for element, section in _elements(tree, None):
        if element.get("/S") == pikepdf.Name.TH:
            attributes = element.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                attributes = element.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
            head = section == pikepdf.Name.THead
            attributes.Scope = pikepdf.Name.Column if head else pikepdf.Name.Row


_MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")  # how WeasyPrint opens tagged content
_PAGINATION = b"/Artifact\n<</Type /Pagination>>\nBDC"


def _margins_as_artifacts(document: pikepdf.Pdf, tree: pikepdf.Dictionary) -> None:
    """Marked content whose structure element is not in the tree becomes an artifact."""
    linked = {element.objgen for element, _ in _elements(tree, None)}
    parents = tree.get("/ParentTree")
    if parents is None or "/Nums" not in parents:
        return
    nums = parents.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    for page in document.pages:
        marks = by_key.get(int(page.obj.get("/StructParents", -1)))
        contents = page.obj.get("/Contents")
        if not isinstance(marks, pikepdf.Array) or not isinstance(contents, pikepdf.Stream):
            continue
        loose = {
            mcid for mcid, element in enumerate(marks)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in linked
        }  # fmt: skip
        if not loose:
            continue
        rewritten = _MARKED.sub(
            lambda m, loose=loose: _PAGINATION if int(m[2]) in loose else m[0],
            contents.read_bytes(),
        )
        contents.write(zlib.compress(rewritten), filter=pikepdf.Name.FlateDecode)
        for mcid in loose:
            marks[mcid] = pikepdf.Object.parse(b"null")


def _elements(node: object, section: object) -> list[tuple[pikepdf.Dictionary, object]]:
    """Every structure element below ``node``, with the table section (THead, TBody,
    TFoot) it lies in, depth first."""
    found: list[tuple[pikepdf.Dictionary, object]] = []
    todo = [(node, section)]
    while todo:
        current, where = todo.pop()
        kids = current.get("/K") if isinstance(current, pikepdf.Dictionary) else None
        if isinstance(current, pikepdf.Dictionary) and "/S" in current:
            found.append((current, where))
            if current.S in (pikepdf.Name.THead, pikepdf.Name.TBody, pikepdf.Name.TFoot):
                where = current.S
        if isinstance(kids, pikepdf.Array):
            todo += [(kid, where) for kid in kids if isinstance(kid, pikepdf.Dictionary)]
        elif isinstance(kids, pikepdf.Dictionary):
            todo.append((kids, where))
    return found


# xmpMM:VersionID is a predefined XMP property: PDF/A needs no extension schema for it.
_VERSION = (
    '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
    "<xmpMM:VersionID>{}</xmpMM:VersionID></rdf:Description>"
)


def _claim_pdf_ua(document: pikepdf.Pdf) -> None:
    metadata = document.Root.get("/Metadata")
    if metadata is not None and b"pdfuaid" not in metadata.read_bytes():
        _add_to_xmp(document, _UA_SCHEMA)


def _add_to_xmp(document: pikepdf.Pdf, description: str) -> None:
    """One more rdf:Description in the XMP, written as bytes: pikepdf's metadata editor
    would rewrite WeasyPrint's PDF/A packet."""
    metadata = document.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    end = xmp.rfind(b"</rdf:RDF>")
    if end < 0:
        return
    xmp = xmp[:end] + description.encode() + xmp[end:]
    stream = document.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    document.Root.Metadata = stream
