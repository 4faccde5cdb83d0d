"""Two briefings compared fact by fact: the figures, milestones and routes that changed, each
as one readable line in the language being rendered (its amounts and dates by that language's
rules), and a stable key for machines (``trade.years[2011].export``).

Rows are matched by what identifies them (a trade year, a milestone's date, a body's
abbreviation, a railway section's country), not by their place in a list, so an added year
reads as one added year. Texts are compared in change_texts.py, which also lists whatever no
comparison names, so that no difference goes unlisted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..language.current import active
from ..language.text import describe_partial_date, format_money, number, plain
from ..language.words import WORDS, phrase
from .fields import year_ranges
from .models import Briefing, Milestone
from .trade_transport import TradeYear

Kind = Literal["changed", "added", "removed"]
NOTHING = "\u2014"  # a value that is not there (before an addition, after a removal)


@dataclass(frozen=True)
class Change:
    """One change: what kind, which fact (``key``), its label and values, and its line."""

    kind: Kind
    key: str
    label: str
    old: Any
    new: Any
    text: str  # the line a reader sees

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "label": self.label, "old": self.old,
                "new": self.new, "text": self.text}  # fmt: skip


def value_change(key: str, label: str, old: Any, new: Any, shown: tuple[str, str]) -> Change:
    """A value that changed, shown as "label: old → new" (``shown``: the two as printed)."""
    line = phrase("change_value", label=label, old=shown[0], new=shown[1])
    return Change("changed", key, label, old, new, line)


def listed(kind: Kind, key: str, line: str, value: Any) -> Change:
    """A row added (``value`` its content) or removed; its line is its label too."""
    old, new = (None, value) if kind == "added" else (value, None)
    return Change(kind, key, line, old, new, line)


def figures_and_routes(old: Briefing, new: Briefing) -> list[Change]:
    """The differences in trade, diplomacy and transport facts, in that order."""
    return [*_trade(old, new), *_diplomacy(old, new), *_transport(old, new)]


def _trade(old: Briefing, new: Briefing) -> Iterator[Change]:
    currency = new.trade.currency
    if old.trade.currency != currency:
        shown = (old.trade.currency, currency)
        yield value_change("trade.currency", phrase("change_currency"), *shown, shown)
    before = {row.year: row for row in old.trade.years}
    after = {row.year: row for row in new.trade.years}
    for year in sorted(before.keys() | after.keys()):
        key, was, now = f"trade.years[{year}]", before.get(year), after.get(year)
        if was is None or now is None:
            row = now or was
            assert row is not None
            kind: Kind = "added" if was is None else "removed"
            amounts = {a: format_money(getattr(row, a), currency) for _, a in _FIGURES}
            line = (phrase("change_year_added", year=year, **amounts) if kind == "added"
                    else phrase("change_year_removed", year=year))  # fmt: skip
            yield listed(kind, key, line, _figures(row))
            continue
        for (name, attribute), message in zip(_FIGURES, _FIGURE_LABELS, strict=True):
            a, b = getattr(was, attribute), getattr(now, attribute)
            if a != b:
                shown = (format_money(a, old.trade.currency), format_money(b, currency))
                yield value_change(f"{key}.{name}", phrase(message, year=year), a, b, shown)
        if old.trade.source_of(was) != new.trade.source_of(now):
            a, b = old.trade.source_of(was), new.trade.source_of(now)
            shown = (old.source(a).title, new.source(b).title)
            label = phrase("change_year_source", year=year)
            yield value_change(f"{key}.source", label, a, b, shown)
    own, partner = (country.short for country in new.meta.countries)
    for side, message in (("exports", "exports_to"), ("imports", "imports_from")):
        a, b = getattr(old.trade, side).items, getattr(new.trade, side).items
        if a != b:
            label = phrase(message, own=own, partner=partner)
            yield value_change(f"trade.{side}.items", label, a, b, (_list(a), _list(b)))


_FIGURES = (("turnover", "turnover"), ("export", "export"), ("import", "import_"))
_FIGURE_LABELS = ("change_turnover", "change_export", "change_import")


def _figures(row: TradeYear) -> dict[str, float]:
    return {name: getattr(row, attribute) for name, attribute in _FIGURES}


def _list(items: Sequence[str]) -> str:
    return WORDS["list_separator"].join(items)


def pairs(
    old: Sequence[Any], new: Sequence[Any], *rules: Callable[[Any, Any], bool]
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Rows of ``old`` matched with rows of ``new`` by the first rule that matches them, in
    order; then the rows left over in each (removed, added)."""
    removed, added = list(old), list(new)
    matched: list[tuple[Any, Any]] = []
    for rule in rules:
        for a in list(removed):
            b = next((b for b in added if rule(a, b)), None)
            if b is not None:
                matched.append((a, b))
                removed.remove(a)
                added.remove(b)
    return matched, removed, added


def _diplomacy(old: Briefing, new: Briefing) -> Iterator[Change]:
    yield from _milestones(old.diplomacy.milestones, new.diplomacy.milestones)
    was, now = old.diplomacy.agreements, new.diplomacy.agreements
    if was.minimum != now.minimum:
        label, more = phrase("change_agreements"), "change_more_than"
        shown = (phrase(more, minimum=was.minimum), phrase(more, minimum=now.minimum))
        yield value_change("diplomacy.agreements.minimum", label, was.minimum, now.minimum, shown)
    matched, removed, added = pairs(
        old.diplomacy.multilateral, new.diplomacy.multilateral, lambda a, b: a.abbr == b.abbr
    )
    for a, b in matched:
        if a.name != b.name:
            key = f"diplomacy.multilateral[{b.abbr}].name"
            yield value_change(key, b.abbr, a.name, b.name, (a.name, b.name))
    for kind, bodies, message in (
        ("removed", removed, "change_body_removed"),
        ("added", added, "change_body_added"),
    ):
        for body in bodies:
            line = phrase(message, abbr=body.abbr, name=body.name)
            yield listed(kind, f"diplomacy.multilateral[{body.abbr}]", line, body.name)
    years = set(old.diplomacy.visits.years), set(new.diplomacy.visits.years)
    for kind, wanted, message in (
        ("added", sorted(years[1] - years[0]), "change_visit_years_added"),
        ("removed", sorted(years[0] - years[1]), "change_visit_years_removed"),
    ):
        if wanted:
            line = phrase(message, years=active().digits(year_ranges(wanted)))
            yield listed(kind, "diplomacy.visits.years", line, wanted)


def _milestones(old: list[Milestone], new: list[Milestone]) -> Iterator[Change]:
    matched, removed, added = pairs(
        old,
        new,
        lambda a, b: a.date == b.date and a.event == b.event,
        lambda a, b: a.date == b.date,
        lambda a, b: a.event == b.event,
    )
    for a, b in matched:
        key = f"diplomacy.milestones[{b.date}]"
        if a.date != b.date:
            label = phrase("change_milestone_date", event=b.event)
            shown = (describe_partial_date(a.date), describe_partial_date(b.date))
            yield value_change(f"diplomacy.milestones[{a.date}].date", label, a.date, b.date, shown)
        if a.event != b.event:
            line = phrase("change_milestone_revised", date=describe_partial_date(b.date))
            yield Change("changed", f"{key}.event", line, a.event, b.event, line)
        if a.source != b.source:
            yield field_change(f"{key}.source", a.source, b.source)
    for kind, rows, message in (
        ("removed", removed, "change_milestone_removed"),
        ("added", added, "change_milestone_added"),
    ):
        for row in rows:
            line = phrase(message, date=describe_partial_date(row.date), event=row.event)
            yield listed(kind, f"diplomacy.milestones[{row.date}]", line, row.event)


def field_change(key: str, old: Any, new: Any) -> Change:
    """A difference no comparison names: its key, and its values where they are short."""
    kind: Kind = "added" if old is None else "removed" if new is None else "changed"
    short = all(isinstance(v, str | int | float | None) and len(str(v)) <= 40 for v in (old, new))
    if short:
        shown = tuple(NOTHING if v is None else str(v) for v in (old, new))
        line = phrase("change_value", label=key, old=shown[0], new=shown[1])
    else:
        line = phrase("change_field", key=key)
    return Change(kind, key, key, old, new, line)


def _transport(old: Briefing, new: Briefing) -> Iterator[Change]:
    was, now = old.transport.railway, new.transport.railway
    matched, removed, added = pairs(was.segments, now.segments, lambda a, b: a.country == b.country)
    for a, b in matched:
        if a.km != b.km:
            label = phrase("change_segment", country=b.country)
            shown = (phrase("km", km=plain(a.km)), phrase("km", km=plain(b.km)))
            key = f"transport.railway.segments[{b.country}].km"
            yield value_change(key, label, a.km, b.km, shown)
    for kind, rows, message in (
        ("removed", removed, "change_segment_removed"),
        ("added", added, "change_segment_added"),
    ):
        for row in rows:
            segment = phrase("km_in_country", km=plain(row.km), country=row.country)
            line = phrase(message, segment=segment)
            yield listed(kind, f"transport.railway.segments[{row.country}]", line, row.km)
    if was.total_km != now.total_km:
        shown = (phrase("km", km=plain(was.total_km)), phrase("km", km=plain(now.total_km)))
        label = phrase("change_railway_total")
        yield value_change("transport.railway.total_km", label, was.total_km, now.total_km, shown)
    done = pairs(was.completed, now.completed, lambda a, b: a.country == b.country)
    for a, b in done[0]:
        if a.year != b.year:
            label = phrase("change_completed", country=b.country)
            key = f"transport.railway.completed[{b.country}]"
            yield value_change(key, label, a.year, b.year, (number(a.year), number(b.year)))
    for kind, rows in (("removed", done[1]), ("added", done[2])):
        for row in rows:
            label = phrase("change_completed", country=row.country)
            before, after = (None, row.year) if kind == "added" else (row.year, None)
            shown = [NOTHING if v is None else number(v) for v in (before, after)]
            line = phrase("change_value", label=label, old=shown[0], new=shown[1])
            key = f"transport.railway.completed[{row.country}]"
            yield Change(kind, key, label, before, after, line)
    if was.agreed != now.agreed:
        shown = (describe_partial_date(was.agreed), describe_partial_date(now.agreed))
        yield value_change("transport.railway.agreed", phrase("change_railway_agreed"),
                           was.agreed, now.agreed, shown)  # fmt: skip
    if was.route != now.route:
        shown = (" \u2013 ".join(was.route), " \u2013 ".join(now.route))
        label = phrase("change_route")
        yield value_change("transport.railway.route", label, was.route, now.route, shown)
    a, b = old.transport.ferry.opened.isoformat(), new.transport.ferry.opened.isoformat()
    if a != b:
        shown = (describe_partial_date(a), describe_partial_date(b))
        yield value_change("transport.ferry.opened", phrase("change_ferry_opened"), a, b, shown)
