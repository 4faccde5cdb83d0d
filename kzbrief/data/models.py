"""Typed models of the briefing data: the one source of truth for every fact.

Models only describe and check the data; reading files lives in ``loader`` and
turning files into a ``Briefing`` lives in ``validate``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _normalise_partial_date(value: object) -> str:
    """Accept 1992, "2007-12" or 1999-01-29 (YAML date) and keep them as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not _PARTIAL_DATE.match(text):
        raise ValueError("expected a year (1992), a month (2007-12) or a date (1999-01-29)")
    return text


PartialDate = Annotated[str, BeforeValidator(_normalise_partial_date)]
Year = Annotated[int, Field(ge=1900, le=2100, strict=True)]
SourceId = Annotated[str, Field(min_length=1)]


# The languages the briefing's text and labels exist in. An audience in any other
# language would get English text under a foreign /Lang; the language work adds codes here.
LANGUAGES: tuple[str, ...] = ("en",)
_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(-[A-Z]{2})?$")


def check_language(code: str) -> str:
    """A supported language, optionally with a region (``en``, ``en-GB``)."""
    match = _LANGUAGE_CODE.match(code)
    if match is None or match[1] not in LANGUAGES:
        raise ValueError(
            f"kzbrief has no translation for '{code}' (supported languages: "
            f"{', '.join(LANGUAGES)}; a region may be added, e.g. en-GB)"
        )
    return code


class Model(BaseModel):
    """Strict base: unknown fields are mistakes, not silently ignored extras."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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


class Meta(Model):
    title: str
    subtitle: str
    series: str
    edition: dt.date
    organisation: str
    author: str
    language: str = Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    keywords: list[str] = []
    countries: list[Country] = Field(min_length=2, max_length=2)


class Sourced(Model):
    source: SourceId


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
        return _check_years(years)


class Diplomacy(Model):
    milestones: list[Milestone]
    agreements: Agreements
    multilateral: list[Organisation]
    visits: Visits


class TradeYear(Model):
    year: Year
    turnover: float = Field(ge=0)
    export: float = Field(ge=0)
    import_: float = Field(ge=0, alias="import")
    # A year added from a newer publication cites that, not the table's source.
    source: SourceId | None = None


class ProductList(Sourced):
    items: list[str] = Field(min_length=1)


class Trade(Sourced):
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    tolerance: float = Field(ge=0)
    years: list[TradeYear] = Field(min_length=1)
    exports: ProductList
    imports: ProductList

    @field_validator("years")
    @classmethod
    def _years_unique_and_ordered(cls, rows: list[TradeYear]) -> list[TradeYear]:
        _check_years([row.year for row in rows])
        return rows

    def source_of(self, row: TradeYear) -> str:
        """The source a year's figures come from: its own, else the table's."""
        return row.source or self.source

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source the years cite, the table's first, each once."""
        return tuple(dict.fromkeys([self.source, *(self.source_of(r) for r in self.years)]))

    def years_by_source(self) -> list[tuple[str, str]]:
        """(source id, its years as "2009–2011, 2013") in order of first use."""
        return [
            (source, year_ranges([r.year for r in self.years if self.source_of(r) == source]))
            for source in dict.fromkeys(self.source_of(r) for r in self.years)
        ]

    def inconsistent_years(self) -> list[tuple[int, TradeYear]]:
        """Rows whose turnover differs from export + import by more than the tolerance."""
        return [
            (i, row)
            for i, row in enumerate(self.years)
            if abs(row.turnover - (row.export + row.import_)) > self.tolerance
        ]


class Ferry(Sourced):
    opened: dt.date
    description: str
    from_: str = Field(alias="from")
    # What the ports reached are, e.g. "the Iranian ports": "to the Iranian ports of A and B".
    destination: str | None = None
    to: list[str] = Field(min_length=1)


class Cargo(Sourced):
    between: str
    goods: list[str] = Field(min_length=1)


class Segment(Model):
    country: str
    km: float = Field(gt=0)


class Completion(Model):
    country: str
    year: Year


class Railway(Sourced):
    agreed: PartialDate
    place: str
    parties: list[str] = Field(min_length=2)
    route: list[str] = Field(min_length=2)
    segments: list[Segment] = Field(min_length=1)
    completed: list[Completion] = []

    @property
    def total_km(self) -> float:
        return sum(segment.km for segment in self.segments)


class Place(Sourced):
    name: str
    country: str
    kind: Literal["port", "station", "capital"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Transport(Model):
    ferry: Ferry
    cargo: Cargo
    railway: Railway
    places: list[Place]

    def place(self, name: str) -> Place | None:
        return next((p for p in self.places if p.name == name), None)


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

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)


def year_ranges(years: list[int]) -> str:
    """[2009, 2010, 2011, 2013] -> "2009–2011, 2013": consecutive years as one range."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _check_years(years: list[int]) -> list[int]:
    if len(set(years)) != len(years):
        duplicates = sorted({y for y in years if years.count(y) > 1})
        raise ValueError(f"years must be unique; repeated: {', '.join(map(str, duplicates))}")
    if years != sorted(years):
        raise ValueError("years must be in ascending order")
    return years
