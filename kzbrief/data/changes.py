"""What changed since an earlier edition: its data read back, and the change list.

The earlier edition's data comes from outside this build, from the YAML files attached to its
PDF or from what the register kept of it; never from git, which a project need not use. It is
read with the loaders of the current data, in a temporary folder, and treated as untrusted
input: a bad name, size or YAML is one DataError, never a traceback. The comparison itself,
fact by fact, is change_items.py. The change list's words are the interface catalogue's
(render/change_words.py): it is written in the edition's language, as the box that prints it.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from ..language import primary_language
from ..language.current import Language, active, load_language, use_language
from ..language.text import describe_partial_date
from ..language.words import phrase
from .briefing import load_briefing_documents
from .change_items import Change, figures_and_routes
from .change_texts import sources_and_texts, unclaimed
from .fields import LANGUAGES
from .localise import SOURCE_LANGUAGE, Localised, localise
from .models import Briefing

# A data-relative name as the PDF attachments and the register give them: folders of plain
# names, no "..", no hidden files, YAML only.
_NAME = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_-]*/){0,4}[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml$")
_MAX_FILES = 500
_MAX_BYTES = 4_000_000  # per file: the shipped data's largest file is 20 kB
_ORIGIN = "the previous edition's data"


@dataclass(frozen=True)
class PreviousData:
    """An earlier edition's briefing, in English and in each language it had translations for.

    A translation that fails to load is kept as its error: it matters only to the editions in
    that language.
    """

    briefing: Briefing
    translated: Mapping[str, Briefing | DataError] = field(default_factory=dict)

    def in_language(self, language: str) -> Briefing:
        primary = primary_language(language)
        if primary == SOURCE_LANGUAGE:
            return self.briefing
        found = self.translated.get(primary)
        if found is None:
            raise DataError(
                f"{_ORIGIN} has no {primary} translation (no i18n/{primary}/ files), so its "
                f"{primary} text cannot be compared"
            )
        if isinstance(found, DataError):
            raise found
        return found


def read_previous(files: Mapping[str, bytes]) -> PreviousData:
    """The earlier edition's data from its YAML files, keyed by data-relative posix name
    ("trade.yaml", "i18n/ru/narrative.yaml", "audiences/press.yaml")."""
    _check_files(files)
    with tempfile.TemporaryDirectory(prefix="kzbrief-previous-") as folder:
        root = Path(folder)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        try:
            briefing, documents = load_briefing_documents(root)
        except DataError as exc:
            raise _untrusted(exc, root) from None
        translated: dict[str, Briefing | DataError] = {}
        for primary in sorted({n.split("/")[1] for n in files if n.startswith("i18n/")}):
            if primary not in LANGUAGES or primary == SOURCE_LANGUAGE:
                continue
            try:  # the audiences' words are not compared: the briefing's are
                translated[primary] = localise(root, briefing, documents, [], primary).briefing
            except DataError as exc:
                translated[primary] = _untrusted(exc, root)
    return PreviousData(briefing, translated)


def _check_files(files: Mapping[str, bytes]) -> None:
    if len(files) > _MAX_FILES:
        raise DataError(f"{_ORIGIN} has {len(files)} files (at most {_MAX_FILES} are read)")
    for name, content in files.items():
        if not _NAME.match(name):
            raise DataError(f"{_ORIGIN} has a file named {name!r} (expected names like "
                            "'trade.yaml' or 'i18n/ru/narrative.yaml')")  # fmt: skip
        if len(content) > _MAX_BYTES:
            raise DataError(f"{_ORIGIN}: {name} is {len(content):,} bytes (at most "
                            f"{_MAX_BYTES:,} are read)")  # fmt: skip
        if _has_aliases(content):  # *alias expands without limit: a few lines, gigabytes
            raise DataError(f"{_ORIGIN}: {name} uses YAML aliases (*name), which are not read")


def _has_aliases(content: bytes) -> bool:
    try:
        return any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(content, yaml.SafeLoader))
    except yaml.YAMLError:
        return False  # the loader reports it, with its line


def _untrusted(error: DataError, root: Path) -> DataError:
    """One line naming the earlier edition's file (not the temporary folder) and the first
    problem, with how many more there are."""
    problems: list[DataError] = getattr(error, "errors", [error])
    first = problems[0]
    where = first.location
    parts = []
    if where is not None and where.file is not None:
        file = Path(where.file)
        name = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
        parts.append(":".join([name, *(str(n) for n in (where.line, where.column) if n)]))
    if first.field:
        parts.append(first.field)
    parts.append(first.message)
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return DataError(f"{_ORIGIN} is not valid: {': '.join(parts)}{more}")


@dataclass(frozen=True)
class ChangeList:
    """The changes of one language edition since an earlier edition; falsy when none."""

    since_id: str
    since_date: dt.date
    items: tuple[Change, ...] = ()
    language: str = SOURCE_LANGUAGE

    def __bool__(self) -> bool:
        return bool(self.items)

    def heading(self) -> str:
        """ "Changes since the edition of 27 November 2026 (2026-11-27)", in its language."""
        with _speaking(self.language):
            return phrase("changes_since", date=self._date(), edition=left_to_right(self.since_id))

    def nothing_changed(self) -> str:
        with _speaking(self.language):
            return phrase("no_changes", date=self._date(), edition=left_to_right(self.since_id))

    def lines(self, limit: int | None = None) -> list[str]:
        """One line a change; past ``limit`` lines the rest are counted ("…and 3 more")."""
        texts = [item.text for item in self.items]
        if limit is None or len(texts) <= limit:
            return texts
        shown = max(limit - 1, 0)
        with _speaking(self.language):
            return [*texts[:shown], phrase("changes_more", count=len(texts) - shown)]

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since_id,
            "since_date": self.since_date.isoformat(),
            "language": self.language,
            "changes": [item.as_json() for item in self.items],
        }

    def _date(self) -> str:
        return describe_partial_date(self.since_date.isoformat())


def edition_changes(
    previous: PreviousData, current: Localised, since_id: str, since_date: dt.date
) -> ChangeList:
    """What changed in ``current.language`` since the edition ``since_id``: the earlier data
    in that language against the current, labelled in that language's words."""
    before = previous.in_language(current.language)
    with _speaking(current.language):
        now = current.briefing
        found = [*figures_and_routes(before, now), *sources_and_texts(before, now)]
        items = (*found, *unclaimed(before, now))
    return ChangeList(since_id, since_date, items, current.language)


@contextmanager
def _speaking(code: str) -> Iterator[Language]:
    """The language being rendered if it is ``code`` (so its missing words are reported with
    the edition's), else that language loaded."""
    if active().code == code:
        yield active()
        return
    with use_language(load_language(code)) as language:
        yield language


def left_to_right(edition_id: str) -> str:
    """An edition id as it must read in a right-to-left sentence too: Pango sets the hyphens
    of "2026-11-27.2" between Persian words as right-to-left ("27.2-11-2026") unless the id
    is isolated left to right (U+2066 … U+2069)."""
    return f"\u2066{edition_id}\u2069" if active().direction == "rtl" else edition_id
