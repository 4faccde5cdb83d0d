"""Text left from the country pair a briefing's data started from.

A briefing starts from a copy of the shipped example (Kazakhstan and Iran) or of the
``init`` skeleton (Country A and Country B). Changing ``meta.countries`` to another pair
renames the files and the cover, but the prose, the captions and the map's places are
rewritten by hand, and a sentence that still says "Iran" in a briefing on Kazakhstan and
Azerbaijan reads as a fact. The build warns about every text field that names a country of
those starting pairs which is not in ``meta.countries`` (with file, line and field), so
``--strict`` stops it. A country that belongs in the text although it is not one of the
pair (a transit country, a neighbour) is named by a country outside these lists, and is
never warned about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..data.load import FieldPath, YamlDocument, format_field_path, strings_in
from ..errors import DataError

# The countries of the pairs a project's data starts from, each with the names, full
# names and adjectives its text uses: data/meta.yaml (the example), kzbrief/skeleton/.
STARTING_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Kazakhstan": ("Kazakhstan", "Republic of Kazakhstan", "Kazakhstani", "Kazakh"),
    "Iran": ("Iran", "Islamic Republic of Iran", "Iranian"),
    "Country A": ("Country A",),
    "Country B": ("Country B",),
}


def pair_warnings(documents: Iterable[YamlDocument]) -> list[str]:
    """One warning per text field naming a starting country that ``meta.countries`` lacks
    (none when the data has no readable ``meta.countries``: validation reports that)."""
    documents = list(documents)
    pair = _pair(documents)
    if not pair:
        return []
    stale = {
        country: names
        for country, names in STARTING_COUNTRIES.items()
        if not set(pair) & {country, *names}
    }
    if not stale:
        return []
    shown = " and ".join(pair)
    patterns = {
        country: re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names))
        for country, names in stale.items()
    }
    warnings = []
    for document in documents:
        for path, text in _prose(document.data):
            for country, pattern in patterns.items():
                if match := pattern.search(text):
                    warnings.append(_warning(document, path, match[0], country, shown))
    return warnings


def _pair(documents: list[YamlDocument]) -> list[str]:
    """The short names of meta.countries (what a country is called in running text)."""
    for document in documents:
        data = document.data
        meta = data.get("meta") if isinstance(data, dict) else None
        countries = meta.get("countries") if isinstance(meta, dict) else None
        if isinstance(countries, list):
            return [str(c.get("short")) for c in countries if isinstance(c, dict)]
    return []


def _prose(data: Any) -> Iterator[tuple[FieldPath, str]]:
    """Every text value but the pair's short names and codes (a full name is checked: the
    short name changed, the full name left, is text left from the old pair too)."""
    for path, text in strings_in(data):
        if path[:2] != ("meta", "countries") or path[-1] == "name":
            yield path, text


def _warning(document: YamlDocument, path: FieldPath, name: str, country: str, shown: str) -> str:
    which = "" if name == country else f" ({country})"
    problem = (
        f"still names {name!r}{which}, of the pair the data started from, but "
        f"meta.countries are {shown} (rewrite it for the new pair)"
    )
    return str(DataError(problem, document.find(path, name), format_field_path(path)))
