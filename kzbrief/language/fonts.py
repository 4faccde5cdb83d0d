"""The typefaces kzbrief ships, as CSS @font-face data, chosen per edition language.

Source Serif Pro and Source Sans Pro come from PyPI packages; what no package ships is
vendored in ``typefaces/`` (see its README): Vazirmatn for Persian, and the italics of
Source Serif 4 and Source Sans 3, which have the Cyrillic that Source Serif Pro's and
Source Sans Pro's italics lack. All are under the SIL Open Font License, so the PDF
looks the same on every machine and never falls back to whatever the system has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import font_source_sans_pro
import font_source_serif_pro

from ..errors import KzbriefError, Location
from .scripts import script_of

VENDORED = Path(__file__).with_name("typefaces")

# (file stem suffix, CSS weight, CSS style)
_SOURCE_PRO = (
    ("Regular", 400, "normal"),
    ("It", 400, "italic"),
    ("Semibold", 600, "normal"),
    ("Bold", 700, "normal"),
    ("BoldIt", 700, "italic"),
)
_ITALICS = (("It", 400, "italic"), ("BoldIt", 700, "italic"))
_VAZIRMATN = (("Regular", 400, "normal"), ("SemiBold", 600, "normal"), ("Bold", 700, "normal"))
_SERIF_PRO = Path(font_source_serif_pro.font_directory)
_SANS_PRO = Path(font_source_sans_pro.font_directory)
# (family, file stem, folder, faces)
_FAMILIES = (
    ("Source Serif Pro", "SourceSerifPro", _SERIF_PRO, _SOURCE_PRO),
    ("Source Sans Pro", "SourceSansPro", _SANS_PRO, _SOURCE_PRO),
    ("Source Serif 4", "SourceSerif4", VENDORED / "source-serif-4", _ITALICS),
    ("Source Sans 3", "SourceSans3", VENDORED / "source-sans-3", _ITALICS),
    ("Vazirmatn", "Vazirmatn", VENDORED / "vazirmatn", _VAZIRMATN),
)
_STYLESHEET_FAMILIES = ("Source Serif Pro", "Source Sans Pro")  # the families print.css names
# Cyrillic italics: the successor whose italics have Cyrillic, family by family.
_CYRILLIC_ITALICS = {"Source Serif Pro": "Source Serif 4", "Source Sans Pro": "Source Sans 3"}

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
                    f"packaged font missing: {path.name} (reinstall kzbrief's dependencies)",
                    Location(path),
                )
            faces.append(FontFace(family, weight, style, path))
    return tuple(faces)


@cache
def edition_faces(language: str) -> tuple[FontFace, ...]:
    """The @font-face rules of an edition in ``language``.

    Every edition has Source Serif Pro and Source Sans Pro. Cyrillic editions take those
    families' italics from Source Serif 4 and Source Sans 3 (a second family in the CSS
    stack would not do: fontconfig ranks the family above the slant, so Pango would slant
    the upright Source Serif Pro instead, and unicode-range, which WeasyPrint 70 maps to a
    fontconfig charset, makes it set the Latin italics in another system font). Persian
    editions add Vazirmatn, whose upright faces also answer italic requests: Persian has no
    italic, and a fontconfig slant of the upright would be a distortion.
    """
    faces = [f for f in font_faces() if f.family in _STYLESHEET_FAMILIES]
    script = script_of(language)
    if script == "Cyrl":
        faces = [_cyrillic_italic(f) if f.style == "italic" else f for f in faces]
    if script == "Arab":
        upright = [f for f in font_faces() if f.family == "Vazirmatn"]
        faces += upright + [replace(f, style="italic") for f in upright]
    return tuple(faces)


def _cyrillic_italic(face: FontFace) -> FontFace:
    successor = _CYRILLIC_ITALICS[face.family]
    (twin,) = (f for f in font_faces() if f.family == successor and f.weight == face.weight)
    return replace(twin, family=face.family)


def font_folders() -> tuple[Path, ...]:
    return tuple(folder for _, _, folder, _ in _FAMILIES)
