"""Typed models of the briefing data: the one source of truth for every fact.

Models only describe and check the data; reading files lives in ``load`` and
turning files into a ``Briefing`` lives in ``briefing``. This module holds the
meta, sources, diplomacy, mediator and narrative models and the ``Briefing`` that
gathers every data file; trade_transport.py holds the figures and routes, and
fields.py what all of them are built from.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, field_validator, model_validator

from ..data.edition_id import EDITION_ID
from ..data.fields import Model, PartialDate, Sourced, Year, check_years
from ..data.own import (
    BUILT_IN_CHARTS,
    BUILT_IN_SECTIONS,
    DeclaredChart,
    OwnId,
    OwnSection,
)
from ..data.own import not_built_in as _not_built_in
from ..data.trade_transport import Trade, Transport


class Source(Model):
    # What each fact names in its source: field: lower-case letters, digits and '-', e.g. seed.
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    # primary (the source document), reference (a public fact) or analysis (your own judgement).
    kind: Literal["primary", "reference", "analysis"]
    title: str  # the source's title, as the Sources section lists it
    publisher: str  # who published it, e.g. "Swiss Federal Department of Foreign Affairs"
    note: str = ""  # what it covers and which facts come from it (optional; printed after it)


class Country(Model):
    code: str  # a short code the tables and visits.sides use, e.g. RK
    name: str  # the full name, e.g. "Republic of Kazakhstan"
    short: str  # the name in running text, e.g. "Kazakhstan"


# An editor sees ``edition: 2026-11-27.2`` as text: the schema takes the whole edition id.
EditionDate = Annotated[dt.date, WithJsonSchema({"type": "string", "pattern": EDITION_ID.pattern})]


class Meta(Model):
    title: str  # the cover's main title, e.g. "Kazakhstan and Iran"
    subtitle: str  # what the briefing is about, in one line under the title
    series: str  # the small line above the title, e.g. "Policy briefing"
    edition: EditionDate  # the date part of the edition id (``meta.edition: 2026-11-27.2``)
    edition_revision: int = Field(default=1, ge=1, le=999)  # the ".2"; 1: none
    organisation: str  # who issues the briefing: printed at the foot of the cover
    author: str  # the author or unit, in the PDF's metadata
    # The language the data is written in, as a two-letter code with an optional region: en, en-GB.
    language: str = Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    # Words for the PDF's metadata and for search engines, e.g. [trade, Caspian Sea].
    keywords: list[str] = Field(default_factory=list)
    # Exactly two: the pair the briefing is about. Trade figures are seen from the first.
    countries: list[Country] = Field(min_length=2, max_length=2)

    @model_validator(mode="before")
    @classmethod
    def _split_edition_id(cls, values: object) -> object:
        """``edition: 2026-11-27.2`` (YAML reads it as text) -> the date and revision 2."""
        if isinstance(values, dict) and isinstance(values.get("edition"), str):
            match = EDITION_ID.match(values["edition"].strip())
            if match and match[2]:
                values = {**values, "edition": match[1], "edition_revision": int(match[2])}
        return values

    @property
    def edition_id(self) -> str:
        """What names this edition everywhere: 2026-11-27, or 2026-11-27.2 for the second."""
        suffix = f".{self.edition_revision}" if self.edition_revision > 1 else ""
        return self.edition.isoformat() + suffix


class Milestone(Sourced):
    date: PartialDate  # a year (1992), a month (2007-12) or a day (1999-01-29); oldest first
    event: str  # what happened, e.g. "Iran opens its embassy in Kazakhstan"


class Agreements(Sourced):
    # How many documents were signed, as the source counts them: 60 is printed "more than 60".
    minimum: int = Field(ge=0)
    description: str  # what kinds, in the plural, e.g. "intergovernmental agreements and documents"


class Organisation(Sourced):
    abbr: str  # its short name, e.g. SCO
    name: str  # its full name, e.g. "Shanghai Cooperation Organization"


class Visits(Sourced):
    # The two sides the visits are between, by their codes in meta.countries, e.g. [IRI, RK].
    sides: list[str] = Field(min_length=1)
    # The years with official visits, ascending and each once, e.g. [1992, 1993, 1996].
    years: list[Year] = Field(min_length=1)
    # None means the source does not say; the briefing must then say so, not guess.
    counts: dict[Year, int] | None = None

    @field_validator("years")
    @classmethod
    def _years_unique_and_ordered(cls, years: list[int]) -> list[int]:
        return check_years(years)


class Diplomacy(Model):
    milestones: list[Milestone]  # dated events (date, event, source), oldest first
    agreements: Agreements  # the treaty base: how many documents were signed, and of what kind
    multilateral: list[Organisation]  # the organisations both countries belong to
    visits: Visits  # the years with official visits between the two sides


class SourcedText(Sourced):
    text: str  # a paragraph or two; light Markdown (**bold**, *italic*) is allowed


class SourcedList(Sourced):
    # The points, one sentence each, at least one; light Markdown (**bold**, *italic*) is allowed.
    items: list[str] = Field(min_length=1)


class Mediator(Model):
    proposal: SourcedText  # the proposal the briefing argues for, in two or three sentences
    aims: SourcedText  # what the proposal is meant to achieve
    precedent: SourcedText  # an earlier case that shows it can work
    # Optional detail some audiences show; the base layout does not need it.
    precedent_detail: SourcedText | None = None
    # How the role is handled today, e.g. by another country (optional; some audiences show it).
    current_arrangement: SourcedText | None = None
    benefits: SourcedList  # what the proposal would gain, one benefit a line
    risks: SourcedList  # what could go wrong, one risk a line
    first_steps: SourcedList  # what to do first, one step a line


class Recommendation(Model):
    title: str  # a short title, printed in bold before the text, e.g. "Explore the mediator role"
    text: str  # what to do, and why: a paragraph


class Subheadings(Model):
    """Sub-headings that name the pair's own geography or precedent, so they live in data."""

    ferry: str = "The ferry link"  # the heading over the ferry link in Transport
    precedent_detail: str = "The precedent in detail"  # the heading over mediator.precedent_detail


class Narrative(Model):
    headings: dict[str, str]  # each section's heading, by section id, e.g. trade: "Trade dynamics"
    # Sub-headings that name the pair's places or precedent (optional: English defaults).
    subheadings: Subheadings = Subheadings()
    summary: list[str] = Field(min_length=1)  # the Summary's key points, one paragraph each
    diplomacy: str  # the paragraph on the diplomatic foundations
    multilateral: str  # the paragraph on the organisations the two share
    visits: str  # the paragraph on the visits, and what the source does not say
    trade: str  # the paragraph on the trade figures (the numbers come from trade)
    composition: str  # the paragraph on what is traded
    transport: str  # the paragraph on the transport links
    mediator: str  # the paragraph introducing the proposal
    # What the briefing recommends, at least one: a title and a paragraph each.
    recommendations: list[Recommendation] = Field(min_length=1)

    @field_validator("headings")
    @classmethod
    def _one_per_built_in_section(cls, headings: dict[str, str]) -> dict[str, str]:
        # A section of your own carries its heading itself (sections:), so a key here that
        # names no built-in section is a typo, and a missing one would fail in a template.
        unknown = [key for key in headings if key not in BUILT_IN_SECTIONS]
        missing = [key for key in BUILT_IN_SECTIONS if key not in headings]
        problems = [f"'{key}' is not a built-in section" for key in unknown[:1]]
        problems += [f"no heading for '{key}'" for key in missing[:1]]
        if problems:
            raise ValueError(
                f"{'; '.join(problems)} (expected one heading for each of: "
                f"{', '.join(BUILT_IN_SECTIONS)}; a section of your own has its heading "
                "under sections:)"
            )
        return headings


class Briefing(Model):
    """Everything one briefing states, loaded from ``data/``."""

    meta: Meta  # what the briefing is, who issues it, and the two countries
    sources: list[Source] = Field(min_length=1)  # every source a fact may cite, each with its id
    diplomacy: Diplomacy  # milestones, treaty base, shared organisations and visits
    trade: Trade  # the yearly trade figures and the goods traded
    transport: Transport  # the ferry, cargo and railway links, and the places on the map
    mediator: Mediator  # the proposal the briefing argues for, its benefits, risks and first steps
    narrative: Narrative  # the briefing's own prose: headings, summary, paragraphs, recommendations
    # (data/own.py) ids: a lower-case letter, then letters, digits, - or _
    sections: dict[OwnId, OwnSection] = Field(default_factory=dict)  # sections of your own, by id
    charts: dict[OwnId, DeclaredChart] = Field(default_factory=dict)  # charts from tables, by id

    @field_validator("sections")
    @classmethod
    def _not_built_in_sections(cls, sections: dict[str, OwnSection]) -> dict[str, OwnSection]:
        return _not_built_in(sections, BUILT_IN_SECTIONS, "section")

    @field_validator("charts")
    @classmethod
    def _not_built_in_charts(cls, charts: dict[str, DeclaredChart]) -> dict[str, DeclaredChart]:
        return _not_built_in(charts, BUILT_IN_CHARTS, "chart")

    def heading(self, section: str) -> str:
        """A section's heading: narrative.headings for a built-in one, else its own."""
        own = self.sections.get(section)
        return own.heading if own is not None else self.narrative.headings[section]

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
