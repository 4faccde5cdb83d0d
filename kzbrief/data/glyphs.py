"""Which characters the packaged fonts can draw, to name the text that would print as boxes.

The fonts' ``cmap`` tables are read directly: importing fontTools would cost more
than the whole check, which runs on every build. Formats 4 and 12 are the ones
TrueType/OpenType fonts use for Unicode; the tests compare this reader with fontTools.
"""

from __future__ import annotations

import struct
import unicodedata
from functools import cache
from pathlib import Path

from ..language.fonts import font_faces

# (platform, encoding) of Unicode cmap subtables: Windows BMP, Windows full, Unicode.
_UNICODE_TABLES = ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0))
# Characters that need no glyph: controls and invisible formatting (soft hyphen,
# zero-width joiner), and variation selectors (the U+FE0F after an emoji).
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def missing_characters(text: str) -> list[str]:
    """The characters of ``text`` that no packaged font has, each once, in order."""
    known = font_characters()
    return [c for c in dict.fromkeys(text) if ord(c) not in known and _needs_glyph(c)]


def describe_characters(characters: list[str]) -> str:
    """``['🚆']`` -> ``🚆 (U+1F686)``."""
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in characters)


def _needs_glyph(character: str) -> bool:
    if unicodedata.category(character) in _INVISIBLE:
        return False
    code = ord(character)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


@cache
def font_characters() -> frozenset[int]:
    """Every code point some packaged face maps to a glyph (read once per process)."""
    return frozenset().union(*(read_cmap(face.path) for face in font_faces()))


def read_cmap(path: Path) -> set[int]:
    """The code points a TrueType/OpenType font maps to a glyph other than .notdef."""
    data = path.read_bytes()
    (tables,) = struct.unpack_from(">H", data, 4)
    records = (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(tables))
    cmap = next(offset for tag, _, offset, _ in records if tag == b"cmap")
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables.setdefault((platform, encoding), cmap + offset)
    for key in _UNICODE_TABLES:
        if key in subtables:
            start = subtables[key]
            (kind,) = struct.unpack_from(">H", data, start)
            if kind == 12:
                return _format_12(data, start)
            if kind == 4:
                return _format_4(data, start)
    return set()


def _format_4(data: bytes, start: int) -> set[int]:
    (segments,) = struct.unpack_from(">H", data, start + 6)
    segments //= 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    codes: set[int] = set()
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, at)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                codes.add(code)
    return codes


def _format_12(data: bytes, start: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    codes: set[int] = set()
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        codes.update(range(first + (glyph == 0), last + 1))
    return codes
