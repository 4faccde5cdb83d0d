"""The finished files of a build, still in memory, and what the manifest says of them.

The build adds each audience's PDF (and HTML) here; ``publish`` then replaces them
in the output folder together with a manifest listing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .files import lock_path, publish
from .manifest import MANIFEST_NAME, FileRecord, data_checksum, manifest_bytes

if TYPE_CHECKING:
    from ..data.audiences import Audience
    from ..data.models import Briefing


def slug(briefing: Briefing) -> str:
    """A stable file-name stem from the two countries: kazakhstan-iran."""
    return "-".join(c.short.lower().replace(" ", "-") for c in briefing.meta.countries)


@dataclass
class Editions:
    """Every audience's files by path, and each file's manifest record."""

    issued: str  # the edition timestamp, as the manifest gives it
    pdf_variant: str  # as --pdf-variant gives it: "none" for plain PDF
    files: dict[Path, bytes] = field(default_factory=dict)
    records: dict[Path, FileRecord] = field(default_factory=dict)

    def add(self, path: Path, pdf: bytes, audience: Audience, pages: int, signed: bool) -> None:
        variant = None if self.pdf_variant == "none" else self.pdf_variant
        self.files[path] = pdf
        self.records[path] = FileRecord(
            audience.id, audience.language, "pdf", pages, variant, signed
        )

    def add_html(self, path: Path, html: str, audience: Audience) -> None:
        self.files[path] = html.encode("utf-8")
        self.records[path] = FileRecord(audience.id, audience.language, "html", None, None, False)

    def publish(self, data_dir: Path, output: Path, state_folder: Path) -> list[Path]:
        """Replace the files in ``output``, the manifest last; return the files written."""
        context = {"data_sha256": data_checksum(data_dir), "issued": self.issued}

        def index() -> tuple[Path, bytes]:
            return output / MANIFEST_NAME, manifest_bytes(output, self.files, self.records, context)

        return publish(self.files, lock_path(state_folder, output), index)
