"""The interface catalogues' upkeep: extract the English messages with Babel, merge them
into each language's ``locale/<lang>.po`` (msgmerge's rules), count what is translated.

Extraction reads the code (``N_()``, ``_()``, ``gettext()``) and the Jinja templates
(``_()``, ``{% trans %}``), so a message added anywhere reaches the catalogues.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from .current import catalogue_path

PACKAGE = Path(__file__).resolve().parent.parent
# The packaged templates: ``templates/`` in a checkout, ``kzbrief/templates`` in a wheel.
_TEMPLATE_FOLDERS = (PACKAGE.parent / "templates", PACKAGE / "templates")
_METHODS = [("**.py", "python"), ("**.j2", "jinja2")]
_KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract() -> Catalog:
    """Every English message of the code and the packaged templates, as a POT catalogue."""
    template = Catalog(project="kzbrief", fuzzy=False)
    folders = [PACKAGE, *(f for f in _TEMPLATE_FOLDERS if f.is_dir())]
    for folder in folders:
        for file, line, message, comments, context in extract_from_dir(
            folder, _METHODS, keywords=_KEYWORDS, options_map={"**.j2": {"trimmed": "true"}}
        ):
            if isinstance(message, tuple):  # ngettext: the singular is the msgid
                message = message[0]
            template.add(message, locations=[(_shown(folder / file), line)], context=context,
                         auto_comments=comments)  # fmt: skip
    return template


def _shown(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def read_catalogue(primary: str) -> Catalog:
    path = catalogue_path(primary)
    if not path.is_file():
        return Catalog(locale=primary, project="kzbrief", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=primary)


@dataclass
class MessageCounts:
    ok: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # fuzzy: the English changed
    missing: list[str] = field(default_factory=list)


def message_status(primary: str, template: Catalog | None = None) -> MessageCounts:
    """Each extracted message's state in the language's catalogue."""
    template = template or extract()
    catalogue = read_catalogue(primary)
    counts = MessageCounts()
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, message.context)
        if found is None or not found.string:
            counts.missing.append(str(message.id))
        elif found.fuzzy:
            counts.stale.append(str(message.id))
        else:
            counts.ok.append(str(message.id))
    return counts


def merge_catalogue(primary: str, template: Catalog | None = None) -> Path:
    """The language's catalogue brought up to the extracted messages: new ones added empty,
    changed ones fuzzy with the previous msgid kept, gone ones made obsolete (msgmerge)."""
    catalogue = read_catalogue(primary)
    catalogue.update(template or extract(), update_header_comment=False)
    path = catalogue_path(primary)
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, include_previous=True, sort_output=False)
    merged = buffer.getvalue()
    if path.is_file() and _undated(path.read_bytes()) == _undated(merged):
        return path  # only the extraction's date would change: a file and a diff left alone
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(merged)
    return path


_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)


def _undated(po: bytes) -> bytes:
    return _CREATION_DATE.sub(b"", po, count=1)
