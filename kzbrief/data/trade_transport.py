"""The trade and transport models: the figures of trade.yaml, the routes of transport.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from ..data.fields import Model, PartialDate, Sourced, SourceId, Year, check_years, year_ranges


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
    completed: list[Completion] = Field(default_factory=list)

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
