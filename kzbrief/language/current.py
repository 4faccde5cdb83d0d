"""The language an edition is written in: its catalogue, its locale's conventions, its direction.

Interface words come from gettext catalogues (``locale/<lang>.po``, extracted from the code and
templates with Babel), compiled in memory when first needed: no ``.mo`` file is ever written.
The language being rendered is held in a context variable because it is needed deep inside
Jinja filters, ``t()`` and the chart drawers; passing it through every call would thread one
argument through forty functions for no gain in clarity.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from . import CATALOGUES, primary_language
from .catalogue_check import check_lines, check_placeholders
from .scripts import text_direction

# Digits Babel formats in Latin but the locale writes natively (CLDR "arabext" for Persian).
# The percent sign goes with them: Persian writes ٪.
NATIVE_DIGITS = {"fa": str.maketrans("0123456789%", "۰۱۲۳۴۵۶۷۸۹٪")}
# The CLDR numbering system whose separators go with those digits (Persian ٬ and ٫).
_NUMBERING = {"fa": "arabext"}
# The locale whose conventions a language code means: the briefing's English is British
# ("29 January 1999"), which Babel's plain "en" would write "January 29, 1999".
_LOCALES = {"en": "en_GB"}


class _Recorder(gettext.NullTranslations):
    """The catalogue's last resort: it prints the English and remembers what was missing."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: dict[str, None] = {}

    def gettext(self, message: str) -> str:
        self.missing[message] = None
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.missing[singular] = None
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


@dataclass
class Language:
    """One edition's language: ``code`` as the audience names it (``en``, ``en-GB``, ``fa``)."""

    code: str
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    recorder: _Recorder | None = None
    reviewed: bool = True  # the interface catalogue's review status (English has none)

    @property
    def primary(self) -> str:
        return primary_language(self.code)

    @cached_property  # asked for by every number and date formatted
    def locale(self) -> Locale:
        return Locale.parse(_LOCALES.get(self.code, self.code.replace("-", "_")))

    @property
    def numbers(self) -> str:
        """The CLDR numbering system for Babel's separators: ``latn`` unless native digits."""
        return _NUMBERING.get(self.primary, "latn")

    @property
    def direction(self) -> str:
        return text_direction(self.code)

    @property
    def counter_style(self) -> str:
        """The CSS counter style of page, figure and table numbers (WeasyPrint knows both)."""
        return "persian" if self.primary in NATIVE_DIGITS else "decimal"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def digits(self, text: str) -> str:
        """``text`` with its ASCII digits in the locale's own (Persian: ۱۹۹۹)."""
        table = NATIVE_DIGITS.get(self.primary)
        return text.translate(table) if table else text

    def missing_messages(self) -> list[str]:
        """A warning for each message the catalogue had no translation of, used so far."""
        if self.recorder is None:
            return []
        where = catalogue_path(self.primary)
        shown = f"<kzbrief>/language/locale/{where.name}"
        return [
            f"{shown}: no translation of {message!r} (the English was printed)"
            for message in self.recorder.missing
        ]


def catalogue_path(primary: str) -> Path:
    return CATALOGUES / f"{primary}.po"


@cache
def _compiled(primary: str, po: bytes) -> bytes:
    """The catalogue as .mo bytes (memoised by its text), checked first (catalogue_check:
    a malformed line or a misspelt placeholder is an error at its line); fuzzy entries are
    left out, as msgfmt does."""
    path = catalogue_path(primary)
    text = check_lines(path, po)
    catalog = read_po(io.BytesIO(po), locale=primary)
    check_placeholders(path, text, catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def catalogue_stamp(primary: str) -> str:
    """A digest of the language's catalogue: charts and pages drawn with it key on it."""
    path = catalogue_path(primary)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""


def load_language(code: str) -> Language:
    """The language with its catalogue compiled (English needs none: its msgids are English)."""
    language = Language(code)
    if language.primary == "en":
        return language
    language.recorder = _Recorder()  # every message it is asked for is then missing
    language.translations = language.recorder
    path = catalogue_path(language.primary)
    if not path.is_file():
        language.reviewed = False  # no catalogue: every word English, nothing reviewed
        return language
    po = path.read_bytes()  # once: its review status and its messages
    language.reviewed = _REVIEWED.search(po) is not None
    translations = Translations(io.BytesIO(_compiled(language.primary, po)))
    translations.add_fallback(language.recorder)
    language.translations = translations
    return language


# A catalogue is a draft until its header says otherwise: a reviewer who has read every
# message changes "# Review status: draft" to "reviewed" (a comment: msgmerge keeps it).
_REVIEWED = re.compile(rb"^# Review status: reviewed\s*$", re.MULTILINE)

ENGLISH = Language("en")
_ACTIVE: ContextVar[Language] = ContextVar("kzbrief_language", default=ENGLISH)


def active() -> Language:
    """The language being rendered or drawn now (English outside any ``use_language``)."""
    return _ACTIVE.get()


@contextmanager
def use_language(language: Language) -> Iterator[Language]:
    token = _ACTIVE.set(language)
    try:
        yield language
    finally:
        _ACTIVE.reset(token)


def N_(message: str) -> str:  # the name Babel's extractor looks for
    """Marks an English message for extraction; it is translated where it is used."""
    return message
