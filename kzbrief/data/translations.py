"""A language's translation files (``data/i18n/<lang>/``): read, checked against the English,
and laid over it to give that language's briefing.

Each translated string carries ``en:``, a short fingerprint of the English it translates.
When the English changes the fingerprint no longer matches and the string is *stale*; a
string with no entry is *missing*. Either way the build warns with the translation's
FILE:LINE (``--strict`` fails), and prints the stale translation or the English meanwhile.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from ..errors import DataError, DataErrors, Location
from ..language.scripts import isolate_latin, text_direction
from ..language.text import native_digits
from .fields import Model
from .load import FieldPath, YamlDocument, read_yaml
from .messages import fold_misspellings
from .translatable import NAMES_FILE, Unit, is_name, is_text, key_of

I18N_FOLDER = "i18n"
State = Literal["ok", "stale", "missing"]


def fingerprint(english: str) -> str:
    """Eight hex digits of SHA-256 over the English with its spacing normalised: re-wrapping a
    paragraph in YAML is no change, a changed word is."""
    return hashlib.sha256(" ".join(english.split()).encode()).hexdigest()[:8]


class Entry(Model):
    # A fingerprint of the English this translates, 8 hex digits (e.g. 27ad2dc1), written by
    # kzbrief translate update; when the English changes, the build reports the text as stale.
    en: str = Field(pattern=r"^[0-9a-f]{8}$")
    text: str = ""  # the translation; empty: not translated yet (the English is printed)
    fuzzy: bool = False  # set by `translate update` when the English changed under it
    english: str | None = None  # the English the translator saw last, for reference only


class TranslationFile(Model):
    language: str  # the language's code, e.g. ru (as the folder is named)
    # draft until a translator has reviewed the whole file, then reviewed; a draft edition says
    # "Unreviewed draft translation" on its cover, at the foot of every page and in its subject.
    status: Literal["draft", "reviewed"]
    # The translations, each under the key of the English text (narrative.headings.trade) or,
    # in names.yaml, under the English name itself (Kazakhstan).
    strings: dict[str, Entry] = Field(default_factory=dict)


@dataclass
class Loaded:
    """One translation file as read, with the positions of its entries."""

    path: Path
    content: TranslationFile
    document: YamlDocument

    def where(self, key: str) -> Location:
        return self.document.locate(("strings", key))


@dataclass
class LanguageTexts:
    """Every translation file of one language, by file name relative to its folder."""

    language: str
    folder: Path
    files: dict[str, Loaded] = field(default_factory=dict)

    @property
    def reviewed(self) -> bool:
        """Reviewed only if every file is: one draft file makes the edition a draft."""
        return bool(self.files) and all(f.content.status == "reviewed" for f in self.files.values())

    def entry(self, unit: Unit) -> Entry | None:
        loaded = self.files.get(unit.file)
        return loaded.content.strings.get(unit.key) if loaded else None


@dataclass(frozen=True)
class Status:
    unit: Unit
    state: State
    where: Location  # the translation's entry, or its file when there is none
    fuzzy: bool = False  # stale and already marked by `translate update`

    def warning(self) -> str:
        # in full: the translator works from this line, and a cut sentence hides the change
        english = " ".join(self.unit.english.split())
        if self.state == "stale":
            todo = (
                "check the text against it, then delete fuzzy: true"
                if self.fuzzy
                else f"update the text, then its en: to {fingerprint(self.unit.english)}"
            )
            return (
                f"{self.where}: stale translation of {self.unit.key}: the English is now "
                f"{english!r} ({todo})"
            )
        return f"{self.where}: no translation of {self.unit.key} {english!r} (English printed)"


def language_folder(data_dir: Path, language: str) -> Path:
    return data_dir / I18N_FOLDER / language


def load_texts(data_dir: Path, language: str) -> LanguageTexts:
    """The language's translation files; a malformed one is a data error with FILE:LINE."""
    texts = LanguageTexts(language, language_folder(data_dir, language))
    errors: list[DataError] = []
    for path in sorted(texts.folder.rglob("*.yaml")):
        try:
            document = read_yaml(path)
            content = TranslationFile.model_validate(document.data)
        except DataError as exc:
            errors.append(exc)
            continue
        except ValidationError as exc:
            for error in fold_misspellings(exc.errors(), TranslationFile):
                where = document.locate(tuple(error["loc"]))
                errors.append(DataError(_explain(error), where, key_of(tuple(error["loc"]))))
            continue
        texts.files[path.relative_to(texts.folder).as_posix()] = Loaded(path, content, document)
    if errors:
        raise DataErrors(errors)
    return texts


def _explain(error: Any) -> str:
    from .messages import explain  # the same wording as every other data error

    if error["loc"] and error["loc"][-1] == "en" and error["type"] == "string_pattern_mismatch":
        return f"got {error['input']!r} (expected the English text's fingerprint: 8 hex digits)"
    return explain(error)


def statuses(units: list[Unit], texts: LanguageTexts) -> list[Status]:
    """Each unit's state in this language: ok, stale or missing."""
    result = []
    for unit in units:
        loaded = texts.files.get(unit.file)
        entry = texts.entry(unit)
        if loaded is None or entry is None or not entry.text.strip():
            where = loaded.where(unit.key) if loaded else Location(texts.folder / unit.file)
            result.append(Status(unit, "missing", where))
        elif entry.fuzzy or entry.en != fingerprint(unit.english):
            result.append(Status(unit, "stale", loaded.where(unit.key), entry.fuzzy))
        else:
            result.append(Status(unit, "ok", loaded.where(unit.key)))
    return result


def translation_warnings(found: list[Status]) -> list[str]:
    """One warning per stale string; missing ones too, but a missing file is one warning."""
    warnings, absent = [], {}
    for status in found:
        if status.state == "ok":
            continue
        if status.state == "missing" and status.where.line is None:
            absent.setdefault(status.where, []).append(status)
            continue
        warnings.append(status.warning())
    for where, missing in absent.items():
        warnings.append(
            f"{where}: no translation file: {len(missing)} string(s) printed in English "
            f"(kzbrief translate update {_language_of(Path(str(where.file)))} starts one)"
        )
    return warnings


def _language_of(path: Path) -> str:
    """The language of a file under ``data/i18n/<language>/`` (in a subfolder too)."""
    parts = path.parts
    at = len(parts) - 1 - parts[::-1].index(I18N_FOLDER) if I18N_FOLDER in parts else -1
    return parts[at + 1] if 0 <= at < len(parts) - 1 else path.parent.name


def translated_data(document: YamlDocument, data_dir: Path, texts: LanguageTexts) -> dict[str, Any]:
    """The English file's data with its text and names in the language, where translated;
    on a right-to-left page, a string left in Latin letters is bidi-isolated."""
    rtl = text_direction(texts.language) == "rtl"
    own = texts.files.get(document.path.relative_to(data_dir).as_posix())
    names = texts.files.get(NAMES_FILE)

    def visit(value: Any, section: str, path: FieldPath) -> Any:
        if isinstance(value, dict):
            return {k: visit(v, section, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v, section, (*path, i)) for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value
        if is_text(section, path):
            entry = own.content.strings.get(key_of((section, *path))) if own else None
        elif is_name(section, path):
            entry = names.content.strings.get(value) if names else None
        else:
            return value  # ids, codes, dates: never translated
        text = entry.text if entry and entry.text.strip() else value
        text = native_digits(text, texts.language)  # "دهه 1990" -> "دهه ۱۹۹۰"
        return isolate_latin(text) if rtl else text

    return {section: visit(value, section, ()) for section, value in (document.data or {}).items()}
