"""How large a copy's foot line can be printed: its width in the packaged faces, and the room
at the foot of the narrowest paper.

The line is set in Source Sans 3 Semibold (Vazirmatn first for a Persian copy, Source Serif 4
last), one line of 7 pt when it fits, else two lines of at least 5 pt. The recipients loader
refuses a name and organisation too wide for two such lines, and the stamp sizes each line
from the same measure, so every accepted value is printed in full inside the page.

Widths are the glyphs' advances from the fonts' ``hmtx`` tables, one glyph per character
(no shaping: joined Persian forms and kerning only narrow a line), plus the letter spacing.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from .fonts import font_faces
from .scripts import script_of

MAX_SIZE_PT = 7.0
MIN_SIZE_PT = 5.0
LINES = 2  # the foot band holds two lines at most (the lowest 7 mm of every page)
LETTER_SPACING_EM = 0.02
SIDE_INSET_MM = 15.0  # left and right of the line
NARROWEST_PAPER_MM = 210.0  # A4 (Letter is 215.9 mm)
FILL = 0.95  # of a line's width: the measure does not shape, so leave a margin
# The foot line without the name and organisation, in the widest language and date (copy
# 99999, edition 2026-11-27.999): tests hold every catalogue to it.
FIXED_EM = 60.0
REPLACEMENT = "\ufffd"  # printed for a character no packaged face has
_WEIGHT = 600
_MM = 72 / 25.4


def line_room_pt(paper_width_pt: float) -> float:
    """The width one foot line may take on a page ``paper_width_pt`` wide."""
    return paper_width_pt - 2 * SIDE_INSET_MM * _MM


def names_room_em() -> float:
    """How wide (in ems) a name and organisation may be together on any copy: two lines of
    the smallest size on the narrowest paper, less the rest of the line and the glyph a
    break may leave at the end of the first line."""
    per_line = FILL * line_room_pt(NARROWEST_PAPER_MM * _MM) / MIN_SIZE_PT
    return LINES * (per_line - _widest_em()) - FIXED_EM


def marking_families(language: str) -> tuple[str, ...]:
    """The font-family list of a copy's marking: the packaged faces only."""
    if script_of(language) == "Arab":
        return ("Vazirmatn", "Source Sans 3", "Source Serif 4")
    return ("Source Sans 3", "Vazirmatn", "Source Serif 4")


def advances_em(text: str, language: str) -> list[float]:
    """Each character's advance in ems, letter spacing included (0 for invisible ones)."""
    faces = [_metrics(family) for family in marking_families(language)]
    widths = []
    for character in text:
        if not _needs_glyph(character):
            widths.append(0.0)
            continue
        code = ord(character)
        found = next((face[code] for face in faces if code in face), None)
        if found is None:
            found = next(face[ord(REPLACEMENT)] for face in faces if ord(REPLACEMENT) in face)
        widths.append(found + LETTER_SPACING_EM)
    return widths


def width_em(text: str, language: str) -> float:
    return sum(advances_em(text, language))


def _needs_glyph(character: str) -> bool:
    return unicodedata.category(character) not in {"Cc", "Cf", "Zl", "Zp", "Mn", "Me"}


@cache
def _metrics(family: str) -> dict[int, float]:
    """Code point -> advance in ems of ``family``'s face nearest to semibold."""
    from fontTools.ttLib import TTFont  # lazy: only issuing copies and checking recipients

    faces = [f for f in font_faces() if f.family == family and f.style == "normal"]
    # CSS matching for 600: the nearest weight at or above, else the nearest below.
    face = min(faces, key=lambda f: (f.weight < _WEIGHT, abs(f.weight - _WEIGHT)))
    font = TTFont(face.path, lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


@cache
def _widest_em() -> float:
    return max(max(_metrics(family).values()) for family in marking_families("en"))
