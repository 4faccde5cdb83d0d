"""The finished files of a build, still in memory, and what the manifest says of them.

The build adds each edition's file (PDF or web page) here; ``publish`` then replaces them
in the output folder together with a manifest listing them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..edition import check_page_budget
from ..errors import BudgetError
from .files import lock_path, publish
from .manifest import (
    MANIFEST_NAME,
    FileRecord,
    data_checksum_of,
    listed_entries,
    manifest_bytes,
)

if TYPE_CHECKING:
    from ..data.models import Briefing
    from ..edition import Edition
    from ..formats.format import Output


def slug(briefing: Briefing) -> str:
    """A stable file-name stem from the two countries: kazakhstan-iran."""
    return "-".join(c.short.lower().replace(" ", "-") for c in briefing.meta.countries)


@dataclass
class Editions:
    """Every edition's file by path, and each file's manifest record."""

    issued: str  # the edition timestamp, as the manifest gives it
    edition_id: str  # meta.edition: 2026-11-27, or 2026-11-27.2
    data: dict[str, bytes]  # the data files the editions were made from (data_files)
    pdf_variant: str  # as --pdf-variant gives it: "none" for plain PDF
    files: dict[Path, bytes] = field(default_factory=dict)
    records: dict[Path, FileRecord] = field(default_factory=dict)
    pair: str | None = None  # the countries' file-name stem (slug), once add_all is given it

    def add(
        self, edition: Edition, path: Path, content: bytes, pages: int | None, signed: bool
    ) -> None:
        is_pdf = edition.format == "pdf"
        variant = self.pdf_variant if is_pdf and self.pdf_variant != "none" else None
        self.files[path] = content
        self.records[path] = FileRecord(
            edition.audience.id, edition.language, edition.format, pages, variant, signed
        )

    def add_all(
        self,
        editions: list[Edition],
        outputs: Mapping[int, Output],
        folder: Path,
        stem: str,
        enforce_budgets: bool = True,
    ) -> list[BudgetError]:
        """Each edition's file (``outputs`` by its number in ``editions``), in plan order:
        an audience's formats together. An edition over its page budget fails the build,
        unless budgets are not enforced: then it is kept and its error returned."""
        over, self.pair = [], stem
        for number, edition in enumerate(editions):
            output = outputs[number]
            try:
                check_page_budget(edition, output.pages)
            except BudgetError as error:
                if enforce_budgets:
                    raise
                over.append(error)
            path = folder / edition.file_name(stem)
            self.add(edition, path, output.content, output.pages, output.signed)
        return over

    def publish(self, output: Path, state_folder: Path) -> list[Path]:
        """Replace the files in ``output``, the manifest last; return the files written."""
        context = {
            "edition": self.edition_id,
            "data_sha256": data_checksum_of(self.data),
            "issued": self.issued,
            **({"pair": self.pair} if self.pair is not None else {}),
        }

        retired: list[Path] = []

        def retire() -> list[Path]:
            retired.extend(self.retired(output))
            return retired

        def index() -> tuple[Path, bytes]:
            content = manifest_bytes(output, self.files, self.records, context, retired)
            return output / MANIFEST_NAME, content

        return publish(self.files, lock_path(state_folder, output), index, retire)

    def retired(self, output: Path) -> list[Path]:
        """The editions the manifest in ``output`` lists that the current data no longer
        produces: one this build makes under another name (the same audience, language and
        format: the countries, and with them the file names, were renamed), and one made for
        another country pair (its entry's ``pair``), whichever audience this build makes.
        Only editions kzbrief listed there: never a numbered copy, never a file the manifest
        does not list."""
        made = {(r.audience, r.language, r.kind) for r in self.records.values()}
        names = {path.relative_to(output).as_posix() for path in self.files}
        retired = []
        for entry in listed_entries(output):
            name = entry.get("file")
            if not isinstance(name, str) or "/" in name or name in names:
                continue  # numbered copies sit in copies/<audience>/
            edition = (entry.get("audience"), entry.get("language"), entry.get("kind"))
            other_pair = self.pair is not None and entry.get("pair", self.pair) != self.pair
            if entry.get("copy") is None and (edition in made or other_pair):
                retired.append(output / name)
        return retired

    def built(self) -> list[tuple[str, str, str, str]]:
        """(audience, language, format, SHA-256) of each file, for the register."""
        return [
            (r.audience, r.language, r.kind, hashlib.sha256(self.files[path]).hexdigest())
            for path, r in self.records.items()
        ]
