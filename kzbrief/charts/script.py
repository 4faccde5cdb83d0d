"""Chart text in the edition's script: Persian joined and put in visual order for matplotlib.

matplotlib lays text out one character at a time, left to right, with no shaping: Persian
would come out as isolated letters in reverse order. So right-to-left text is reshaped
(each letter replaced by its initial, medial, final or isolated presentation form) and put
in visual order (the Unicode bidi algorithm, Latin runs and numbers kept left to right)
before matplotlib sees it. The charts' SVG keeps its text as text, which WeasyPrint then
sets glyph by glyph in that order, as matplotlib measured it.
"""

from __future__ import annotations

from functools import cache

import arabic_reshaper
from bidi.algorithm import get_display
from matplotlib import font_manager

from ..language.fonts import font_faces
from ..language.scripts import script_of, text_direction

_NO_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
# The packaged family that has the script's letters; Source Sans 3 has Latin and Cyrillic.
_CHART_FAMILIES = {"Arab": "Vazirmatn"}


def display_text(text: str, language: str) -> str:
    """``text`` as matplotlib must be given it to show it right in ``language``: unchanged
    for left-to-right languages; reshaped and in visual order for right-to-left ones."""
    if text_direction(language) == "ltr":
        return text
    # Untranslated English arrives isolated (FSI ... PDI, as the data's Latin runs are in a
    # right-to-left edition); python-bidi cannot resolve isolates (it asserts), and a chart
    # label is one run laid out here, so the marks are dropped: the Latin stays a left-to-
    # right run inside the right-to-left line either way.
    plain = text.translate(_NO_ISOLATES)
    return get_display(arabic_reshaper.reshape(plain), base_dir="R")


def chart_family(language: str) -> list[str]:
    """The font families for chart text in ``language``, registered with matplotlib: the one
    packaged family that has the script's letters in every face the charts use."""
    family = _CHART_FAMILIES.get(script_of(language), "Source Sans 3")
    _register(family)
    return [family]


@cache
def _register(family: str) -> None:
    """Add the family's packaged faces once, so charts never depend on system fonts."""
    for face in font_faces():
        if face.family == family:
            font_manager.fontManager.addfont(str(face.path))
