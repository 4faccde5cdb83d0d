"""A tagged PDF read back as a screen reader meets it: its structure elements in reading
order, and the text of each element with a ``/Lang`` (what it is told to read in another
language). Text comes from pdfium (page objects and their MCIDs), the tree from pikepdf."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw


def marked_text(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text drawn inside that marked content."""
    texts: dict[tuple[int, int], str] = {}
    document = pdfium.PdfDocument(path)
    try:
        for index, page in enumerate(document):
            text_page = page.get_textpage()
            for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=4):
                mcid = raw.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid < 0:
                    continue
                text = object_text(item, text_page)
                texts[(index, mcid)] = texts.get((index, mcid), "") + text
    finally:
        document.close()
    return texts


def object_text(item: pdfium.PdfObject, text_page: pdfium.PdfTextPage) -> str:
    """The text one text object draws."""
    size = raw.FPDFTextObj_GetText(item.raw, text_page.raw, None, 0)
    buffer = (ctypes.c_ushort * (size // 2))()
    raw.FPDFTextObj_GetText(item.raw, text_page.raw, buffer, size)
    return bytes(buffer)[: size - 2].decode("utf-16-le")


def structure_elements(root: pikepdf.Object) -> Iterator[tuple[pikepdf.Dictionary, str | None]]:
    """Every structure element below ``root`` in reading order (depth first), with the
    table section (/THead, /TBody, /TFoot) it lies in."""
    todo: list[tuple[object, str | None]] = [(root, None)]
    while todo:
        node, section = todo.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = str(node.get("/S", ""))
        section = kind if kind in ("/THead", "/TBody", "/TFoot") else section
        yield node, section
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        todo += [(kid, section) for kid in reversed(kids)]


def language_runs(path: Path) -> list[tuple[str, str]]:
    """(language, text) for every structure element carrying its own ``/Lang``, in tree
    order."""
    texts = marked_text(path)
    runs: list[tuple[str, str]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

        def text_below(node: pikepdf.Object, page: int | None) -> str:
            if isinstance(node, int):
                return texts.get((page, node), "") if page is not None else ""
            if not isinstance(node, pikepdf.Dictionary):
                return ""
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            if "/MCID" in node:
                return texts.get((page, int(node.MCID)), "") if page is not None else ""
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            return "".join(text_below(kid, page) for kid in kids if kid is not None)

        for node, _ in structure_elements(pdf.Root.StructTreeRoot):
            if "/Lang" in node and str(node.get("/Type", "")) == "/StructElem":
                runs.append((str(node.Lang), text_below(node, None)))
    return runs
