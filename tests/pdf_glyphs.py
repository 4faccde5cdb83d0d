"""Where each glyph of a PDF page lands: a small text-positioning reader for the tests.

pypdf extracts text but not where each glyph ends, which is what layout tests need
(a word running off the page, a half-empty page, a heading left at a page foot). This
follows the PDF text operators WeasyPrint writes (``cm``, ``q``/``Q``, ``Tm``, ``Td``,
``Tf``, ``TJ``/``Tj``, form XObjects) and measures each glyph with the font's own widths.
Coordinates are PDF points with y up, as in the page's mediabox.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from pypdf import PageObject
from pypdf.generic import ContentStream, DictionaryObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, in PDF's row-vector convention."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    x1: float
    y: float  # baseline
    size: float  # font size on the page
    font: str  # the font's PostScript name, e.g. "ABCDEF+Source-Sans-Pro-Bold"


@dataclass(frozen=True)
class Line:
    """Glyphs on one baseline, left to right."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    font: str  # of the line's largest glyph


@dataclass
class _Font:
    name: str
    widths: dict[int, float]
    default: float
    two_bytes: bool
    unicode: dict[int, str]

    @classmethod
    def read(cls, font: DictionaryObject) -> _Font:
        unicode, name = _to_unicode(font), str(font.get("/BaseFont", ""))
        if font.get("/Subtype") == "/Type0":
            cid = font["/DescendantFonts"][0].get_object()
            widths = _cid_widths(cid.get("/W", []))
            return cls(name, widths, float(cid.get("/DW", 1000)), True, unicode)
        first = int(font.get("/FirstChar", 0))
        widths = {first + i: float(w) for i, w in enumerate(font.get("/Widths", []))}
        return cls(name, widths, 0.0, False, unicode)

    def codes(self, raw: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        return list(raw)


def _cid_widths(array: list) -> dict[int, float]:
    widths: dict[int, float] = {}
    i = 0
    while i < len(array):
        first, nxt = int(array[i]), array[i + 1]
        if isinstance(nxt, list):
            widths.update({first + k: float(w) for k, w in enumerate(nxt)})
            i += 2
        else:
            widths.update(dict.fromkeys(range(first, int(nxt) + 1), float(array[i + 2])))
            i += 3
    return widths


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """bfchar and bfrange entries of the font's ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    table: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + k)
    return table


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    stack: list[Matrix] = field(default_factory=list)
    tm: Matrix = IDENTITY
    line: Matrix = IDENTITY
    font: _Font | None = None
    size: float = 0.0
    spacing: float = 0.0  # Tc
    word: float = 0.0  # Tw
    scale: float = 1.0  # Tz / 100
    leading: float = 0.0  # TL


def glyphs(page: PageObject) -> list[Glyph]:
    """Every glyph painted on the page, XObjects included."""
    return list(_run(page.get_contents(), page.pdf, page["/Resources"], IDENTITY))


def _run(
    contents: object, pdf: object, resources: DictionaryObject, ctm: Matrix
) -> Iterator[Glyph]:
    state = _State(ctm=ctm)
    fonts: dict[str, _Font] = {}
    for operands, op in ContentStream(contents, pdf).operations:
        if op == b"q":
            state.stack.append(state.ctm)
        elif op == b"Q":
            state.ctm = state.stack.pop()
        elif op == b"cm":
            state.ctm = multiply(tuple(map(float, operands)), state.ctm)  # type: ignore[arg-type]
        elif op == b"BT":
            state.tm = state.line = IDENTITY
        elif op == b"Tm":
            state.tm = state.line = tuple(map(float, operands))  # type: ignore[assignment]
        elif op in (b"Td", b"TD", b"T*"):
            tx, ty = (float(operands[0]), float(operands[1])) if operands else (0.0, -state.leading)
            state.leading = -ty if op == b"TD" else state.leading
            state.tm = state.line = multiply((1, 0, 0, 1, tx, ty), state.line)
        elif op == b"TL":
            state.leading = float(operands[0])
        elif op == b"Tc":
            state.spacing = float(operands[0])
        elif op == b"Tw":
            state.word = float(operands[0])
        elif op == b"Tz":
            state.scale = float(operands[0]) / 100
        elif op == b"Tf":
            name = str(operands[0])
            if name not in fonts:
                fonts[name] = _Font.read(resources["/Font"][name].get_object())
            state.font, state.size = fonts[name], float(operands[1])
        elif op in (b"TJ", b"Tj"):
            yield from _show(state, operands[0] if op == b"TJ" else [operands[0]])
        elif op == b"Do":
            yield from _form(resources, str(operands[0]), pdf, state.ctm)


def _form(resources: DictionaryObject, name: str, pdf: object, ctm: Matrix) -> Iterator[Glyph]:
    xobject = resources["/XObject"][name].get_object()
    if xobject.get("/Subtype") != "/Form":
        return
    matrix = tuple(map(float, xobject.get("/Matrix", IDENTITY)))
    inner = xobject.get("/Resources", resources).get_object()
    yield from _run(xobject, pdf, inner, multiply(matrix, ctm))  # type: ignore[arg-type]


def _show(state: _State, items: list) -> Iterator[Glyph]:
    font = state.font
    assert font is not None, "text shown before Tf"
    for item in items:
        if isinstance(item, (int, float)):
            state.tm = multiply(
                (1, 0, 0, 1, -float(item) / 1000 * state.size * state.scale, 0), state.tm
            )
            continue
        raw = item if isinstance(item, bytes) else item.original_bytes
        for code in font.codes(raw):
            advance = font.widths.get(code, font.default) / 1000 * state.size + state.spacing
            if code == 32 and not font.two_bytes:
                advance += state.word
            advance *= state.scale
            start = multiply(state.tm, state.ctm)
            end = multiply(multiply((1, 0, 0, 1, advance, 0), state.tm), state.ctm)
            size = state.size * math.hypot(start[2], start[3])
            char = font.unicode.get(code, "\ufffd")
            yield Glyph(
                char, min(start[4], end[4]), max(start[4], end[4]), start[5], size, font.name
            )
            state.tm = multiply((1, 0, 0, 1, advance, 0), state.tm)


def lines(page: PageObject) -> list[Line]:
    """The page's glyphs grouped by baseline, top of the page first."""
    return group_lines(glyphs(page))


def group_lines(found: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline, top first; a gap wider than a fifth of an em is a space."""
    rows: dict[float, list[Glyph]] = {}
    for glyph in found:
        rows.setdefault(round(glyph.y, 1), []).append(glyph)
    grouped = []
    for y, row in sorted(rows.items(), reverse=True):
        row.sort(key=lambda g: g.x0)
        text = (
            "".join(a.char + (" " if b.x0 - a.x1 > a.size * 0.2 else "") for a, b in pairwise(row))
            + row[-1].char
        )
        big = max(row, key=lambda g: g.size)
        grouped.append(Line(text, row[0].x0, max(g.x1 for g in row), y, big.size, big.font))
    return grouped
