"""The typefaces kzbrief ships, as CSS @font-face data, chosen per edition language.

All are vendored in ``typefaces/`` (see its README), only the faces the stylesheets use:
Source Serif 4 for the text, Source Sans 3 for headings and charts (Latin and Cyrillic,
Kazakh's letters included, in every face), Vazirmatn for Persian. All are under the SIL Open
Font License, so the PDF looks the same on every machine and never falls back to whatever
the system has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..errors import KzbriefError, Location
from .scripts import script_of

VENDORED = Path(__file__).with_name("typefaces")

# (file stem suffix, CSS weight, CSS style)
_SERIF = (
    ("Regular", 400, "normal"),
    ("It", 400, "italic"),
    ("Bold", 700, "normal"),
    ("BoldIt", 700, "italic"),
)
# Semibold: headings, the cover, the running heads and chart titles.
_SANS = (*_SERIF, ("Semibold", 600, "normal"))
_VAZIRMATN = (("Regular", 400, "normal"), ("SemiBold", 600, "normal"), ("Bold", 700, "normal"))
# (family, file stem, folder, faces)
_FAMILIES = (
    ("Source Serif 4", "SourceSerif4", VENDORED / "source-serif-4", _SERIF),
    ("Source Sans 3", "SourceSans3", VENDORED / "source-sans-3", _SANS),
    ("Vazirmatn", "Vazirmatn", VENDORED / "vazirmatn", _VAZIRMATN),
)
_STYLESHEET_FAMILIES = ("Source Serif 4", "Source Sans 3")  # the families print.css names

FONT_FAMILIES = tuple(family for family, _, _, _ in _FAMILIES)


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
    """Every packaged face, once, under its own family name; a missing one is an install
    problem, not a fallback."""
    faces = []
    for family, stem, folder, table in _FAMILIES:
        for suffix, weight, style in table:
            path = folder / f"{stem}-{suffix}.ttf"
            if not path.is_file():
                raise KzbriefError(
                    f"packaged font missing: {path.name} (reinstall kzbrief)",
                    Location(path),
                )
            faces.append(FontFace(family, weight, style, path))
    return tuple(faces)


@cache
def edition_faces(language: str) -> tuple[FontFace, ...]:
    """The @font-face rules of an edition in ``language``.

    Every edition has Source Serif 4 and Source Sans 3. Persian editions add Vazirmatn, whose
    upright faces also answer italic requests: Persian has no italic, and a fontconfig slant
    of the upright would be a distortion.
    """
    faces = [f for f in font_faces() if f.family in _STYLESHEET_FAMILIES]
    if script_of(language) == "Arab":
        upright = [f for f in font_faces() if f.family == "Vazirmatn"]
        faces += upright + [replace(f, style="italic") for f in upright]
    return tuple(faces)


def font_folders() -> tuple[Path, ...]:
    return tuple(folder for _, _, folder, _ in _FAMILIES)
