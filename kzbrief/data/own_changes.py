"""The project's own sections and charts compared between two editions: a section or figure
added or removed, a fact whose value changed (by its label, as a value), any other rewrite
as "text revised" or "data revised". Without this, each difference would be listed only by
its field path (change_texts.unclaimed)."""

from __future__ import annotations

from collections.abc import Iterator

from ..language.text import plain
from ..language.words import phrase
from .change_items import Change, listed, value_change
from .models import Briefing
from .own import Fact, OwnSection

CLAIMED = ("sections", "charts")  # what this module compares, for change_texts.unclaimed


def own_changes(old: Briefing, new: Briefing) -> Iterator[Change]:
    for section_id in dict.fromkeys([*new.sections, *old.sections]):
        a, b = old.sections.get(section_id), new.sections.get(section_id)
        key = f"sections.{section_id}"
        if a is None or b is None:
            kind = "added" if a is None else "removed"
            shown = b or a
            assert shown is not None  # the id comes from one of the two
            line = phrase(f"change_section_{kind}", section=shown.heading)
            yield listed(kind, key, line, shown.model_dump(mode="json"))
        elif a != b:
            yield from _section(key, a, b)
    for chart_key in dict.fromkeys([*new.charts, *old.charts]):
        c, d = old.charts.get(chart_key), new.charts.get(chart_key)
        key = f"charts.{chart_key}"
        if c is None or d is None:
            kind = "added" if c is None else "removed"
            title = (d or c).title  # type: ignore[union-attr]  # one of the two is there
            line = phrase(f"change_figure_{kind}", title=title)
            yield listed(kind, key, line, (d or c).model_dump(mode="json"))  # type: ignore[union-attr]
        elif c != d:
            line = phrase("change_figure_revised", title=d.title)
            yield Change(
                "changed", key, line, c.model_dump(mode="json"), d.model_dump(mode="json"), line
            )


def _section(key: str, a: OwnSection, b: OwnSection) -> Iterator[Change]:
    """A fact matched by its label whose value alone changed is a value change; anything
    else that differs is the section's text revised, said once."""
    before = {fact.label: fact for fact in a.facts}
    values = [
        (fact, before[fact.label])
        for fact in b.facts
        if fact.label in before and _same_but_value(before[fact.label], fact)
    ]
    for fact, was in values:
        label = fact.label if fact.year is None else f"{fact.label} ({fact.year})"
        shown = (_shown(was), _shown(fact))
        yield value_change(f"{key}.facts[{fact.label}]", label, was.value, fact.value, shown)
    changed = {fact.label for fact, _ in values}
    rest_a = a.model_copy(update={"facts": [f for f in a.facts if f.label not in changed]})
    rest_b = b.model_copy(update={"facts": [f for f in b.facts if f.label not in changed]})
    if rest_a != rest_b:
        line = phrase("change_section_revised", section=b.heading)
        yield Change(
            "changed", key, line, a.model_dump(mode="json"), b.model_dump(mode="json"), line
        )


def _same_but_value(a: Fact, b: Fact) -> bool:
    return a.value != b.value and a.model_copy(update={"value": b.value}) == b


def _shown(fact: Fact) -> str:
    return f"{plain(fact.value)} {fact.unit}".strip()
