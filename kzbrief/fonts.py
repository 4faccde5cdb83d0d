"""The typefaces that ship with kzbrief's dependencies, as CSS @font-face data.

Fonts come from PyPI packages (Source Serif Pro, Source Sans Pro; SIL Open
Font License), so the PDF looks the same on every machine and never falls back
to whatever the system happens to have.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

from .errors import KzbriefError, Location

# (file stem suffix, CSS weight, CSS style)
_FACES = (
    ("Regular", 400, "normal"),
    ("It", 400, "italic"),
    ("Semibold", 600, "normal"),
    ("Bold", 700, "normal"),
    ("BoldIt", 700, "italic"),
)
_FAMILIES = (
    ("Source Serif Pro", "SourceSerifPro", font_source_serif_pro.font_directory),
    ("Source Sans Pro", "SourceSansPro", font_source_sans_pro.font_directory),
)


FONT_FAMILIES = tuple(family for family, _, _ in _FAMILIES)


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    path: Path

    @property
    def url(self) -> str:
        return self.path.as_uri()


@cache
def font_faces() -> tuple[FontFace, ...]:
    """Every face the stylesheet uses; a missing one is an install problem, not a fallback."""
    faces = []
    for family, stem, folder in _FAMILIES:
        for suffix, weight, style in _FACES:
            path = Path(folder) / f"{stem}-{suffix}.ttf"
            if not path.is_file():
                raise KzbriefError(
                    f"packaged font missing: {path.name} (reinstall kzbrief's dependencies)",
                    Location(path),
                )
            faces.append(FontFace(family, weight, style, path))
    return tuple(faces)


def font_folders() -> tuple[Path, ...]:
    return tuple(Path(folder) for _, _, folder in _FAMILIES)
