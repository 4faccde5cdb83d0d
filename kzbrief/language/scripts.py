"""The writing system an edition's language is printed in, and which way its lines run.

Typefaces (fonts.py), the page's direction (render) and chart labels (charts/script.py)
all follow from the script, so the table of languages lives here once. A language tag
may name its script (``kk-Latn``); otherwise the language's usual script is assumed.
"""

from __future__ import annotations

import re
from typing import Literal

from . import primary_language

Direction = Literal["ltr", "rtl"]

# ISO 15924 codes of the scripts kzbrief sets with something other than Latin type.
_USUAL_SCRIPT = {
    "ru": "Cyrl",
    "kk": "Cyrl",
    "uk": "Cyrl",
    "be": "Cyrl",
    "ky": "Cyrl",
    "fa": "Arab",
    "ar": "Arab",
    "ur": "Arab",
}
_RIGHT_TO_LEFT = frozenset({"Arab", "Hebr"})


def script_of(language: str) -> str:
    """``"fa"`` -> ``"Arab"``, ``"kk-Latn"`` -> ``"Latn"``, ``"en-GB"`` -> ``"Latn"``."""
    _, *subtags = language.replace("_", "-").split("-")
    for subtag in subtags:
        if len(subtag) == 4 and subtag.isalpha():
            return subtag.title()
    return _USUAL_SCRIPT.get(primary_language(language), "Latn")


def text_direction(language: str) -> Direction:
    """Which way lines of ``language`` run: ``"rtl"`` for Persian, ``"ltr"`` for English."""
    return "rtl" if script_of(language) in _RIGHT_TO_LEFT else "ltr"


def _is_latin_letter(character: str) -> bool:
    return character.isalpha() and character.isascii()


def _is_arabic_letter(character: str) -> bool:
    return character.isalpha() and "\u0600" <= character <= "\u06ff"


def isolate_latin(text: str) -> str:
    """A Latin-only string (an English source title, "SCO") bidi-isolated for a right-to-left
    page, between U+2068 and U+2069: its own punctuation then stays with it instead of
    following the Persian sentence. WeasyPrint 70 has no ``unicode-bidi`` and treats
    ``<bdi>`` as any inline, but Pango honours these marks."""
    if any(map(_is_arabic_letter, text)) or not any(map(_is_latin_letter, text)):
        return text
    return f"\u2068{text}\u2069"


# The briefing's languages are en, ru, kk and fa, so a run of another script inside an
# edition is in one of them: Latin is English (source titles, "USD", "GSHHG"), Arabic
# script is Persian, Cyrillic is Kazakh when it has a letter Russian lacks, else Russian.
_LETTERS = {"Latn": "A-Za-z", "Cyrl": "\u0400-\u04ff", "Arab": "\u0600-\u06ff"}
_RUN_LANGUAGE = {"Latn": "en", "Cyrl": "ru", "Arab": "fa"}
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _run_pattern(letters: str) -> str:
    """A run starts with a letter, may hold spaces, digits and word punctuation, and ends
    on a letter or digit, so "(GSHHG)،" marks GSHHG and leaves the brackets to the
    sentence. The text is escaped HTML: an entity is taken whole or not at all."""
    inner = f"(?:[{letters}0-9\u200c’.,:/\\- ]|&(?:amp|#39|quot);)"
    return f"[{letters}](?:{inner}*[{letters}0-9])?"


FOREIGN_RUN = {script: re.compile(_run_pattern(letters)) for script, letters in _LETTERS.items()}


def foreign_scripts(language: str) -> tuple[str, ...]:
    """The scripts whose runs are marked with their own language in a ``language`` page."""
    own = script_of(language)
    return tuple(script for script in _LETTERS if script != own)


def run_language(script: str, run: str) -> str:
    """The language a run of ``script`` is marked with: ``("Cyrl", "Қазақстан")`` -> kk."""
    if script == "Cyrl" and _KAZAKH_LETTERS.intersection(run):
        return "kk"
    return _RUN_LANGUAGE[script]
