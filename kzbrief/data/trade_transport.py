"""The trade and transport models: the figures of trade.yaml, the routes of transport.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from ..data.fields import Model, PartialDate, Sourced, SourceId, Year, check_years, year_ranges


class TradeYear(Model):
    year: Year  # the calendar year, e.g. 2011
    # The year's total trade (export + import), in whole units of the currency: 1300000000.
    turnover: float = Field(ge=0)
    # What the first country of meta.countries sold to the second that year, in the currency.
    export: float = Field(ge=0)
    # What the first country bought from the second that year, in the currency.
    import_: float = Field(ge=0, alias="import")
    # A year added from a newer publication cites that, not the table's source.
    source: SourceId | None = None


class ProductList(Sourced):
    items: list[str] = Field(min_length=1)  # the goods, one a line, e.g. [metal, grain]


class Trade(Sourced):
    currency: str = Field(pattern=r"^[A-Z]{3}$")  # the ISO 4217 code of every amount, e.g. USD
    # How far turnover may differ from export + import (rounding), in the currency; 0: exactly.
    tolerance: float = Field(ge=0)
    # One row per year, ascending: {year: 2011, turnover: …, export: …, import: …}.
    years: list[TradeYear] = Field(min_length=1)
    exports: ProductList  # what the first country sells to the second
    imports: ProductList  # what the first country buys from the second

    @field_validator("years")
    @classmethod
    def _years_unique_and_ordered(cls, rows: list[TradeYear]) -> list[TradeYear]:
        check_years([row.year for row in rows])
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
    opened: dt.date  # the day the service opened, YYYY-MM-DD, e.g. 2001-10-07
    description: str  # what the service is, e.g. "direct automobile and ferry service"
    # The port it sails from, e.g. Aktau; the name needs an entry in places (for the map).
    from_: str = Field(alias="from")
    # What the ports reached are, e.g. "the Iranian ports": "to the Iranian ports of A and B".
    destination: str | None = None
    # The ports it reaches, e.g. [Nowshahr, Enzeli]; each needs an entry in places.
    to: list[str] = Field(min_length=1)


class Cargo(Sourced):
    between: str  # which ports, in words, e.g. "Aktau port and the ports of Iran"
    goods: list[str] = Field(min_length=1)  # what is carried, e.g. [oil, metal, grain]


class Segment(Model):
    country: str  # the country it lies in, e.g. Kazakhstan
    km: float = Field(gt=0)  # its length in km, more than 0


class Completion(Model):
    country: str  # the country whose section is finished, e.g. Kazakhstan
    year: Year  # the year it was finished, e.g. 2011


class Railway(Sourced):
    agreed: PartialDate  # when the line was agreed: a year, a month (2007-12) or a day
    place: str  # where the agreement was signed, e.g. Ashgabat
    # The countries that signed the agreement, at least two, e.g. [Kazakhstan, Turkmenistan, Iran].
    parties: list[str] = Field(min_length=2)
    # The stations from end to end, in order, at least two; each needs an entry in places.
    route: list[str] = Field(min_length=2)
    # Each country's section of the line and its length: {country: Kazakhstan, km: 146}.
    segments: list[Segment] = Field(min_length=1)
    # The countries' sections finished so far, e.g. {country: Kazakhstan, year: 2011}; [] for none.
    completed: list[Completion] = Field(default_factory=list)

    @property
    def total_km(self) -> float:
        return sum(segment.km for segment in self.segments)


class Place(Sourced):
    name: str  # the name the routes use, e.g. Aktau
    country: str  # the country it is in, e.g. Kazakhstan
    kind: Literal["port", "station", "capital"]  # port, station or capital: how the map marks it
    lat: float = Field(ge=-90, le=90)  # latitude in degrees, north positive, e.g. 43.6
    lon: float = Field(ge=-180, le=180)  # longitude in degrees, east positive, e.g. 51.2


class Transport(Model):
    ferry: Ferry  # the ferry service: when it opened, where from and to
    cargo: Cargo  # the cargo route and the goods it carries
    railway: Railway  # the railway: its agreement, route and each country's section
    places: list[Place]  # the ports and stations on the map, with their coordinates

    def place(self, name: str) -> Place | None:
        return next((p for p in self.places if p.name == name), None)

    def countries_outside(self, pair: set[str]) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path below ``transport``, name) of each ``country:`` that is neither one of
        the ``pair`` nor a railway party (a transit country is named among the parties);
        and ``railway.parties`` itself when it names neither of the pair."""
        railway = self.railway
        if not pair & set(railway.parties):
            return [(("railway", "parties"), ", ".join(railway.parties))]
        known = pair | set(railway.parties)
        named = [(("railway", "segments", i), s.country) for i, s in enumerate(railway.segments)]
        named += [(("railway", "completed", i), c.country) for i, c in enumerate(railway.completed)]
        named += [(("places", i), place.country) for i, place in enumerate(self.places)]
        return [((*path, "country"), name) for path, name in named if name not in known]
