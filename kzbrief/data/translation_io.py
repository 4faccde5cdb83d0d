"""Writing translation files: ``translate update`` (like msgmerge) and the PO/XLIFF round trip.

A translation file is rewritten whole from its model, so its layout is always the one the
tools write: a header comment, ``language``, ``status``, then ``strings`` in the order of the
English file. PO goes through Babel, XLIFF 1.2 through translate-toolkit: the formats
translators' tools (Poedit, OmegaT, Trados) read. translate-toolkit comes with the ``[xliff]``
extra: without it, XLIFF is a usage error that says what to install.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..errors import DataError, Location, UsageError
from .schema import SCHEMA_LINE, schema_comment
from .translatable import Unit
from .translations import Entry, LanguageTexts, TranslationFile, fingerprint, statuses

HEADER = (
    "# {language} translation of data/{file}, mirroring it key by key.\n"
    "# en: is a fingerprint of the English each text translates; when the English changes\n"
    "# the build reports the string as stale. status: draft until a translator has reviewed\n"
    '# the whole file (a draft edition says "Unreviewed draft translation" on every page).\n'
)
MISSING_EXTRA = "XLIFF needs translate-toolkit, which is not installed: install kzbrief[xliff]"


@dataclass
class Counts:
    added: int = 0
    marked: int = 0
    removed: int = 0


def write_file(path: Path, language: str, file: str, content: TranslationFile) -> None:
    """The file, written whole (via a temporary file, so a failure leaves the old one)."""
    data = content.model_dump(exclude_defaults=False)
    data["strings"] = {
        key: {k: v for k, v in entry.model_dump().items() if v not in (None, False)}
        for key, entry in content.strings.items()
    }
    name = Locale.parse(language).get_display_name("en")  # "Russian", as init's files say
    text = HEADER.format(language=name, file=file) + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100
    )
    # the editor's schema line, kept as the file had it, else the installed package's
    old = path.read_text(encoding="utf-8").split("\n", 1)[0] if path.is_file() else ""
    first = old + "\n" if old.startswith(SCHEMA_LINE) else schema_comment(Path("i18n") / file)
    text = first + text
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def update(units: list[Unit], texts: LanguageTexts) -> Counts:
    """Add missing entries, mark stale ones fuzzy with the new English beside the old
    translation, drop entries whose English is gone; write each file that changed."""
    counts = Counts()
    by_file: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_file[unit.file].append(unit)
    for file, mine in by_file.items():
        loaded = texts.files.get(file)
        old = loaded.content if loaded else TranslationFile(language=texts.language, status="draft")
        strings: dict[str, Entry] = {}
        for status in statuses(mine, texts):
            unit, entry = status.unit, old.strings.get(status.unit.key)
            if entry is None:
                counts.added += 1
                entry = Entry(en=fingerprint(unit.english), english=unit.english)
            elif status.state == "stale" and not entry.fuzzy:
                counts.marked += 1
                entry = entry.model_copy(
                    update={"fuzzy": True, "english": unit.english, "en": fingerprint(unit.english)}
                )
            strings[unit.key] = entry
        counts.removed += len(set(old.strings) - set(strings))
        content = old.model_copy(update={"strings": strings})
        if loaded is None or content != loaded.content:
            write_file(texts.folder / file, texts.language, file, content)
    return counts


def export_po(units: list[Unit], texts: LanguageTexts) -> bytes:
    """One PO file: msgctxt is FILE:KEY, msgid the English, msgstr the translation; stale
    entries are fuzzy, as msgmerge marks them."""
    catalog = Catalog(locale=texts.language, project="kzbrief", fuzzy=False)
    for status in statuses(units, texts):
        entry = texts.entry(status.unit)
        catalog.add(
            status.unit.english,
            entry.text if entry and status.state != "missing" else "",
            context=f"{status.unit.file}:{status.unit.key}",
            flags=("fuzzy",) if status.state == "stale" else (),
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    return buffer.getvalue()


def import_entries(
    units: list[Unit], texts: LanguageTexts, found: list[tuple[str, str, str, bool]], source: Path
) -> Counts:
    """Lay (context, English, translation, fuzzy) rows over the files. A row whose English
    is no longer the current English is kept but marked fuzzy: it translates an old text."""
    known = {f"{u.file}:{u.key}": u for u in units}
    counts = Counts()
    changed: dict[str, TranslationFile] = {}
    for context, english, text, fuzzy in found:
        unit = known.get(context)
        if unit is None:
            raise DataError(
                f"unknown string {context!r} (not in the English data)", Location(source)
            )
        if not text.strip():
            continue
        loaded = texts.files.get(unit.file)
        content = changed.get(unit.file) or (
            loaded.content if loaded else TranslationFile(language=texts.language, status="draft")
        )
        outdated = " ".join(english.split()) != " ".join(unit.english.split())
        entry = Entry(en=fingerprint(unit.english), text=text, fuzzy=fuzzy or outdated)
        strings = {**content.strings, unit.key: entry}
        changed[unit.file] = content.model_copy(update={"strings": strings})
        counts.added += 1
        counts.marked += entry.fuzzy
    for file, content in changed.items():
        write_file(texts.folder / file, texts.language, file, content)
    return counts


def read_po_rows(path: Path) -> list[tuple[str, str, str, bool]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        (str(m.context or ""), str(m.id), str(m.string or ""), m.fuzzy)
        for m in catalog
        if m.id and m.context
    ]


def export_xliff(units: list[Unit], texts: LanguageTexts) -> bytes:
    """The same rows as XLIFF 1.2 (trans-unit id = FILE:KEY), for CAT tools."""
    store = _xliff_store()(sourcelanguage="en", targetlanguage=texts.language)
    for status in statuses(units, texts):
        entry = texts.entry(status.unit)
        unit = store.addsourceunit(status.unit.english)
        unit.setid(f"{status.unit.file}:{status.unit.key}")
        if entry is not None and status.state != "missing":
            unit.target = entry.text
        unit.markfuzzy(status.state == "stale")
    # translate-toolkit writes the XLIFF 1.1 namespace and a file named "NoName"; the
    # document is valid 1.2 (what CAT tools expect), so it says so, and names its origin.
    text = (
        bytes(store).replace(_XLIFF_11, _XLIFF_12, 1).replace(b'version="1.1"', b'version="1.2"', 1)
    )
    return text.replace(b'original="NoName"', b'original="kzbrief"', 1)


_XLIFF_11 = b"urn:oasis:names:tc:xliff:document:1.1"
_XLIFF_12 = b"urn:oasis:names:tc:xliff:document:1.2"


def read_xliff_rows(path: Path) -> list[tuple[str, str, str, bool]]:
    xlifffile = _xliff_store()
    try:
        store = xlifffile(path.read_bytes())
    except Exception as exc:  # lxml's many parse errors: one message for the user
        raise DataError(f"not an XLIFF file ({exc})", Location(path)) from None
    return [
        # the trans-unit's own id: getid() puts the <file original=…> name in front of it
        (
            str(u.xmlelement.get("id") or u.getid()),
            str(u.source),
            str(u.target or ""),
            bool(u.isfuzzy()),
        )
        for u in store.units
        if not u.isheader()
    ]


def _xliff_store() -> type:
    """translate-toolkit's XLIFF 1.2 store, or a usage error when the extra is missing."""
    try:
        from translate.storage.xliff import xlifffile  # lazy: lxml, for this command only
    except ImportError:
        raise UsageError(MISSING_EXTRA) from None
    return xlifffile
