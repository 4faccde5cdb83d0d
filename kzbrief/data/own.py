"""Sections and charts a project adds of its own, declared in its data files.

A data file may hold a top-level ``sections:`` mapping (section id -> heading, paragraphs,
facts, points, charts) and a ``charts:`` mapping (chart key -> a table drawn as a bar, line
or stacked-bar chart). Unlike the other top-level keys, these two may appear in several
files: each section or chart is then one entry, and an id defined twice is an error naming
both files. Their text is translated like the rest of the data (data/translatable.py) and
their facts cite sources.yaml like every other fact.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field, model_validator

from .fields import Model, Sourced, SourceId, Year

# Built-in section ids: a project's own section may not take one of these names.
BUILT_IN_SECTIONS: tuple[str, ...] = (
    "summary",
    "diplomacy",
    "multilateral",
    "trade",
    "transport",
    "mediator",
    "recommendations",
    "sources",
)
# Built-in chart keys (charts/registry.py): a project's chart may not take one either.
BUILT_IN_CHARTS: tuple[str, ...] = ("trade", "railway", "map", "visits")
ID_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
# An id is also an HTML anchor and a file name (sections/<id>.html.j2): lower case, short.
OwnId = Annotated[str, Field(pattern=ID_PATTERN)]
T = TypeVar("T")
# The keys whose entries several data files may each add to (data/briefing.py merges them).
MERGED_KEYS: tuple[str, ...] = ("sections", "charts")


class Fact(Sourced):
    """One figure of the section: shown with its label, unit and source."""

    label: str = Field(min_length=1)  # what the figure is, e.g. "Oil exports"
    value: float  # the number, e.g. 12.5
    unit: str = ""  # printed after the number, e.g. "million tonnes"
    year: Year | None = None  # the year it refers to, printed in brackets (optional)


class Point(Model):
    """One item of the section's list; a point that states a fact names its source."""

    text: str = Field(min_length=1)  # the point, in light Markdown
    source: SourceId | None = None  # the id of its source in sources.yaml, when it states a fact


class OwnSection(Model):
    """A section of the project's own: drawn by its template, sections/<id>.html.j2 (the
    packaged generic one unless the project writes its own)."""

    heading: str = Field(min_length=1)  # the section's heading, e.g. "Energy"
    # The section's text, one paragraph each; light Markdown (**bold**, *italic*) is allowed.
    paragraphs: list[str] = Field(default_factory=list)
    # Key figures shown in a box after the text: label, value, unit, year and source.
    facts: list[Fact] = Field(default_factory=list)
    points: list[Point] = Field(default_factory=list)  # a bulleted list after the text
    charts: list[str] = Field(default_factory=list)  # chart keys shown after the text


class Series(Model):
    """One row of a chart's table: a name and one value per category (null: no figure)."""

    name: str = Field(min_length=1)  # the row's name, shown in the legend, e.g. "Exports"
    # One number per category, in the same order, e.g. [1.3, 1.1, null]; null: no figure.
    values: list[float | None] = Field(min_length=1)


class DeclaredChart(Sourced):
    """A chart drawn from a table in the data, in the briefing's style and language."""

    kind: Literal["bar", "line", "stacked"]  # bar, line or stacked (bars stacked per category)
    title: str = Field(min_length=1)  # the figure's caption
    units: str = Field(min_length=1)  # the value axis: "million US dollars", "km"
    alt: str = Field(min_length=1)  # what it shows, for screen readers; the values follow
    # The labels along the axis, at most 40: years ([2009, 2010, 2011]) or names ([oil, grain]).
    categories: list[int | str] = Field(min_length=1, max_length=40)
    # The rows of values, one to six, each a name and one value per category.
    series: list[Series] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _one_value_per_category(self) -> DeclaredChart:
        count = len(self.categories)
        for series in self.series:
            if len(series.values) != count:
                raise ValueError(
                    f"series '{series.name}' has {len(series.values)} values for "
                    f"{count} categories (expected one value per category; null for none)"
                )
        if self.kind == "stacked" and any(
            value is not None and value < 0 for s in self.series for value in s.values
        ):
            raise ValueError("a stacked chart's values must not be negative")
        return self

    @property
    def years(self) -> bool:
        """True when the categories are years (a time axis)."""
        return all(isinstance(category, int) for category in self.categories)


def not_built_in(entries: dict[str, T], built_in: tuple[str, ...], what: str) -> dict[str, T]:
    """The project's own entries, if none takes a built-in id (ValueError otherwise)."""
    taken = [key for key in entries if key in built_in]
    if taken:
        raise ValueError(
            f"'{taken[0]}' is the id of a built-in {what}; give yours another id "
            f"(built-in: {', '.join(built_in)})"
        )
    return entries
