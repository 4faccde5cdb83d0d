"""The data a PDF carries inside it: the YAML it was made from, attached as embedded files,
so the briefing carries its own data and a later edition can tell from the PDF alone what
changed since (data/changes.py reads them back)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..language import primary_language
from ..project import briefing_files


@dataclass(frozen=True)
class SourceFile:
    """A data file embedded in the PDF, so the briefing carries its own data."""

    name: str
    content: bytes
    description: str


def source_files(
    data_dir: Path, config_file: Path | None, language: str = "en"
) -> tuple[SourceFile, ...]:
    """The data files a PDF is made from, to embed in it: the data folder's YAML files, the
    audience's configuration (``config_file``), if it has one, and the translation files of
    the edition's ``language`` (``i18n/ru/...``), so that a later edition can tell from the
    PDF alone what changed in that language since."""
    paths = briefing_files(data_dir)
    if config_file is not None:
        paths.append(config_file)
    paths += translation_files(data_dir, language)
    return tuple(
        SourceFile(
            name=path.relative_to(data_dir).as_posix()
            if path.is_relative_to(data_dir)
            else path.name,
            content=path.read_bytes(),
            description="kzbrief source data (YAML)",
        )
        for path in paths
    )


def translation_files(data_dir: Path, language: str) -> list[Path]:
    """``data/i18n/<primary>/**/*.yaml`` (English has none: the data is written in it)."""
    primary = primary_language(language)
    return [] if primary == "en" else sorted((data_dir / "i18n" / primary).rglob("*.yaml"))
