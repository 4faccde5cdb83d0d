"""A catalogue is data too: a ``.po`` file a translator edited is checked before it is used.

Babel reads an unterminated string without complaint (it drops the last character and the
rest of the entry's text with it), and a translation whose placeholder is misspelt
(``{partnr}`` for ``{partner}``) would fail only when its sentence is printed, as a
KeyError deep inside a template. Both are found here, each as the file and line of the
entry, naming the message: the catalogue's author can fix it from the message alone.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog

from ..errors import Location, TemplateError

# A line of a .po file: blank, a comment, a keyword and its string, or a string continued.
_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf"(?:{_KEYWORD}\s+)?{_STRING}")


def check_lines(path: Path, po: bytes) -> str:
    """The catalogue's text, every line well formed: UTF-8, each string closed, nothing
    after it."""
    try:
        text = po.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = Location(path, po[: exc.start].count(b"\n") + 1)
        raise TemplateError("not UTF-8 text (a .po file is saved as UTF-8)", where) from None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _LINE.fullmatch(stripped) is None:
            problem = (
                "an unterminated or malformed string"
                if '"' in stripped
                else "expected a msgid/msgstr line or a quoted string"
            )
            raise TemplateError(f"{problem}: {stripped[:60]!r}", Location(path, number))
    return text


def check_placeholders(path: Path, text: str, catalog: Catalog) -> None:
    """Every translation fills only the placeholders its English has, and parses."""
    lines = text.splitlines()
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        line = _msgstr_line(lines, message.lineno)
        for translated in _strings(message.string):
            unknown = sorted(_fields(translated, path, line, english) - _names(english))
            if unknown:
                shown = ", ".join(f"{{{name}}}" for name in unknown)
                raise TemplateError(
                    f"the translation of {english!r} uses {shown}, which the English does not "
                    f"have (it has {_listed(_names(english))})",
                    Location(path, line),
                )


def _msgstr_line(lines: list[str], msgid_line: int) -> int:
    """The line of the translation (Babel gives the msgid's): where the mistake is typed."""
    for number in range(msgid_line, len(lines) + 1):
        if lines[number - 1].lstrip().startswith("msgstr"):
            return number
    return msgid_line


def _strings(value: str | tuple[str, ...] | list[str]) -> Iterable[str]:
    return [value] if isinstance(value, str) else [v for v in value if v]


def _names(text: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}
    except ValueError:  # English that is not a format string (no placeholders)
        return set()


def _fields(text: str, path: Path, line: int, english: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as exc:  # "{" never closed, "}" alone
        raise TemplateError(
            f"the translation of {english!r} is not a valid message ({exc}; a literal brace "
            "is written twice: {{ or }})",
            Location(path, line),
        ) from None


def _listed(names: set[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "none"
