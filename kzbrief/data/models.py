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
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["primary", "reference", "analysis"]
    title: str
    publisher: str
    note: str = ""


class Country(Model):
    code: str
    name: str
    short: str


# An editor sees ``edition: 2026-11-27.2`` as text: the schema takes the whole edition id.
EditionDate = Annotated[dt.date, WithJsonSchema({"type": "string", "pattern": EDITION_ID.pattern})]


class Meta(Model):
    title: str
    subtitle: str
    series: str
    edition: EditionDate  # the date part of the edition id (``meta.edition: 2026-11-27.2``)
    edition_revision: int = Field(default=1, ge=1, le=999)  # the ".2"; 1: none
    organisation: str
    author: str
    language: str = Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    keywords: list[str] = Field(default_factory=list)
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
    date: PartialDate
    event: str


class Agreements(Sourced):
    minimum: int = Field(ge=0)
    description: str


class Organisation(Sourced):
    abbr: str
    name: str


class Visits(Sourced):
    sides: list[str] = Field(min_length=1)
    years: list[Year] = Field(min_length=1)
    # None means the source does not say; the briefing must then say so, not guess.
    counts: dict[Year, int] | None = None

    @field_validator("years")
    @classmethod
    def _years_unique_and_ordered(cls, years: list[int]) -> list[int]:
        return check_years(years)


class Diplomacy(Model):
    milestones: list[Milestone]
    agreements: Agreements
    multilateral: list[Organisation]
    visits: Visits


class SourcedText(Sourced):
    text: str


class SourcedList(Sourced):
    items: list[str] = Field(min_length=1)


class Mediator(Model):
    proposal: SourcedText
    aims: SourcedText
    precedent: SourcedText
    # Optional detail some audiences show; the base layout does not need it.
    precedent_detail: SourcedText | None = None
    current_arrangement: SourcedText | None = None
    benefits: SourcedList
    risks: SourcedList
    first_steps: SourcedList


class Recommendation(Model):
    title: str
    text: str


class Subheadings(Model):
    """Sub-headings that name the pair's own geography or precedent, so they live in data."""

    ferry: str = "The ferry link"
    precedent_detail: str = "The precedent in detail"


class Narrative(Model):
    headings: dict[str, str]
    subheadings: Subheadings = Subheadings()
    summary: list[str] = Field(min_length=1)
    diplomacy: str
    multilateral: str
    visits: str
    trade: str
    composition: str
    transport: str
    mediator: str
    recommendations: list[Recommendation] = Field(min_length=1)


class Briefing(Model):
    """Everything one briefing states, loaded from ``data/``."""

    meta: Meta
    sources: list[Source] = Field(min_length=1)
    diplomacy: Diplomacy
    trade: Trade
    transport: Transport
    mediator: Mediator
    narrative: Narrative
    # The project's own sections and declared charts (data/own.py), by id.
    sections: dict[OwnId, OwnSection] = Field(default_factory=dict)  # sections of your own
    charts: dict[OwnId, DeclaredChart] = Field(default_factory=dict)  # charts drawn from tables

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
