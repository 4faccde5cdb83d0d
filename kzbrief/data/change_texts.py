"""Two briefings' texts and sources compared: a rewritten sentence is reported as its section
"text revised" (the box names what to reread; it does not print both versions, which the JSON
listing carries), and whatever no comparison names is listed by its field path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..language.words import WORDS, phrase
from .change_items import Change, field_change, listed, pairs, value_change
from .models import Briefing
from .own_changes import CLAIMED as OWN_CLAIMED
from .own_changes import own_changes

# Each text of the narrative, the section it is read in, and the part of it, if one has a name.
_NARRATIVE = (
    ("summary", "summary", None),
    ("diplomacy", "diplomacy", None),
    ("visits", "diplomacy", "bilateral_visits"),
    ("multilateral", "multilateral", None),
    ("trade", "trade", None),
    ("composition", "trade", "what_is_traded"),
    ("transport", "transport", None),
    ("mediator", "mediator", None),
)
# The mediator's texts and lists (mediator.yaml), and the part each one is.
_MEDIATOR = (
    ("proposal", None),
    ("aims", None),
    ("precedent", "precedent"),
    ("precedent_detail", "precedent"),
    ("current_arrangement", "precedent"),
    ("benefits", "benefits"),
    ("risks", "risks"),
    ("first_steps", "first_steps"),
)
# Texts of other files, read in a section (the key is a field path of the briefing).
_OTHER_TEXTS = (
    ("diplomacy.agreements.description", "diplomacy", "agreements"),
    ("transport.ferry.description", "transport", "ferry"),
    ("transport.cargo.between", "transport", "ferry"),
    ("transport.cargo.goods", "transport", "ferry"),
)
# What the comparisons above and in change_items.py cover; the edition's own id is no change.
_CLAIMED = (
    "meta.edition", "meta.edition_revision", "trade.tolerance", "trade.currency", "trade.years",
    "trade.exports.items", "trade.imports.items", "diplomacy.milestones",
    "diplomacy.agreements.minimum", "diplomacy.multilateral", "diplomacy.visits.years",
    "transport.railway.segments", "transport.railway.completed", "transport.railway.agreed",
    "transport.railway.route", "transport.ferry.opened", "sources", "narrative", "mediator",
    *(key for key, _, _ in _OTHER_TEXTS), *OWN_CLAIMED,
)  # fmt: skip


def sources_and_texts(old: Briefing, new: Briefing) -> list[Change]:
    return [*_headings(old, new), *_texts(old, new), *_recommendations(old, new),
            *own_changes(old, new), *_sources(old, new)]  # fmt: skip


def _revised(new: Briefing, key: str, section: str, part: str | None, a: Any, b: Any) -> Change:
    heading = new.narrative.headings.get(section, section)
    line = (phrase("change_section_part_revised", section=heading, part=WORDS[part]) if part
            else phrase("change_section_revised", section=heading))  # fmt: skip
    return Change("changed", key, line, a, b, line)


def _texts(old: Briefing, new: Briefing) -> Iterator[Change]:
    for name, section, part in _NARRATIVE:
        a, b = getattr(old.narrative, name), getattr(new.narrative, name)
        if a != b:
            yield _revised(new, f"narrative.{name}", section, part, a, b)
    for name, part in _MEDIATOR:
        a, b = _plain(getattr(old.mediator, name)), _plain(getattr(new.mediator, name))
        if a != b:
            yield _revised(new, f"mediator.{name}", "mediator", part, a, b)
    for key, section, part in _OTHER_TEXTS:
        a, b = _at(old, key), _at(new, key)
        if a != b:
            yield _revised(new, key, section, part, a, b)


def _plain(value: BaseModel | None) -> Any:
    return None if value is None else value.model_dump(mode="json", by_alias=True)


def _at(briefing: Briefing, key: str) -> Any:
    value: Any = briefing.model_dump(mode="json", by_alias=True)
    for name in key.split("."):
        value = value[name]
    return value


def _headings(old: Briefing, new: Briefing) -> Iterator[Change]:
    label = phrase("change_heading")
    a, b = old.narrative, new.narrative
    before = {f"narrative.headings.{k}": v for k, v in a.headings.items()}
    after = {f"narrative.headings.{k}": v for k, v in b.headings.items()}
    for name in type(b.subheadings).model_fields:
        before[f"narrative.subheadings.{name}"] = getattr(a.subheadings, name)
        after[f"narrative.subheadings.{name}"] = getattr(b.subheadings, name)
    for key in dict.fromkeys([*after, *before]):
        was, now = before.get(key), after.get(key)
        if was is not None and now is not None and was != now:
            yield value_change(key, label, was, now, (was, now))
        elif was != now:
            yield field_change(key, was, now)


def _recommendations(old: Briefing, new: Briefing) -> Iterator[Change]:
    found = pairs(
        old.narrative.recommendations,
        new.narrative.recommendations,
        lambda a, b: a.title == b.title,
        lambda a, b: a.text == b.text,
    )
    yield from _entries(found, "change_recommendation", "narrative.recommendations", "title")


def _sources(old: Briefing, new: Briefing) -> Iterator[Change]:
    found = pairs(old.sources, new.sources, lambda a, b: a.id == b.id)
    yield from _entries(found, "change_source", "sources", "id")


def _entries(found: tuple, message: str, field: str, name: str) -> Iterator[Change]:
    """Entries of a list matched by ``name`` (a recommendation's title, a source's id):
    revised, removed, added; each named by its title in the edition's words."""
    matched, removed, added = found
    for a, b in matched:
        if a != b:
            line = phrase(f"{message}_revised", title=b.title)
            key = f"{field}[{getattr(b, name)}]"
            yield Change("changed", key, line, _plain(a), _plain(b), line)
    for kind, rows in (("removed", removed), ("added", added)):
        for row in rows:
            line = phrase(f"{message}_{kind}", title=row.title)
            yield listed(kind, f"{field}[{getattr(row, name)}]", line, _plain(row))


def unclaimed(old: Briefing, new: Briefing) -> list[Change]:
    """Differences in the fields no comparison covers (a port's position, the visiting
    sides…), each by its field path: a change is never left out for want of a label."""
    before, after = _flat(_plain(old)), _flat(_plain(new))
    keys = [k for k in dict.fromkeys([*after, *before]) if not _is_claimed(k)]
    return [field_change(k, before.get(k), after.get(k)) for k in keys
            if before.get(k) != after.get(k)]  # fmt: skip


def _is_claimed(key: str) -> bool:
    return any(key == c or key.startswith((f"{c}.", f"{c}[")) for c in _CLAIMED)


def _flat(value: Any, key: str = "") -> dict[str, Any]:
    """{"a": {"b": [1]}} -> {"a.b[0]": 1}: every leaf by its path."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for name, item in value.items():
            found |= _flat(item, f"{key}.{name}" if key else str(name))
        return found
    if isinstance(value, list) and value:
        return {k: v for i, item in enumerate(value) for k, v in _flat(item, f"{key}[{i}]").items()}
    return {key: value}
