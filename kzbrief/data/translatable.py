"""Which strings of the data are text a translator translates, and which are names.

Text is translated where it stands: each string has a key, its dotted path in the English
file (``narrative.headings.trade``), and the translation mirrors that file. Names of
countries and places are translated once, in ``names.yaml``, because the same name is used
as a key in several places (the railway's route names the map's stations) and must read the
same everywhere. Numbers, dates, ids and codes are never translated: they are the facts,
and keeping them out of the translation files means they cannot diverge (a code printed as a
name is the one exception, below).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Location
from .load import FieldPath, YamlDocument, strings_in

NAMES_FILE = "names.yaml"
# Text fields by top-level section; "*" is any list index or mapping key, "**" everything.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "meta": (
        "title", "subtitle", "series", "organisation", "author", "keywords.*",
    ),
    "sources": ("*.title", "*.publisher", "*.note"),
    "diplomacy": (
        "milestones.*.event", "agreements.description", "multilateral.*.abbr",
        "multilateral.*.name",
    ),
    "trade": ("exports.items.*", "imports.items.*"),
    "transport": ("ferry.description", "ferry.destination", "cargo.between", "cargo.goods.*"),
    "mediator": ("*.text", "*.items.*"),
    "narrative": ("**",),
    # The project's own sections and declared charts (data/own.py), by id.
    "sections": (
        "*.heading", "*.paragraphs.*", "*.facts.*.label", "*.facts.*.unit", "*.points.*.text",
    ),
    "charts": ("*.title", "*.units", "*.alt", "*.categories.*", "*.series.*.name"),
    "audience": ("title", "description", "distribution", "lead", "notes.*", "watermark"),
}  # fmt: skip
# Names: the same English name has one translation wherever it appears.
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "meta": ("countries.*.name", "countries.*.short"),
    "diplomacy": ("visits.sides.*",),
    "transport": (
        "ferry.from", "ferry.to.*", "railway.place", "railway.parties.*", "railway.route.*",
        "railway.segments.*.country", "railway.completed.*.country", "places.*.name",
        "places.*.country",
    ),
}  # fmt: skip


# Codes are ids ("RK", "AZ"): never a string a translator is asked for. Where a code is also
# printed (the visits' sides name the countries by code, "IRI (Iran)"), it is a name there and
# translated in names.yaml; the country's code then takes that same translation, so the sides
# still find their country.
CODE_FIELDS: dict[str, tuple[str, ...]] = {"meta": ("countries.*.code",)}


@dataclass(frozen=True)
class Unit:
    """One string to translate: where its translation lives and what the English says."""

    file: str  # the translation file, relative to data/i18n/<lang>/: "narrative.yaml"
    key: str  # "narrative.headings.trade", or the English name itself in names.yaml
    english: str
    where: Location  # the English, for messages


def _matches(pattern: str, path: FieldPath) -> bool:
    if pattern == "**":
        return True
    parts = pattern.split(".")
    if len(parts) != len(path):
        return False
    return all(p in ("*", str(q)) for p, q in zip(parts, path, strict=True))


def key_of(path: FieldPath) -> str:
    return ".".join(str(part) for part in path)


def units_of(document: YamlDocument, data_dir: Path) -> list[Unit]:
    """The text strings of one English data file (a briefing file or an audience file)."""
    file = document.path.relative_to(data_dir).as_posix()
    units = []
    for section, value in (document.data or {}).items():
        patterns = TEXT_FIELDS.get(section, ())
        for path, text in strings_in(value):
            if text.strip() and any(_matches(pattern, path) for pattern in patterns):
                full = (section, *path)
                units.append(Unit(file, key_of(full), text, document.locate(full)))
    return units


def name_units(documents: list[YamlDocument]) -> list[Unit]:
    """Every distinct name in the briefing files, in order of first appearance."""
    seen: dict[str, Unit] = {}
    for document in documents:
        for section, value in (document.data or {}).items():
            patterns = NAME_FIELDS.get(section, ())
            for path, text in strings_in(value):
                if text.strip() and any(_matches(p, path) for p in patterns) and text not in seen:
                    seen[text] = Unit(NAMES_FILE, text, text, document.locate((section, *path)))
    return list(seen.values())


def is_name(section: str, path: FieldPath) -> bool:
    """A name, or a code, whose translation (if names.yaml has one) is laid over it."""
    fields = (*NAME_FIELDS.get(section, ()), *CODE_FIELDS.get(section, ()))
    return any(_matches(pattern, path) for pattern in fields)


def is_text(section: str, path: FieldPath) -> bool:
    return any(_matches(pattern, path) for pattern in TEXT_FIELDS.get(section, ()))
